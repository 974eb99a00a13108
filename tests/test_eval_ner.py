"""`kroniek eval ner`: the conlleval-style chunk scorer, the label crosswalk and a smoke run on CoNLL-2002."""
from __future__ import annotations

import gzip
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kroniek.errors import EvaluationError
from kroniek.evaluate.ner import (
    Sentence, chunks, command, entity_type, predict_sentence, read_conll, score_tags, spans_to_tags,
)
from kroniek.records import ActorRef, Span


# ---------------------------------------------------------------- chunks, by conlleval's rules

def test_chunks_iob2():
    assert chunks(["B-PER", "I-PER", "O", "B-LOC"]) == {(0, 2, "PER"), (3, 4, "LOC")}


def test_chunks_follow_conlleval_on_irregular_sequences():
    # I- after O starts a chunk (IOB1); a type change inside I- tags splits; B- after B- of one type splits.
    assert chunks(["O", "I-PER", "I-PER"]) == {(1, 3, "PER")}
    assert chunks(["I-PER", "I-LOC"]) == {(0, 1, "PER"), (1, 2, "LOC")}
    assert chunks(["B-LOC", "B-LOC"]) == {(0, 1, "LOC"), (1, 2, "LOC")}
    assert chunks(["O", "O"]) == set()


# ---------------------------------------------------------------- scores worked out by hand

def test_score_one_right_one_wrong_type():
    # gold: PER(0-2), LOC(3); predicted: PER(0-2), ORG(3).
    # PER tp 1; LOC fn 1; ORG fp 1 -> overall tp 1, fp 1, fn 1: P = 1/2, R = 1/2, F1 = 1/2.
    scores = score_tags([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "B-ORG"]])
    per, loc, org = scores.by_type["PER"], scores.by_type["LOC"], scores.by_type["ORG"]
    assert (per.true_positives, per.false_positives, per.false_negatives) == (1, 0, 0)
    assert (loc.true_positives, loc.false_positives, loc.false_negatives) == (0, 0, 1)
    assert (org.true_positives, org.false_positives, org.false_negatives) == (0, 1, 0)
    assert per.f1 == 1.0 and loc.recall == 0.0 and org.precision == 0.0
    overall = scores.overall
    assert (overall.precision, overall.recall, overall.f1) == (0.5, 0.5, 0.5)


def test_score_boundary_mismatch_is_both_a_miss_and_a_false_alarm():
    # gold ORG covers tokens 0-2, the prediction only 0-1: no credit, one fp and one fn.
    scores = score_tags([["B-ORG", "I-ORG", "I-ORG"]], [["B-ORG", "I-ORG", "O"]])
    org = scores.by_type["ORG"]
    assert (org.true_positives, org.false_positives, org.false_negatives) == (0, 1, 1)
    assert org.f1 == 0.0


def test_score_micro_average_over_sentences():
    # Sentence 1: gold PER, LOC; predicted PER, LOC, MISC  -> tp 2, fp 1.
    # Sentence 2: gold PER, ORG; predicted PER            -> tp 1, fn 1.
    # Overall tp 3, fp 1, fn 1: P = 3/4, R = 3/4, F1 = 3/4. PER: P = R = 1. ORG: R = 0. MISC: P = 0.
    gold = [["B-PER", "O", "B-LOC", "O"], ["B-PER", "I-PER", "B-ORG"]]
    predicted = [["B-PER", "O", "B-LOC", "B-MISC"], ["B-PER", "I-PER", "O"]]
    scores = score_tags(gold, predicted)
    assert scores.overall.precision == 0.75 and scores.overall.recall == 0.75
    assert scores.overall.f1 == pytest.approx(0.75)
    assert scores.by_type["PER"].f1 == 1.0
    assert scores.by_type["ORG"].recall == 0.0 and scores.by_type["MISC"].precision == 0.0


def test_score_rejects_mismatched_lengths():
    with pytest.raises(EvaluationError):
        score_tags([["O", "O"]], [["O"]])


# ---------------------------------------------------------------- from Kroniek's spans to tags

def sentence(*tokens: str) -> Sentence:
    return Sentence(0, tuple(tokens), tuple("O" for _ in tokens))


def test_spans_to_tags_aligns_and_widens_to_tokens():
    s = sentence("Abu", "Bakr", "al-Baghdadi", "in", "Mosoel-Oost", ".")
    # "Abu Bakr al-Baghdadi" = chars 0-20; "Mosoel" (24-30) cuts a token: widened to "Mosoel-Oost".
    assert s.text[0:20] == "Abu Bakr al-Baghdadi" and s.text[24:30] == "Mosoel"
    assert spans_to_tags(s, [(0, 20, "PER"), (24, 30, "LOC")]) == ["B-PER", "I-PER", "I-PER", "O", "B-LOC", "O"]


