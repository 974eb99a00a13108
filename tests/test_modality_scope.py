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
    # an adverb negation negates its verb, not an event noun that a preposition makes part of the verb's clause
    ("nl", "De groep was niet betrokken bij de aanslag op de markt in Kano.", "attack"),
    ("en", "The group was not involved in a bomb attack on a market in Kano on Sunday.", "attack"),
    ("nl", "Het leger reageerde niet op de bomaanslag van zondag op een markt in Kano.", "attack"),
    ("en", "The army did not respond to Sunday's bombing of a market in Kano.", "attack"),
])
def test_negation_of_another_word_leaves_the_event_asserted(language, text, event_type):
    found = modalities(text, language)
    assert any(t == event_type for t, _ in found)
    assert (event_type, "negated") not in found


@pytest.mark.parametrize("language,text", [
    ("nl", "Er was geen sprake van een aanslag, zegt de politie in Gent."),
    ("nl", "Volgens de politie is er in Gent geen aanslag gepleegd."),
    ("en", "Officials said there was no bombing in Lyon, only a gas leak."),
    # "om" is no such preposition: "het gaat niet om een aanslag" denies the attack
    ("nl", "Volgens de politie in Gent gaat het niet om een aanslag."),
    ("en", "Police in Lyon said it was not a bomb attack."),
])
def test_negation_of_the_event_word_itself_still_negates(language, text):
    found = modalities(text, language)
    assert found and all(m == "negated" for _, m in found)


@pytest.mark.parametrize("language,text", [
    # a free relative that opens the sentence states a rule, not an event: the main clause after it is generic
    ("nl", "Wie zich meldt bij een Nederlandse ambassade, wordt gearresteerd en vervolgd, zegt het ministerie."),
    ("en", "Whoever reports to a Dutch embassy will be arrested and prosecuted, the ministry said."),
])
def test_a_sentence_opened_by_a_free_relative_reports_no_arrest(language, text):
    assert ("arrest", "asserted") not in modalities(text, language)


@pytest.mark.parametrize("language,text", [
    # "wie" inside a clause asks who; the attack it asks about happened
    ("nl", "De politie onderzoekt wie de bomaanslag op het station in Lyon heeft gepleegd."),
    ("en", "Police are investigating who carried out the bomb attack on the station in Lyon."),
])
def test_who_in_an_indirect_question_leaves_the_attack_asserted(language, text):
    assert ("attack", "asserted") in modalities(text, language)


@pytest.mark.parametrize("language,text", [
    ("nl", "Het gaat om een groep van zeven jihadisten die plannen smeedden voor een aanslag op een evenement."),
    ("en", "The group of seven jihadists plotted a bomb attack on a festival."),
])
def test_plans_for_an_attack_are_a_plot_not_an_attack(language, text):
    found = modalities(text, language)
    assert ("attack", "asserted") not in found
    assert ("plot", "asserted") in found


def _span(text: str, part: str, label: str | None = None, value=None, occurrence: int = 0):
    from kroniek.records import Span
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(part, start + 1)
    return Span(start, start + len(part), part, label, value)


def test_a_negation_inside_a_casualty_denial_leaves_a_violent_event_asserted():
    # the casualty-denial check belongs to modality (extract/modality.py), built from spans alone
    from kroniek.extract.modality import modality_of, only_casualties_denied
    from kroniek.records import Span, Trigger

    text = "The bombing in Quetta left no casualties."
    sentence = Span(0, len(text), text, None, None)
    trigger = _span(text, "bombing", "noun", Trigger("attack", "bombing"))
    no = _span(text, "no", "negated", "sentence")     # a cue that, alone, negates its whole sentence
    denial = _span(text, "no casualties", "denial", True)
    assert only_casualties_denied(sentence, (no,), (denial,)) is True
    assert modality_of(trigger, sentence, (no,)) == "negated"            # without the denials: negated
    assert modality_of(trigger, sentence, (no,), (denial,)) == "asserted"


def test_a_negation_outside_every_denial_still_negates():
    from kroniek.extract.modality import only_casualties_denied
    from kroniek.records import Span

    text = "The army denied the bombing; no casualties were reported."
    sentence = Span(0, len(text), text, None, None)
    denied = _span(text, "denied", "negated", "sentence")
    no = _span(text, "no", "negated", "before")
    denial = _span(text, "no casualties", "denial", True)
    assert only_casualties_denied(sentence, (denied, no), (denial,)) is False


# An exact count before a plural event noun names particular events ("acht aanslagen"), not a kind of event; a vague
# count ("tientallen aanslagen") does not.
@pytest.mark.parametrize("language,text,expected", [
    ("nl", "Op Eerste Paasdag zijn in Sri Lanka acht aanslagen gepleegd.", ("attack", "asserted")),
    ("en", "On Easter Sunday three bombings hit Sri Lanka.", ("attack", "asserted")),
    ("nl", "Er worden in Europa tientallen aanslagen beraamd.", ("attack", "generic")),
])
def test_counted_events_are_particular_ones(language, text, expected):
    assert expected in modalities(text, language)


@pytest.mark.parametrize("language, text, expected", [
    # an uncertainty in a relative clause about the people arrested is not the arrest's
    ("nl", "In Brussel zijn zaterdag drie mannen opgepakt die een aanslag zouden hebben voorbereid.",
     [("arrest", "asserted"), ("plot", "uncertain")]),
    ("en", "Police in Brussels arrested three men on Saturday who allegedly prepared an attack.",
     [("arrest", "asserted"), ("attack", "future")]),
    # but a relative clause after an event noun may be about the event itself
    ("nl", "Een man uit Gent staat terecht voor een moord die hij in Syrië zou hebben gepleegd.",
     [("attack", "uncertain")]),
])
def test_a_cue_in_a_relative_clause_after_a_verb_is_not_the_verbs(language, text, expected):
    assert modalities(text, language) == expected


@pytest.mark.parametrize("language, text, expected", [
    # a negative pronoun negates the verb it is an argument of, not an event noun beside it
    ("nl", "Bij een aanslag in Kabul zijn dinsdag twaalf doden gevallen. Niemand heeft de aanslag opgeëist.",
     [("attack", "asserted"), ("claim", "negated")]),
    ("en", "A bomb exploded in Kabul on Tuesday, killing twelve people. Nobody has claimed the attack.",
     [("attack", "asserted"), ("claim", "negated")]),
    ("nl", "De politie heeft niemand opgepakt na de schietpartij in Gent.", [("arrest", "negated"), ("attack", "asserted")]),
    ("en", "No one was arrested after the shooting in Dallas.", [("arrest", "negated"), ("attack", "asserted")]),
    # an indirect question ends a negation's reach
    ("nl", "Tot op vandaag weet niemand waarom hij in Miami werd doodgeschoten.", [("attack", "asserted")]),
    ("en", "It is not clear why the man was shot dead in Dallas.", [("attack", "asserted")]),
])
def test_a_negative_pronoun_negates_only_its_verb(language, text, expected):
    assert modalities(text, language) == expected


def test_a_group_in_the_clause_after_a_denied_claim_is_no_claimant():
    found = analyse_text("A bomb exploded in a market in Maiduguri on Friday, killing 10 people. No group claimed the "
                         "attack, but Boko Haram has carried out similar bombings.", language="en", published=PUBLISHED)
    claim = next(e for e in found if e.type == "claim")
    assert claim.modality == "negated" and not claim.actors
