"""`kroniek eval eventdna`: span matching, one-to-one F1, the crosswalk, and a smoke run on the shared data."""
from __future__ import annotations

from pathlib import Path

import pytest

from kroniek.evaluate.eventdna import (
    Counts, GoldDocument, Mention, annotator_agreement, count_matches, events_to_mentions,
    load_eventdna, score_against, spans_match,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ZIP = SHARED / "data" / "eventdna_iaa_nl" / "iaa_set_dnaf.zip"

ATTACK = "Conflict.Attack"
DIE = "Life.Die"


def test_overlap_and_strict_rules():
    gold = Mention(10, 40, ATTACK)            # a clause-long gold span
    assert spans_match(Mention(12, 20, ATTACK), gold, "overlap")
    assert spans_match(Mention(12, 20, ATTACK), gold, "strict")
    # sticks out on the right: overlaps, but is not inside
    assert spans_match(Mention(35, 45, ATTACK), gold, "overlap")
    assert not spans_match(Mention(35, 45, ATTACK), gold, "strict")
    # touching ends share no character
    assert not spans_match(Mention(40, 45, ATTACK), gold, "overlap")


def test_one_to_one_matching_and_types():
    gold = [Mention(0, 30, ATTACK), Mention(40, 60, DIE)]
    predicted = [Mention(2, 8, ATTACK), Mention(10, 15, ATTACK), Mention(45, 50, ATTACK)]
    # untyped: the two triggers inside gold 1 count once, the third matches gold 2 -> 2 matched of 3 / 2
    c = count_matches(predicted, gold, "overlap", typed=False)
    assert (c.matched, c.predicted, c.gold) == (2, 3, 2)
    # typed: the third is an Attack inside a Die span -> only 1 matched; P 1/3, R 1/2, F1 0.4
    c = count_matches(predicted, gold, "overlap", typed=True)
    assert c.matched == 1
    assert c.f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))


def test_counts_without_predictions_or_gold():
    assert count_matches([], [Mention(0, 5, DIE)]).recall == 0.0
    assert count_matches([Mention(0, 5, DIE)], []).precision == 0.0
    assert Counts().f1 == 0.0


def test_events_map_through_the_crosswalk_with_casualties():
    events = [
        {"type": "attack", "subtype": "shooting", "evidence": [
            {"start": 0, "end": 60, "quote": "...", "field": None},
            {"start": 4, "end": 13, "quote": "...", "field": "trigger"},
            {"start": 30, "end": 42, "quote": "drie doden", "field": "fatalities"},
            {"start": 44, "end": 58, "quote": "vijf gewonden", "field": "injuries"},
        ]},
        {"type": "arrest", "subtype": "arrest", "evidence": [{"start": 70, "end": 80, "quote": "...", "field": None}]},
        {"type": "protest", "subtype": "peaceful", "evidence": [{"start": 90, "end": 99, "quote": "...", "field": None}]},
    ]
    # the narrowest trigger evidence locates the attack; casualties are Die / Injure; protests are not scored
    assert events_to_mentions(events) == [
        Mention(4, 13, ATTACK), Mention(30, 42, DIE), Mention(44, 58, "Life.Injure"),
        Mention(70, 80, "Justice.ArrestJail"),
    ]


def test_agreement_and_scores_on_a_hand_built_document():
    doc = GoldDocument("d", "x" * 100, {
        "a": (Mention(0, 20, ATTACK), Mention(30, 40, DIE)),
        "b": (Mention(5, 15, ATTACK),),
    })
    # a vs b: 1 matched, P 1/2, R 1/1 -> F1 2/3; b vs a: P 1/1, R 1/2 -> 2/3; mean 2/3
    assert annotator_agreement([doc], "overlap", typed=True) == pytest.approx(2 / 3)
    predicted = {"d": [Mention(8, 12, ATTACK)]}
    assert score_against(predicted, [doc], "a", "overlap", typed=True).matched == 1
    assert score_against(predicted, [doc], "a", "overlap", typed=True, kind=DIE).gold == 1


def test_smoke_on_the_shared_iaa_set():
    if not ZIP.exists():
        pytest.skip("shared EventDNA data absent")
    documents = load_eventdna(ZIP)
    assert len(documents) == 38
    assert all(len(doc.annotators) == 4 for doc in documents)
    doc = next(d for d in documents if any(d.annotators.values()))
    mention = next(m for ms in doc.annotators.values() for m in ms)
    assert doc.text[mention.start:mention.end].strip() == doc.text[mention.start:mention.end]
    # annotators agree well but not perfectly on these four types
    agreement = annotator_agreement(documents, "overlap", typed=True)
    assert 0.5 < agreement < 0.95
