"""The learned name tagger (kroniek.annotate.names): training is byte-identical, tagging gives character spans."""
from __future__ import annotations

import hashlib

from click.testing import CliRunner

from kroniek.annotate.names import find_names, load_name_model
from kroniek.train.names import command, read_iob, train_names

# Written for the test (not from any corpus): organisations, persons and places in Dutch and English shapes.
TRAINING = """-DOCSTART- O
De O
Stichting B-ORG
Vredesbouw I-ORG
meldde O
dat O
Karel B-PER
Jansen I-PER
in O
Zwolle B-LOC
was O
. O

Het O
Bureau B-ORG
Veiligheid I-ORG
zegt O
dat O
Anna B-PER
Smit I-PER
naar O
Deventer B-LOC
ging O
. O

The O
Harbour B-ORG
Union I-ORG
said O
Peter B-PER
Brown I-PER
left O
Leeds B-LOC
. O
"""


def write_training(tmp_path):
    path = tmp_path / "train.conll"
    path.write_text(TRAINING, encoding="utf-8")
    return path


def test_training_twice_gives_the_same_bytes(tmp_path):
    source = write_training(tmp_path)
    runner = CliRunner()
    digests = []
    for name in ("a.json.gz", "b.json.gz"):
        result = runner.invoke(command, ["--conll", str(source), "--out", str(tmp_path / name), "--epochs", "4"])
        assert result.exit_code == 0, result.output
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_a_trained_model_tags_seen_shapes_as_character_spans(tmp_path):
    source = write_training(tmp_path)
    model = train_names(read_iob(source), epochs=8)
    text = "De Stichting Vredesbouw meldde dat Karel Jansen in Zwolle was ."
    spans = [(s.text, s.label) for s in find_names(text, "nl", model)]
    assert spans == [("Stichting Vredesbouw", "ORG"), ("Karel Jansen", "PER"), ("Zwolle", "LOC")]
    assert all(text[s.start:s.end] == s.text for s in find_names(text, "nl", model))


def test_without_a_model_nothing_is_found(monkeypatch):
    monkeypatch.delenv("KRONIEK_NAMES_MODEL", raising=False)
    load_name_model.cache_clear()
    assert find_names("Karel Jansen woont in Zwolle.", "nl") == ()
