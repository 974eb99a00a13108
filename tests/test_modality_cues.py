"""What is feared, warned of or could happen is no event that happened; a foiled attack is the plot, not an attack;
the police who foil one are not its plotters."""
from __future__ import annotations

from datetime import date

import pytest

from kroniek.pipeline import analyse_text

PUBLISHED = date(2018, 3, 1)


def events(text: str, language: str):
    return analyse_text(text, language=language, published=PUBLISHED)


@pytest.mark.parametrize("language, text", [
    ("nl", "Deskundigen waarschuwen dat IS een aanslag in Nederland kan plegen."),
    ("nl", "De NCTV waarschuwt voor aanslagen op kerstmarkten."),
    ("en", "Police fear further attacks on Christmas markets in Germany."),
    ("en", "Officials warned of attacks on Christmas markets in Germany."),
])
def test_feared_and_warned_of_attacks_are_hypothetical(language, text):
    assert [(e.type, e.modality) for e in events(text, language)] == [("attack", "hypothetical")]


@pytest.mark.parametrize("language, text", [
    ("nl", "Een aanslag op het parlement werd op het laatste moment verijdeld."),
    ("nl", "De politie heeft een aanslag op het parlement verijdeld."),
    ("en", "An attack on parliament was foiled at the last minute."),
])
def test_a_foiled_attack_is_the_plot_alone(language, text):
    assert [(e.type, e.subtype) for e in events(text, language)] == [("plot", "foiled")]


def test_an_earlier_attack_beside_a_foiled_one_stays_an_attack():
    found = events("Na de aanslag in Berlijn verijdelde de politie een aanslag in Essen.", "nl")
    assert sorted((e.type, e.location.name) for e in found) == [("attack", "Berlin"), ("plot", "Essen")]


@pytest.mark.parametrize("language, text", [
    ("en", "Police foiled an attack on parliament on Monday."),
    ("nl", "De AIVD verijdelde een aanslag in Rotterdam."),
])
def test_who_foils_a_plot_is_not_its_plotter(language, text):
    assert [a.role for e in events(text, language) for a in e.actors] == []


@pytest.mark.parametrize("language, text", [
    ("nl", "Geen enkele groep heeft de aanslag opgeëist."),
    ("nl", "Tot nu toe heeft geen groep de aanslag opgeëist."),
    ("en", "No group has claimed responsibility for the attack in Kabul."),
])
def test_no_group_claimed_negates_the_claim_not_the_attack(language, text):
    assert sorted((e.type, e.modality) for e in events(text, language)) == [("attack", "asserted"),
                                                                             ("claim", "negated")]


def test_the_group_claims_and_the_news_agency_stays_on_the_claim_as_its_channel():
    # the analysis reads a media platform among the claimants as the claim's channel ("via"), see test_analyse
    found = events("De aanslag werd opgeëist door Islamitische Staat via het persbureau Amaq.", "nl")
    claim = next(e for e in found if e.type == "claim")
    assert sorted((a.role, a.name) for a in claim.actors) == [("claimant", "Amaq News Agency"),
                                                              ("claimant", "Islamic State")]


@pytest.mark.parametrize("language, text", [
    ("nl", "Bij een aanslag in Kabul zijn gisteren twaalf mensen omgekomen. De Taliban ontkennen betrokkenheid bij de "
           "aanslag."),
    ("en", "A bomb attack killed twelve people in Kabul on Monday. The Taliban denied any involvement in the attack."),
    ("nl", "De Taliban ontkennen betrokkenheid bij de aanslag in Kabul, waarbij twaalf mensen omkwamen."),
])
def test_denying_a_part_in_an_attack_denies_no_attack_and_makes_no_perpetrator(language, text):
    found = events(text, language)
    assert [(e.type, e.modality, e.fatalities.min) for e in found] == [("attack", "asserted", 12)]
    assert [a.role for a in found[0].actors] == []


@pytest.mark.parametrize("language, text", [
    ("nl", "Het leger ontkende dat er een aanslag was gepleegd."),
    ("en", "The army denied that an attack had taken place."),
])
def test_denying_the_attack_itself_still_negates_it(language, text):
    assert [(e.type, e.modality) for e in events(text, language)] == [("attack", "negated")]
