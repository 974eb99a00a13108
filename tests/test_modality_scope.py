"""Negation scope (issue 11): a negation reaches the event word it governs, not every trigger after it."""
from __future__ import annotations

import datetime

import pytest

from kroniek.pipeline import analyse_text

PUBLISHED = datetime.date(2021, 5, 4)


def modalities(text: str, language: str) -> list[tuple[str, str]]:
    return [(e.type, e.modality) for e in analyse_text(text, language=language, published=PUBLISHED)]


@pytest.mark.parametrize("language,text,event_type", [
    # a determiner negation belongs to its own noun: the reason, the casualties
    ("nl", "De politie ziet geen reden om aan te nemen dat er een tweede schutter was bij de schietpartij in Gent.",
     "attack"),
    ("en", "Police saw no reason to believe that a second gunman took part in the shooting in Dallas.", "attack"),
    ("en", "No injuries were reported after the bomb attack on a bank in Quetta on Monday.", "attack"),
    ("nl", "Er vielen geen gewonden bij de bomaanslag op een bank in Quetta.", "attack"),
    # an adverb negation stops at the next clause ("who", "wie")
    ("en", "Police did not say who carried out the bombing in Lyon on Friday.", "attack"),
    ("nl", "De politie zei niet wie achter de bomaanslag van vrijdag in Lyon zat.", "attack"),
])
def test_negation_of_another_word_leaves_the_event_asserted(language, text, event_type):
    found = modalities(text, language)
    assert any(t == event_type for t, _ in found)
    assert (event_type, "negated") not in found


@pytest.mark.parametrize("language,text", [
    ("nl", "Er was geen sprake van een aanslag, zegt de politie in Gent."),
    ("nl", "Volgens de politie is er in Gent geen aanslag gepleegd."),
    ("en", "Officials said there was no bombing in Lyon, only a gas leak."),
])
def test_negation_of_the_event_word_itself_still_negates(language, text):
    found = modalities(text, language)
    assert found and all(m == "negated" for _, m in found)