def test_crosswalk_maps_kinds_and_drops_generic_and_descriptive_actors():
    def actor(text: str, actor_id: str, kind: str) -> Span:
        return Span(0, len(text), text, kind, ActorRef(actor_id, text, kind), "actors")

    assert entity_type("actors", actor("Boko Haram", "boko-haram", "non_state_armed_group")) == "ORG"
    assert entity_type("actors", actor("Iraakse leger", "iraqi-security-forces", "state_forces")) is None
    assert entity_type("actors", actor("IS-strijders", "islamic-state", "non_state_armed_group")) is None
    assert entity_type("actors", actor("Politie", "police", "police")) is None          # generic, even capitalised
    assert entity_type("persons", Span(0, 3, "Jan", "person", None, "persons")) == "PER"
    assert entity_type("places", Span(0, 7, "Iraakse", "demonym", None, "gazetteer")) == "MISC"
    assert entity_type("places", Span(0, 6, "Mosoel", "place", None, "gazetteer")) == "LOC"


def test_predict_sentence_longest_wins_then_places_before_persons_before_actors():
    text = "Jan Smit en Verenigde Staten"
    finders = {
        "places": lambda t, lang: (Span(12, 28, "Verenigde Staten", "place", None, "gazetteer"),),
        "actors": lambda t, lang: (Span(12, 28, "Verenigde Staten", "government",
                                        ActorRef("united-states", "United States", "government"), "actors"),),
        "persons": lambda t, lang, exclude=None: (Span(0, 8, "Jan Smit", "person", None, "persons"),
                                                   Span(4, 28, "Smit en Verenigde Staten", "person", None, "persons")),
    }
    # The 24-character "person" is longest and wins over "Jan Smit" (overlap) and the place; nothing else fits.
    assert predict_sentence(text, finders) == [(4, 28, "PER")]
    del finders["persons"]
    assert predict_sentence(text, finders) == [(12, 28, "LOC")]        # a tie: the place beats the actor


# ---------------------------------------------------------------- reading CoNLL files

def write(path: Path, text: str) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(text)
    return path


def test_read_conll_counts_documents_and_sentences(tmp_path):
    path = write(tmp_path / "mini.gz", "Jan N B-PER\nslaapt V O\n\n-DOCSTART- -DOCSTART- O\nIn Prep O\nGent N B-LOC\n\n")
    sentences = read_conll(path)
    assert [(s.doc, s.tokens, s.gold) for s in sentences] == [
        (0, ("Jan", "slaapt"), ("B-PER", "O")), (1, ("In", "Gent"), ("O", "B-LOC"))]
    assert sentences[1].text == "In Gent" and sentences[1].offsets() == ([0, 3], [2, 7])


def test_read_conll_rejects_a_malformed_file(tmp_path):
    with pytest.raises(EvaluationError, match="IOB"):
        read_conll(write(tmp_path / "bad.gz", "Jan N PERSON\n"))
    with pytest.raises(EvaluationError, match="no sentences"):
        read_conll(write(tmp_path / "empty.gz", "\n\n"))


def test_command_on_a_tiny_file_writes_predictions(tmp_path):
    path = write(tmp_path / "mini.gz", "Woordvoerder N O\nJan N B-PER\nJansen N I-PER\nzegt V O\n. Punc O\n\n")
    out = tmp_path / "pred.txt"
    result = CliRunner().invoke(command, ["--conll", str(path), "--without-places", "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    assert "PER" in result.output and "100.00" in result.output and "sentences/s" in result.output
    assert out.read_text(encoding="utf-8").splitlines()[2:5] == ["Woordvoerder O O", "Jan B-PER B-PER",
                                                                 "Jansen I-PER I-PER"]
    assert isinstance(command, click.Command) and command.name == "ner"


# ---------------------------------------------------------------- smoke run on the shared data

def test_smoke_run_on_conll2002_testa(shared_dir):
    path = shared_dir / "data" / "conll2002_nl" / "ned.testa.utf8.gz"
    if not path.exists():
        pytest.skip("CoNLL-2002 testa is not present")
    result = CliRunner().invoke(command, ["--conll", str(path), "--without-places", "--limit", "5"])
    assert result.exit_code == 0, result.output
    per = next(line for line in result.output.splitlines() if line.startswith("PER"))
    precision = float(per.split()[4])
    assert precision >= 60.0, result.output          # ~84 on the whole of testa (docs/QUALITY_NER.md)
