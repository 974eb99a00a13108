"""One article, one record per event (kroniek.consolidate.within): what joins, what stays apart, in Dutch and English."""
from __future__ import annotations

from datetime import date

import pytest

from kroniek.pipeline import analyse_text

FILLER = {"nl": "De gemeente hield een vergadering over het verkeer. ", "en": "The council met to discuss traffic. "}
CALL = {"nl": "De groep riep haar aanhangers op om aanslagen te plegen in Europa. ",
        "en": "The group called on its supporters to carry out attacks in Europe. "}
AGAIN = {"nl": "In een nieuwe video riep de groep opnieuw op tot aanslagen in Europa. ",
         "en": "In a new video the group again called for attacks in Europe. "}


def _calls(text: str, language: str) -> list:
    return [e for e in analyse_text(text, language=language, published=date(2017, 10, 26)) if e.type == "incitement"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_call_repeated_in_the_next_sentences_is_one_statement(language):
    # two sentences apart (LINK_DISTANCE): the same call told twice
    text = CALL[language] + FILLER[language] + AGAIN[language]
    assert len(_calls(text, language)) == 1


@pytest.mark.parametrize("language", ["nl", "en"])
def test_calls_far_apart_are_two_statements(language):
    text = CALL[language] + FILLER[language] * 4 + AGAIN[language]
    assert len(_calls(text, language)) == 2


@pytest.mark.parametrize("text, language", [
    ("Anis Amri, suspected of driving a truck into a Christmas market in Berlin on Monday, was shot dead by police "
     "near Milan early on Friday.", "en"),
    ("Anis Amri, die maandag met een vrachtwagen inreed op een kerstmarkt in Berlijn, is vrijdag bij Milaan door de "
     "politie doodgeschoten.", "nl"),
])
def test_an_attack_and_the_shooting_that_ended_its_suspect_are_two_events(text, language):
    events = [e for e in analyse_text(text, language=language, published=date(2016, 12, 23)) if e.type == "attack"]
    kinds = {e.subtype: e for e in events}
    assert set(kinds) == {"vehicle_ramming", "shooting"}
    assert kinds["vehicle_ramming"].date.start == date(2016, 12, 19)
    assert kinds["shooting"].date.start == date(2016, 12, 23)
    assert not any(a.name.lower() == "police" and a.role == "perpetrator" for a in kinds["vehicle_ramming"].actors)
    assert [r.relation for r in kinds["shooting"].related] == ["follows"]


@pytest.mark.parametrize("text, language", [
    ("Ruim zeventig militairen gedood bij aanval op legerkamp in Niger\n\nBij een aanval op een legerkamp in Niger zijn "
     "dinsdag 71 militairen om het leven gekomen.", "nl"),
    ("More than seventy soldiers killed in attack on army camp in Niger\n\nSeventy-one soldiers were killed on Tuesday "
     "in an attack on an army camp in Niger.", "en"),
])
def test_a_headline_and_its_lede_are_one_event(text, language):
    events = [e for e in analyse_text(text, language=language, published=date(2019, 12, 12)) if e.type == "attack"]
    assert len(events) == 1
    assert events[0].fatalities.min == 71 and events[0].date.start == date(2019, 12, 10)


@pytest.mark.parametrize("text, language", [
    ("Bij een bloedbad in het dorp zijn minstens 128 herders vermoord. Later werden in de regio 280 christenen "
     "vermoord.", "nl"),
    ("At least 128 herders were massacred in the village. Later 280 Christians were murdered in the region.", "en"),
])
def test_two_massacres_with_far_apart_tolls_stay_two(text, language):
    events = [e for e in analyse_text(text, language=language, published=date(2019, 4, 1))
              if e.type in ("attack", "killing")]
    assert sorted(e.fatalities.min for e in events) == [128, 280]


@pytest.mark.parametrize("text, language", [
    ("De aanslag doet denken aan die van 14 juli in Nice, waar een man met een vrachtwagen 86 mensen doodreed.", "nl"),
])
def test_what_follows_a_comparison_belongs_to_the_other_event(text, language):
    events = [e for e in analyse_text(text, language=language, published=date(2016, 12, 21)) if e.type == "attack"]
    (nice,) = [e for e in events if e.location is not None]
    assert nice.location.name == "Nice" and nice.date.start == date(2016, 7, 14)
