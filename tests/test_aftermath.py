"""What happened to the attacker, told in the attack's own sentence, is not the attack (issue 11: "a named gunman is
listed among the victims of his own attack"): its police are no perpetrators, the attacker's death is no victim's.
Sentences written here."""
from __future__ import annotations

import datetime

import pytest

from kroniek.pipeline import analyse_text

PUBLISHED = datetime.date(2021, 5, 4)


def attack_of(text: str, language: str):
    found = [e for e in analyse_text(text, language=language, published=PUBLISHED) if e.type == "attack"]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("language, text", [
    ("en", "A man stabbed three people in London on Saturday before he was shot dead by police."),
    ("en", "A man stabbed three people in London on Saturday before being shot dead by police."),
    ("en", "A man stabbed three people in London on Saturday and was later shot dead by police."),
    ("nl", "Een man stak zaterdag in Londen drie mensen neer voordat hij door agenten werd doodgeschoten."),
    ("nl", "Een man stak zaterdag in Londen drie mensen neer en werd daarna door agenten doodgeschoten."),
    ("nl", "Drie mensen werden zaterdag in Londen neergestoken voordat de dader door agenten werd doodgeschoten."),
])
def test_the_attackers_death_is_not_the_attack(language, text):
    attack = attack_of(text, language)
    assert attack.subtype == "stabbing"
    assert attack.fatalities is None                      # the attacker's death is no victim's
    assert not any(a.role == "perpetrator" and a.kind == "police" for a in attack.actors)
    assert {a.role for a in attack.actors} == {"victim"}


@pytest.mark.parametrize("language, text, name", [
    ("en", "Gunman John Carter killed four people at a school in Ohio on Monday before he was shot dead by police.",
     "John Carter"),
    ("nl", "Schutter Jan Bakker doodde maandag vier mensen op een school in Utrecht voordat hij door de politie werd "
           "doodgeschoten.", "Jan Bakker"),
])
def test_a_named_gunman_stays_the_perpetrator(language, text, name):
    attack = attack_of(text, language)
    assert (attack.fatalities.min, attack.fatalities.max) == (4, 4)
    assert {(a.role, a.name) for a in attack.actors} == {("perpetrator", name)}


@pytest.mark.parametrize("language, text", [
    ("en", "Three soldiers were shot dead in Gao on Monday after they were ambushed by militants."),
    ("nl", "Drie militairen werden maandag in Gao doodgeschoten nadat ze door jihadisten in een hinderlaag waren "
           "gelokt."),
])
def test_a_pronoun_for_the_victims_opens_no_aftermath(language, text):
    attack = attack_of(text, language)
    assert ("perpetrator", "militants") in {(a.role, a.name) for a in attack.actors}
    assert (attack.fatalities.min, attack.fatalities.max) == (3, 3)


def test_a_later_coordinated_passive_of_others_is_no_aftermath():
    attack = attack_of("Rebels attacked the town on Monday, and the villages of Alba and Roca were also attacked by "
                       "the rebels.", "en")
    assert ("perpetrator", "rebels") in {(a.role, a.name) for a in attack.actors}


@pytest.mark.parametrize("language, text", [
    ("en", "A man stabbed three people in London on Saturday. He was shot dead by police."),
    ("nl", "Een man stak zaterdag in Londen drie mensen neer. Hij werd door de politie doodgeschoten."),
])
def test_a_next_sentence_on_the_attackers_end_is_not_the_attack(language, text):
    attack = attack_of(text, language)
    assert attack.fatalities is None
    assert not any(a.role == "perpetrator" and a.kind == "police" for a in attack.actors)


def test_a_pronoun_after_a_passive_attack_is_a_victim_not_the_attacker():
    attack = attack_of("Two men were stabbed in London on Saturday. He was shot dead by police.", "en")
    assert (attack.fatalities.min, attack.fatalities.max) == (1, 1)      # "he", one of the two, died
