"""`kroniek eval eventdna-roles`: event arguments of hand-written DNAF documents against hand-made Kroniek records.

The documents are written for the test in EventDNA's format (no research data). Expected counts are worked out by
hand in the comments: (matched / predicted / gold) per role, then the micro P/R/F1 of each rule.
"""
from __future__ import annotations

import gzip
from datetime import date
import json

import pytest
from click.testing import CliRunner

from kroniek.evaluate.eventdna import _document_text
from kroniek.evaluate.eventdna_roles import (RoleScores, command, dropped_near_duplicates, evaluate, gold_mentions,
                                             predicted_mentions, score_document)
from kroniek.records import Count, DateRange, Event, EventActor, Evidence, Location, TriggerWord

# sentence 1: tokens 0-7, sentence 2: tokens 8-16
TOKENS = ("Aanslag in Gent : schutter doodt drie mensen "
          "De politie arresteerde maandag een verdachte in Brussel .")
TEXT = "Aanslag in Gent : schutter doodt drie mensen\nDe politie arresteerde maandag een verdachte in Brussel ."


def _argument(role, span, kind="PER"):
    return {"features": {"argument_role": role, "argument_entity_type": kind, "span": span}, "string": ""}


def _event(kind, subtype, span, arguments):
    return {"features": {"type": kind, "subtype": subtype, "span": span, "arguments": arguments,
                         "modality": "Asserted", "pos_neg": "Positive"}}


def _entity(span, head, kind="PER"):
    return {"features": {"span": span, "type": kind, "mention_level_type": "NOM", "head": {"features": {"span": head}}}}


DNAF = {"doc": {"token_string": TOKENS,
                "sentences": {"sentence_1": {"token_ids": list(range(0, 8))},
                              "sentence_2": {"token_ids": list(range(8, 17))}},
                "annotations": {
                    "entities": {"entity_1": _entity([8, 9], [9], "ORG"), "entity_2": _entity([12, 13], [13])},
                    "events": {
                        "event_1": _event("Conflict", "Attack", [4, 5, 6, 7], [
                            _argument("Attacker", [4]), _argument("Target", [6, 7]), _argument("Place", [2], "LOC")]),
                        "event_2": _event("Life", "Die", [5, 6, 7], [
                            _argument("Victim", [6, 7]), _argument("Agent", [4])]),
                        "event_3": _event("Justice", "ArrestJail", [10], [
                            _argument("Agent", [8, 9], "ORG"), _argument("Person", [12, 13]),
                            _argument("Time", [11], "time"), _argument("Place", [15], "LOC"),
                            _argument("Crime", [0], "crime")]),           # a role that is not scored
                        "event_4": _event("Contact", "Meet", [8, 9, 10], [_argument("Participant", [8, 9])]),
                    }}}}
DOCUMENT = {"id": "eventdna-900", "dnaf": DNAF}


def _at(words: str, line: int = 0) -> tuple[int, int]:
    start = TEXT.index(words, TEXT.index("\n") + 1 if line else 0)
    return start, start + len(words)


def _evidence(words: str, name: str | None, line: int = 0) -> Evidence:
    start, end = _at(words, line)
    return Evidence("d", start, end, words, name)


def _trigger(words: str, line: int = 0) -> TriggerWord:
    start, end = _at(words, line)
    return TriggerWord("d", start, end, words)


ATTACK = Event("e1", "attack", "shooting", "asserted",
               location=Location("Ghent", "BE", text="Gent"),
               actors=(EventActor("perpetrator", "gunman", None, "generic_armed", None, "schutter"),
                       EventActor("victim", "people", None, "civilians", None, "mensen")),
               fatalities=Count(3, 3, "drie mensen"),
               evidence=(_evidence("Gent", "location"), _evidence("drie mensen", "fatalities")),
               triggers=(_trigger("doodt"),))
ARREST = Event("e2", "arrest", "arrest", "asserted",
               actors=(EventActor("perpetrator", "police", None, "police", None, "politie"),
                       EventActor("target", "suspect", None, "person", None, "verdachte")),
               date=DateRange(date(2018, 1, 1), date(2018, 1, 1), "day",
                              "maandag"),
               triggers=(_trigger("arresteerde", 1),))


def test_text_is_eventdna_tokens_by_line():
    text, offsets = _document_text(DNAF["doc"])
    assert text == TEXT
    assert offsets[8] == (45, 47)       # "De" opens the second line


def test_gold_keeps_scored_types_and_roles_with_entity_heads():
    gold = gold_mentions(DNAF)
    assert [(m.type, m.first, m.last) for m in gold] == [
        ("Conflict.Attack", 4, 7), ("Life.Die", 5, 7), ("Justice.ArrestJail", 10, 10)]
    arrest = gold[2]
    assert [(a.role, a.first, a.last, a.head) for a in arrest.arguments] == [
        ("Agent", 8, 9, (9, 9)), ("Person", 12, 13, (13, 13)), ("Place", 15, 15, (15, 15)), ("Time", 11, 11, (11, 11))]


