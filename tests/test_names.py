"""The learned name tagger (kroniek.annotate.names): training is byte-identical, tagging gives character spans."""
from __future__ import annotations

import hashlib

from click.testing import CliRunner

from kroniek.annotate.names import (find_names, history_features, load_name_model, rule_tags, save_name_model,
                                    token_features, tokenise)
from kroniek.train.names import command, lowered_words, read_iob, train_names

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


def test_token_features_give_affixes_shapes_around_and_an_ordinary_word_capitalised():
    words = ["Morgen", "vertrekt", "Anna", "Smit"]
    feats = token_features(words, 0, frozenset({"morgen"}))
    for expected in ("s4=rgen", "p4=morg", "p2=mo", "s1=n", "shsh+1=Xxx|xx", "sh-1sh+1=<s>|Xxx|xx",
                     "w-1sh=<s>|Xxx", "shw+1=Xxx|vertrekt", "first", "first|sh=Xxx", "first-lowered"):
        assert expected in feats
    assert "cap-lowered" not in feats
    middle = token_features(words, 2, frozenset({"morgen"}))
    assert "cap-mid" in middle and "first-lowered" not in middle and "cap-lowered" not in middle
    assert not any(f.startswith("r=") for f in middle)     # no rule tags given, no rule features


def test_rule_tags_become_features_of_the_word_and_its_neighbours():
    feats = token_features(["in", "Zwolle", "."], 1, frozenset(), ["O", "B-LOC", "O"])
    assert {"r=B-LOC", "r|sh=B-LOC|Xxx", "r-1=O|B-LOC", "r+1=B-LOC|O"} <= set(feats)


def test_history_features_name_the_tag_before():
    assert history_features(["Karel", "Jansen"], 1, "B-PER") == [
        "t-1=B-PER", "t-1w=B-PER|jansen", "t-1sh=B-PER|Xxx", "t-1w-1=B-PER|karel"]


def test_lowered_words_are_lower_case_words_outside_names_seen_twice():
    sentences = [(["de", "man", "zag", "Karel"], ["O", "O", "O", "B-PER"]),
                 (["de", "man", "van", "karel"], ["O", "O", "O", "B-PER"])]
    assert lowered_words(sentences) == frozenset({"de", "man"})


def test_rule_tags_mark_the_tokens_the_finders_cover():
    text = "Karel Jansen sprak in Amsterdam ."
    tags = rule_tags(text, tokenise(text))
    assert tags == ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]


def test_a_model_trained_with_rule_features_keeps_them_when_saved(tmp_path):
    model = train_names(read_iob(write_training(tmp_path)), epochs=4, rules=True)
    assert model.rules and model.lowered == frozenset({"dat"}) and any(f.startswith("r=") for f in model.weights)
    save_name_model(model, tmp_path / "m.json.gz")
    load_name_model.cache_clear()
    loaded = load_name_model(str(tmp_path / "m.json.gz"))
    assert loaded.rules and loaded.lowered == model.lowered and loaded.weights == model.weights
    text = "Het Bureau Veiligheid zegt dat Anna Smit naar Deventer ging ."
    assert [(s.text, s.label) for s in find_names(text, "nl", loaded)] == [
        ("Bureau Veiligheid", "ORG"), ("Anna Smit", "PER"), ("Deventer", "LOC")]


def test_tokenise_keeps_decimal_numbers_final_hyphens_and_hyphen_runs_whole():
    text = "Het kostte 2,5 miljoen -- de land- en tuinbouw van de V.S. betaalde 1.000 euro ."
    assert [text[a:b] for a, b in tokenise(text)] == [
        "Het", "kostte", "2,5", "miljoen", "--", "de", "land-", "en", "tuinbouw", "van", "de", "V.S.", "betaalde",
        "1.000", "euro", "."]
