"""Words that name violence only in a violent sentence: criticism, missile tests, accidents, rescues, "taking"
something that is no territory, and the fight against terrorism are no events; the same words beside an armed
actor, a weapon, a casualty count or a place attacks are made on still are. The error classes were found on
EventDNA train (Kroniek's events that match no annotated event) and checked on EventDNA dev."""
from __future__ import annotations

from datetime import date

import pytest

from kroniek.pipeline import analyse_text

PUBLISHED = date(2018, 3, 1)


def kinds(text: str, language: str) -> list[tuple[str, str | None]]:
    return [(e.type, e.subtype) for e in analyse_text(text, language=language, published=PUBLISHED)]


@pytest.mark.parametrize("language, text", [
    # "aanvallen" / "attack" as criticism
    ("nl", "Trump valt bondgenoten van de VS aan op Twitter."),
    ("nl", "Erfpachthouder valt stadsbestuur aan: asbest gevonden op Stadsboerderij."),
    ("nl", "De Franse vakbonden vallen Macron aan op verschillende fronten."),
    ("en", "Trump attacked his allies on Twitter on Monday."),
    # "onder vuur nemen" as criticism
    ("nl", "De oppositie nam de minister dinsdag onder vuur."),
    # "nam" alone takes no territory
    ("nl", "Hij nam die beslissing nadat bekend raakte dat hij positief blies."),
    ("nl", "Een van hen nam die avond deel aan een tentoonstelling."),
    # a missile launched or tested, no target, no casualty
    ("nl", "Noord-Korea heeft dinsdag opnieuw een raket afgevuurd."),
    ("nl", "Rusland test een hypersonische raket die in een kwartier België kan bereiken."),
    # accidents: vehicles and the dead of a collision support no clash, ramming or killing
    ("nl", "Zeker 8 doden bij een botsing tussen een truck en een bestelwagen in Turkije."),
    ("nl", "Een jonge vluchteling werd maandag op de snelweg bij Jabbeke doodgereden."),
    ("en", "Eight people were killed in a collision between a truck and a bus in Turkey."),
    # freed, taken in: no territory
    ("nl", "Bij de operatie werden ook 36 migranten bevrijd."),
    ("nl", "De oorlogsmisdadiger slaagde erin in de rechtszaal gif in te nemen."),
    # the fight against terrorism is a policy, not a battle
    ("nl", "België wil meer samenwerken met de VS in de strijd tegen terrorisme."),
    ("en", "Belgium wants closer cooperation with the US in the fight against terrorism."),
    # a diplomatic row is no riot
    ("nl", "Ondanks de diplomatieke rel wil president Macron meer samenwerken met de VS."),
    # an organisation's name
    ("nl", "De Organisatie voor het Verbod op Chemische Wapens bevestigt de Britse bevindingen."),
])
def test_words_of_violence_outside_violence_are_no_event(language, text):
    assert kinds(text, language) == []


@pytest.mark.parametrize("language, text, expected", [
    ("nl", "IS-strijders vielen zondag een legerpost aan bij Mosoel.", ("attack", None)),
    ("nl", "Vorig jaar werd in Nairobi een hotel aangevallen.", ("attack", None)),
    ("nl", "Een man viel zaterdag in Utrecht een agent aan met een mes.", ("attack", "stabbing")),
    ("en", "Gunmen attacked a police station in Kano on Monday.", ("attack", "shooting")),
    ("nl", "Een inwoner nam de schutter onder vuur en joeg hem zo op de vlucht.", ("attack", "shooting")),
    ("nl", "IS nam zondag de volledige controle over de stad Ramadi.", ("armed_clash", "territory_taken")),
    ("nl", "Hamas vuurde dinsdag een raket af op Sderot; twee mensen raakten gewond.", ("remote_violence", "missile")),
    ("nl", "Mosoel werd in juli na negen maanden door het Iraakse leger bevrijd.",
     ("armed_clash", "territory_regained")),
    ("nl", "Een vrachtwagen reed maandag in op een kerstmarkt in Berlijn, waarbij twaalf doden vielen.",
     ("attack", "vehicle_ramming")),
    ("en", "A truck ploughed into a Christmas market in Berlin on Monday, killing 12 people.",
     ("attack", "vehicle_ramming")),
    ("nl", "Bij botsingen tussen betogers en de politie in Caïro vielen zondag twee doden.", ("riot", None)),
    ("nl", "Een Palestijn is maandag omgekomen bij een explosie aan de grens met Gaza.", ("attack", "bombing")),
])
def test_the_same_words_in_a_violent_sentence_are_events(language, text, expected):
    assert kinds(text, language) == [expected]