def test_predicted_mentions_carry_their_sentence_fields():
    text, offsets = _document_text(DNAF["doc"])
    mentions = predicted_mentions([ATTACK, ARREST], text, offsets)
    assert [(m.type, m.first, m.last) for m in mentions] == [
        ("Conflict.Attack", 5, 5), ("Life.Die", 6, 7), ("Justice.ArrestJail", 10, 10)]
    assert [(a.role, a.first, a.last) for a in mentions[1].arguments] == [
        ("Agent", 4, 4), ("Place", 2, 2), ("Victim", 6, 7), ("Victim", 7, 7)]
    # the attack's fields stand in sentence 1: none of them reaches the arrest in sentence 2
    assert [(a.role, a.first, a.last) for a in mentions[2].arguments] == [
        ("Agent", 9, 9), ("Person", 13, 13), ("Time", 11, 11)]


def test_scores_both_rules():
    scores, scored, _ = evaluate([DOCUMENT], lambda text: [ATTACK, ARREST])
    assert scored == 1
    assert (scores.events.matched, scores.events.predicted, scores.events.gold) == (3, 3, 3)
    cells = {key: (c.matched, c.predicted, c.gold) for key, c in scores.by_role["overlap"].items()}
    assert cells == {
        ("Conflict.Attack", "Attacker"): (1, 1, 1), ("Conflict.Attack", "Target"): (1, 1, 1),
        ("Conflict.Attack", "Place"): (1, 1, 1),
        ("Life.Die", "Victim"): (1, 2, 1),        # "mensen" and "drie mensen": one gold victim
        ("Life.Die", "Agent"): (1, 1, 1), ("Life.Die", "Place"): (0, 1, 0),
        ("Justice.ArrestJail", "Agent"): (1, 1, 1), ("Justice.ArrestJail", "Person"): (1, 1, 1),
        ("Justice.ArrestJail", "Time"): (1, 1, 1), ("Justice.ArrestJail", "Place"): (0, 0, 1)}
    overlap = scores.micro("overlap")
    assert (overlap.matched, overlap.predicted, overlap.gold) == (8, 10, 9)
    assert overlap.precision == pytest.approx(0.8)
    assert overlap.recall == pytest.approx(8 / 9)
    assert overlap.f1 == pytest.approx(0.8421, abs=1e-4)
    # head rule: "mensen" misses the Target "drie mensen" (no entity gives a head, so the whole span is asked);
    # "politie" holds the head of "De politie"
    head = scores.micro("head")
    assert (head.matched, head.predicted, head.gold) == (7, 10, 9)
    assert head.f1 == pytest.approx(0.7368, abs=1e-4)
    assert scores.micro("overlap", "Victim").f1 == pytest.approx(2 * 0.5 * 1.0 / 1.5)


def test_unmatched_mentions_count_all_their_arguments():
    scores = RoleScores()
    text, offsets = _document_text(DNAF["doc"])
    score_document(predicted_mentions([ARREST], text, offsets), gold_mentions(DNAF), scores)
    overlap = scores.micro("overlap")
    # the arrest's 4 gold arguments: 3 found; the attack's 3 and the death's 2 are missed
    assert (overlap.matched, overlap.predicted, overlap.gold) == (3, 3, 9)
    matched_only = scores.micro("overlap", matched_only=True)
    assert (matched_only.matched, matched_only.predicted, matched_only.gold) == (3, 3, 4)


def _write(tmp_path, documents, duplicates: str | None):
    path = tmp_path / "dev.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for document in documents:
            handle.write(json.dumps(document) + "\n")
    if duplicates is not None:
        (tmp_path / "near_duplicates.tsv").write_text(duplicates, encoding="utf-8")
    return path


def test_dev_members_of_train_dev_pairs_are_dropped(tmp_path):
    table = ("id_a\tid_b\tshared_4gram_containment\tsplit_a\tsplit_b\tidentical_text\n"
             "eventdna-16\teventdna-1083\t0.76\ttrain\tdev\tno\n"
             "eventdna-25\teventdna-50\t1.00\tdev\tdev\tno\n"
             "eventdna-904\teventdna-77\t0.71\tdev\ttrain\tno\n")
    path = _write(tmp_path, [], table)
    assert dropped_near_duplicates(path) == {"eventdna-1083", "eventdna-904"}
    assert dropped_near_duplicates(tmp_path / "elsewhere" / "dev.jsonl.gz") == frozenset()


def test_command_drops_the_duplicate_and_prints_each_rule(tmp_path):
    table = ("id_a\tid_b\tshared_4gram_containment\tsplit_a\tsplit_b\tidentical_text\n"
             "eventdna-1\teventdna-901\t0.9\ttrain\tdev\tno\n")
    path = _write(tmp_path, [DOCUMENT, {"id": "eventdna-901", "dnaf": DNAF}], table)
    result = CliRunner().invoke(command, ["--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 documents (1 near-duplicates of train dropped)" in result.output
    lines = result.output.splitlines()
    assert any(line.startswith("micro (all roles)") for line in lines)
    assert any(line.startswith("Justice.ArrestJail / Person") for line in lines)
    assert "overlap: P R F1" in result.output and "head: P R F1" in result.output
