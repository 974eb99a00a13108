"""`kroniek eval eventdna-entities`: named entity mentions (NAM) of DNAF documents against the finders, per type.
The document is written for the test in EventDNA's format (no research data)."""
from __future__ import annotations

import gzip
import json

from click.testing import CliRunner

from kroniek.evaluate.eventdna_entities import command, gold_names, score_documents
from kroniek.evaluate.ner import load_finders

TOKENS = "Premier Mark Rutte sprak in Utrecht met de burgemeester . Hij zei dat de Stichting Vredesbouw hielp ."


def _entity(span, kind, level="NAM"):
    return {"features": {"span": span, "type": kind, "mention_level_type": level,
                         "head": {"features": {"span": span}}}}


DOCUMENT = {"id": "eventdna-test", "dnaf": {"doc": {"token_string": TOKENS, "annotations": {"entities": {
    "entity_1": _entity([1, 2], "PER"),
    "entity_2": _entity([5], "LOC"),
    "entity_3": _entity([7, 8], "PER", "NOM"),      # "de burgemeester": a nominal, not scored
    "entity_4": _entity([10], "PER", "PRON"),
    "entity_5": _entity([14, 15], "ORG"),
}}}}}


def test_only_names_are_gold():
    assert gold_names(DOCUMENT["dnaf"]) == {(1, 2, "PER"), (5, 5, "LOC"), (14, 15, "ORG")}


def test_person_and_place_found_exactly():
    exact, overlap = score_documents([DOCUMENT], load_finders())
    assert exact.by_type["PER"].true_positives == 1
    assert exact.by_type["LOC"].true_positives == 1
    assert exact.by_type["PER"].false_negatives == 0
    assert overlap.by_type["LOC"].true_positives == 1


def test_command_prints_a_row_per_type(tmp_path):
    path = tmp_path / "dev.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(DOCUMENT) + "\n")
    result = CliRunner().invoke(command, ["--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    for kind in ("LOC", "MISC", "ORG", "PER", "overall"):
        assert any(line.startswith(kind) for line in result.output.splitlines())
