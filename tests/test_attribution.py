"""Who an article says was behind an attack, in a sentence of its own after the attack (issue 11: "the group X was
thought to be responsible" was not linked to the attack). Sentences written here; group names are the dictionary's
or invented."""
from __future__ import annotations

import datetime

import pytest

from kroniek.pipeline import analyse_text

PUBLISHED = datetime.date(2021, 5, 4)
BOMB_NL = "Bij een bomaanslag op een markt in Peshawar zijn vrijdag zes doden gevallen. "
BOMB_EN = "A bomb exploded at a market in Peshawar on Friday, killing six people. "


def perpetrators(text: str, language: str) -> set[tuple[str, str | None]]:
    found = analyse_text(text, language=language, published=PUBLISHED)
    attack = next(e for e in found if e.type == "attack")
    return {(a.name, a.attribution) for a in attack.actors if a.role == "perpetrator"}


@pytest.mark.parametrize("language, text, expected", [
    ("nl", BOMB_NL + "Volgens de politie zitten de Pakistaanse taliban achter de aanslag.", None),
    ("nl", BOMB_NL + "De Pakistaanse taliban zouden achter de aanslag zitten.", "suspected"),
    ("nl", BOMB_NL + "De politie houdt de Pakistaanse taliban verantwoordelijk.", "suspected"),
    ("nl", BOMB_NL + "De Pakistaanse taliban worden verantwoordelijk gehouden.", "suspected"),
    ("en", BOMB_EN + "Police said the Pakistani Taliban were behind the attack.", None),
    ("en", BOMB_EN + "The Pakistani Taliban were thought to be responsible.", "suspected"),
    ("en", BOMB_EN + "The attack was blamed on the Pakistani Taliban.", "suspected"),
    ("en", BOMB_EN + "Authorities attributed the bombing to the Pakistani Taliban.", "suspected"),
    ("nl", BOMB_NL + "De autoriteiten schrijven de aanslag toe aan de Pakistaanse taliban.", "suspected"),
    ("nl", BOMB_NL + "De aanslag wordt toegeschreven aan de Pakistaanse taliban.", "suspected"),
])
def test_a_later_sentence_names_who_was_behind_the_attack(language, text, expected):
    assert perpetrators(text, language) == {("Tehrik-i-Taliban Pakistan", expected)}


@pytest.mark.parametrize("language, text", [
    ("nl", BOMB_NL + "De politie gaat ervan uit dat de militante groep Jaish al-Nur achter de aanslag zit."),
    ("en", BOMB_EN + "Police said the militant group Jaish al-Nur was behind the attack."),
])
def test_a_group_name_with_a_lower_case_article_is_whole(language, text):
    assert {name for name, _ in perpetrators(text, language)} == {"Jaish al-Nur"}


@pytest.mark.parametrize("language, text", [
    ("nl", BOMB_NL + "De Pakistaanse taliban zijn verantwoordelijk voor veel geweld in de regio."),
    ("en", BOMB_EN + "The Pakistani Taliban are responsible for much of the violence in the region."),
])
def test_responsible_for_something_else_names_no_perpetrator(language, text):
    assert perpetrators(text, language) == set()


def perpetrator_names(text: str, language: str, event_type: str = "attack") -> set[str]:
    found = analyse_text(text, language=language, published=PUBLISHED)
    event = next(e for e in found if e.type == event_type)
    return {a.name for a in event.actors if a.role == "perpetrator"}


@pytest.mark.parametrize("language, text", [
    ("nl", "Een Israëlische luchtaanval trof maandag een trainingskamp van Hamas in Gaza, waarbij twee strijders "
           "omkwamen."),
    ("en", "An Israeli air strike hit a Hamas training camp in Gaza on Monday, killing two militants."),
])
def test_a_group_in_what_the_strike_hit_did_not_strike(language, text):
    assert "Hamas" not in perpetrator_names(text, language, "remote_violence")


@pytest.mark.parametrize("language, text, group", [
    # in the event noun's own phrase
    ("nl", "De aanslag van de terreurgroep IS kostte vorig jaar tientallen mensen het leven.", "Islamic State"),
    ("en", "The attack of the Islamic State group killed dozens of people last year.", "Islamic State"),
    # "het werk van", "the work of"
    ("nl", "De politie zegt dat de aanval op een kazerne in Gao het werk is van de terreurgroep Ansar Dine.",
     "Ansar Dine"),
    ("nl", "Volgens de politie was de aanval op een kazerne in Gao het werk van Ansar Dine.", "Ansar Dine"),
    ("en", "Police said the attack on a barracks in Gao was the work of Ansar Dine.", "Ansar Dine"),
])
def test_a_group_of_the_event_noun_or_whose_work_it_was_did_it(language, text, group):
    assert perpetrator_names(text, language) == {group}


@pytest.mark.parametrize("language, text, forces", [
    ("nl", "Bij Turkse bombardementen in Noord-Syrië zijn zondag negen Koerdische strijders gedood.",
     "Turkish armed forces"),
    ("nl", "Een Israëlische luchtaanval trof maandag een trainingskamp van Hamas in Gaza.", "Israel Defense Forces"),
    ("en", "Russian air strikes killed 12 civilians in Idlib on Tuesday.", "Russian armed forces"),
])
def test_a_demonym_before_a_strike_names_the_state_that_struck(language, text, forces):
    assert perpetrator_names(text, language, "remote_violence") == {forces}


def test_a_demonym_before_an_attack_names_no_state():
    assert perpetrator_names("A Palestinian attack near Hebron injured two soldiers.", "en") == set()
