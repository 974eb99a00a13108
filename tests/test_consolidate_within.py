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


# Arrests told paragraph by paragraph, one country each; the later ones name their place only in the sentence before.
ARRESTS_BY_COUNTRY = {
    "nl": ("Bij een antiterreuractie in België is donderdag een verdachte opgepakt. Niet alleen in België, maar ook in "
           "Duitsland en Frankrijk werden terreurverdachten gearresteerd.\n\n"
           "In de Belgische stad Verviers viel de politie een huis binnen. Daar werden drie mannen gearresteerd.\n\n"
           "Ook in de Duitse hoofdstad Berlijn werd een grote antiterreuractie gehouden. Daarbij werden twee mannen "
           "gearresteerd.\n\n"
           "In Parijs werden twaalf mensen verhoord over de aanslagen. Acht van hen zijn aangehouden."),
    "en": ("A suspect was arrested in a counter-terrorism raid in Belgium on Thursday. Not only in Belgium but also in "
           "Germany and France terror suspects were arrested.\n\n"
           "In the Belgian town of Verviers police raided a house. Three men were arrested there.\n\n"
           "In the German capital Berlin a large counter-terrorism operation was also held. Two men were arrested "
           "during it.\n\n"
           "In Paris twelve people were questioned about the attacks. Eight of them were detained."),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_arrests_in_paragraphs_about_other_countries_are_events_of_their_own(language):
    arrests = [e for e in analyse_text(ARRESTS_BY_COUNTRY[language], language=language, published=date(2015, 1, 16))
               if e.type == "arrest" and e.modality == "asserted"]
    by_country = sorted((e.location.country if e.location else None) for e in arrests)
    assert by_country == ["BE", "DE", "FR"]
    belgian = next(e for e in arrests if e.location.country == "BE")
    # the sentence that names three countries side by side joins the Belgian arrests and gives them no other place
    quotes = " ".join(x.quote for x in belgian.evidence if x.field is None)
    assert ("Frankrijk" if language == "nl" else "France") in quotes
    assert {e.location.name for e in arrests if e.location.country != "BE"} == {"Berlin", "Paris"}


@pytest.mark.parametrize("text, language", [
    ("In België, Duitsland en Frankrijk werden donderdag terreurverdachten gearresteerd.", "nl"),
    ("Terror suspects were arrested in Belgium, Germany and France on Thursday.", "en"),
])
def test_a_mention_that_names_several_countries_side_by_side_takes_none_of_them(text, language):
    events = [e for e in analyse_text(text, language=language, published=date(2015, 1, 16)) if e.type == "arrest"]
    assert len(events) == 1 and events[0].location is None


@pytest.mark.parametrize("text, language", [
    ("Bij een aanslag in Parijs en Brussel vielen vorige week tien doden.", "nl"),
])
def test_places_of_one_country_named_together_keep_the_nearest(text, language):
    # Paris and Brussels are two countries: no one place; Utrecht and Amsterdam below are one country and
    # the rule leaves them alone
    events = [e for e in analyse_text(text, language=language, published=date(2016, 3, 30)) if e.type == "attack"]
    assert events and events[0].location is None
    same = analyse_text("Bij schietpartijen in Utrecht en Amsterdam vielen vorige week drie doden.", language="nl",
                        published=date(2016, 3, 30))
    attacks = [e for e in same if e.type == "attack"]
    assert attacks and attacks[0].location is not None and attacks[0].location.country == "NL"


# Casualty figures far from any event word are the toll of the article's only violent event (context.py); with a
# second violent event in the article they are nobody's.
ONLY_EVENT = {
    "nl": ("Twee weken geleden viel een schutter het station van Gent aan. "
           "De burgemeester sprak de aanwezigen toe. Daarna legden ze bloemen. Een koor zong een lied. "
           "Twee reizigers raakten gewond."),
    "en": ("Two weeks ago a gunman attacked the station in Ghent. "
           "The mayor addressed the crowd. Then they laid flowers. A choir sang a song. "
           "Two travellers were wounded."),
}
SECOND_EVENT = {"nl": "Vorig jaar voerde het leger luchtaanvallen uit op Mosul. " + FILLER["nl"] * 3,
                "en": "Last year the army carried out air strikes on Mosul. " + FILLER["en"] * 3}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_far_casualty_figures_are_the_toll_of_the_only_event(language):
    events = [e for e in analyse_text(ONLY_EVENT[language], language=language, published=date(2019, 3, 25))
              if e.type == "attack"]
    assert len(events) == 1
    assert events[0].injuries is not None and (events[0].injuries.min, events[0].injuries.max) == (2, 2)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_far_casualty_figures_join_no_event_when_the_article_has_two(language):
    text = SECOND_EVENT[language] + ONLY_EVENT[language]
    events = analyse_text(text, language=language, published=date(2019, 3, 25))
    assert sorted(e.type for e in events) == ["attack", "remote_violence"]
    assert all(e.injuries is None for e in events)


# A figure in the sentence before an event that its own figure contradicts is another count (a statistic), not the
# event's toll given first (context.py); one that agrees, or comes after the event, still joins.
@pytest.mark.parametrize("language,text,expected", [
    ("nl", "Drie jaar later spreekt Amnesty van 3641 doden in de regio. "
           "Gisteren werden bij een aanslag in Jos 280 christenen vermoord.", 280),
    ("en", "Amnesty speaks of 3641 deaths in the region. Yesterday 280 Christians were killed in an attack in Jos.", 280),
])
def test_a_contradicting_figure_before_the_event_is_not_its_toll(language, text, expected):
    events = [e for e in analyse_text(text, language=language, published=date(2019, 4, 1)) if e.type == "attack"]
    assert len(events) == 1 and events[0].fatalities is not None
    assert (events[0].fatalities.min, events[0].fatalities.max) == (expected, expected)


@pytest.mark.parametrize("text, language", [
    ("Militants attacked a police post in Swat on Monday, killing two policemen. Seven attackers were also killed.",
     "en"),
    ("Militanten vielen maandag een politiepost in Swat aan en doodden twee agenten. Zeven aanvallers werden door de "
     "politie gedood.", "nl"),
])
def test_the_perpetrators_own_dead_are_kept_apart_from_the_toll_and_said_so(text, language):
    (attack,) = [e for e in analyse_text(text, language=language, published=date(2016, 12, 23))
                 if e.type == "attack"]
    assert (attack.fatalities.min, attack.fatalities.max) == (2, 2)
    (note,) = [r for r in attack.merged_because if "perpetrators" in r]
    assert note.startswith("fatalities of the perpetrators kept apart from the toll: '") and "7" not in note
    assert ("Seven attackers" if language == "en" else "Zeven aanvallers") in note


def test_when_only_the_perpetrators_died_the_toll_is_theirs_and_the_record_says_so():
    text = "Gunmen stormed a hotel in Bamako on Friday. The three attackers were later shot dead by soldiers."
    (attack,) = [e for e in analyse_text(text, language="en", published=date(2015, 11, 20)) if e.type == "attack"]
    assert attack.fatalities.min == 3
    assert "fatalities: the perpetrators' own ('three attackers were later shot dead')" in attack.merged_because
