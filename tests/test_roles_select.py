"""Word clusters of the role model and the held-out choice of its thresholds (stop 25)."""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from kroniek.roles.clusters import cluster_features, word_clusters
from kroniek.roles.features import load_lexicon, span_features
from kroniek.roles.tokens import tokenise
from kroniek.train import muc4_select as select

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TRAIN = SHARED / "data" / "muc4" / "train.gtt.jsonl.gz"
SLICE = 60

# Invented sentences: two kinds of actor words, two kinds of place words, used alike within a kind.
_SENTENCES = [f"the {actor} {verb} the {place} near the {other} ." for actor in ("rebels", "guerrillas", "bandits")
              for verb in ("attacked", "bombed", "raided") for place in ("village", "town", "farm")
              for other in ("river", "hill")]


def _documents():
    tokens = [tokenise(" ".join(_SENTENCES[i::4])) for i in range(4)]
    return [(t.words, t.sentence) for t in tokens]


def test_word_clusters_are_deterministic_and_cover_frequent_words():
    first = word_clusters(_documents(), min_count=2, contexts=50, dimensions=4, sizes=(2, 3))
    second = word_clusters(_documents(), min_count=2, contexts=50, dimensions=4, sizes=(2, 3))
    assert first == second
    assert {"rebels", "village", "attacked"} <= set(first)
    assert all(len(ids) == 2 and 0 <= ids[0] < 2 and 0 <= ids[1] < 3 for ids in first.values())
    assert first["rebels"] == first["guerrillas"] == first["bandits"]      # used alike: one cluster


def test_too_small_a_vocabulary_gives_no_clusters():
    assert word_clusters([(("a", "b", "a"), (0, 0, 0))], min_count=1, sizes=(64,)) == {}


def test_cluster_features_name_head_first_word_and_neighbours():
    tokens = tokenise("rebels attacked the village")
    clusters = cluster_features({"rebels": (1, 7), "village": (0, 2), "the": (1, 1)})
    names = span_features(tokens, [(3, 3)], load_lexicon("en"), None, lexical=True, clusters=clusters)[0]
    assert {"hk=0:0", "hk=1:2", "fk=0:0", "l1k=0:1"} <= set(names)
    plain = span_features(tokens, [(3, 3)], load_lexicon("en"), None, lexical=True)[0]
    assert not any(n.startswith(("hk=", "fk=", "l1k=", "r1k=")) for n in plain)


def test_the_rule_prefers_a_plateau_to_a_lone_spike():
    assert select._smoothed_best([0.30, 0.50, 0.30, 0.46, 0.47, 0.46, 0.40]) == 4
    assert select._smoothed_best([0.3, 0.3, 0.3]) == 0                   # ties: the lower value


def test_choose_on_a_synthetic_table():
    # One document, five roles; role 0 scores only at low thresholds, the others never predict.
    grid = len(select.THRESHOLD_GRID)
    counts = np.zeros((2, grid, 5, 3))
    counts[0, :, 0, 2] = 2                                    # two gold entities for role 0
    counts[0, :4, 0, :2] = (2, 2)                             # found below the fifth threshold
    counts[0, 4:, 0, :2] = (0, 0)
    counts[1, :, 0, :2] = (0, 3)                              # a document without gold: 3 false positives
    gates = np.array([1.0, -3.0])
    thresholds, gate = select.choose(gates, counts)
    assert thresholds[0] < 4 and gate > -3.0
    f1, _ = select.micro_f1(gates, counts, thresholds, gate)
    assert f1 == pytest.approx(1.0)


def test_shipped_choices_files_hold_what_training_reads():
    folder = Path(select.__file__).resolve().parents[1] / "data" / "models"
    for name in ("muc4_choices.json", "muc4_choices.heldout.json"):
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        assert len(data["lexical_thresholds"]) == 5 and len(data["abstract_thresholds"]) == 5
        assert isinstance(data["relevance_gate"], float) and isinstance(data["clusters"], bool)


def test_training_with_clusters_twice_gives_identical_weights(tmp_path):
    if not TRAIN.exists():
        pytest.skip("shared MUC-4 data absent")
    pytest.importorskip("sklearn", reason="training needs scikit-learn")
    from kroniek.roles.model import load_model
    from kroniek.train.muc4 import train_records

    with gzip.open(TRAIN, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(SLICE), handle)]
    first = train_records(records, tmp_path / "first.npz", clusters=True)
    second = train_records(records, tmp_path / "second.npz", clusters=True)
    assert hashlib.sha256(first.read_bytes()).hexdigest() == hashlib.sha256(second.read_bytes()).hexdigest()
    model = load_model(str(first))
    assert model.clusters and any(name.startswith("hk=") for name in model.vocabulary)
