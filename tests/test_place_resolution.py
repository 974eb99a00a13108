"""Place resolution error classes of issue 11: qualifiers in the same phrase, months and surnames, short forms."""
from __future__ import annotations

import pytest

from kroniek.places import find_places


def places(text: str, language: str) -> dict[str, tuple[str | None, str]]:
    """mention text -> (country, precision)."""
    return {s.text: (s.value.country, s.value.precision) for s in find_places(text, language)}


@pytest.mark.parametrize("language,text,name,country", [
    # a demonym and a kind word before the name: that country's namesake
    ("nl", "In de Amerikaanse stad Manchester werd een man neergeschoten.", "Manchester", "US"),
    ("en", "A man was shot in the American city of Manchester on Sunday.", "Manchester", "US"),
    # a chain of qualifiers after the name: the namesake inside all of them
    ("en", "Gunmen attacked a church in Springfield, Ohio, United States.", "Springfield", "US"),
    ("nl", "Er ontplofte een bom in Hyderabad, Sindh, Pakistan.", "Hyderabad", "PK"),
])
def test_a_place_qualified_in_its_phrase_takes_that_namesake(language, text, name, country):
    assert places(text, language)[name][0] == country


@pytest.mark.parametrize("text,name,country", [
    # Dutch names a place with its country as "het <demonym> <name>"; 'essen' and 'manchester' are also Dutch words,
    # which otherwise need a preposition right before them
    ("In het Duitse Essen is een man neergestoken.", "Essen", "DE"),
    ("In het Belgische Essen is een man neergestoken.", "Essen", "BE"),
    ("Bij een schietpartij in het Amerikaanse Manchester vielen twee doden.", "Manchester", "US"),
    ("Bij een aanslag in het Britse Salisbury raakten twee mensen gewond.", "Salisbury", "GB"),
])
def test_a_dutch_demonym_right_before_a_name_qualifies_it(text, name, country):
    assert places(text, "nl")[name][0] == country


def test_an_english_demonym_before_a_name_is_no_qualifier():
    # "the American Center" is an institution, not a place called Center
    assert "Center" not in places("He spoke at the American Center in the capital on Monday.", "en")


@pytest.mark.parametrize("language,text,word", [
    ("en", "The attack came in May, two weeks before the vote.", "May"),
    ("nl", "De aanslag volgde in mei, twee weken voor de verkiezingen.", "mei"),
    ("en", "President Lincoln spoke after the attack.", "Lincoln"),
    ("nl", "Volgens Abraham Lincoln was de oorlog onvermijdelijk.", "Lincoln"),
])
def test_months_and_surnames_are_not_places(language, text, word):
    assert word not in places(text, language)


def test_a_surname_after_a_locative_preposition_is_still_a_place():
    assert places("A car bomb exploded in Lincoln, Nebraska.", "en")["Lincoln"][0] == "US"


@pytest.mark.parametrize("language,text,word,expected", [
    ("en", "EU ministers met in Brussels.", "EU", (None, "region")),
    ("nl", "De EU-ministers kwamen bijeen; de EU veroordeelde de aanslag.", "EU", (None, "region")),
    ("en", "Police in NSW said the man was arrested.", "NSW", ("AU", "admin1")),
])
def test_short_forms_are_their_region_or_division_not_a_town(language, text, word, expected):
    assert places(text, language).get(word) == expected


def test_a_dominant_city_wins_its_bare_name_over_its_division():
    assert places("Thousands marched in New York on Saturday.", "en")["New York"] == ("US", "city")
    assert places("Duizenden mensen liepen zaterdag mee in New York.", "nl")["New York"] == ("US", "city")


@pytest.mark.parametrize("language,text,place,expected", [
    ("nl", "Een jaar na de aanslagen in Madrid werd in Londen een bom tot ontploffing gebracht.", "Madrid", True),
    ("nl", "Een jaar na de aanslagen in Madrid werd in Londen een bom tot ontploffing gebracht.", "Londen", False),
    ("en", "One year after the Brussels attacks, a bomb exploded in London.", "Brussels", True),
    ("en", "One year after the Brussels attacks, a bomb exploded in London.", "London", False),
    ("en", "Since the shooting at Utrecht, police have stepped up patrols in Amsterdam.", "Utrecht", True),
    ("nl", "Sinds de schietpartij in Utrecht patrouilleert de politie vaker in Amsterdam.", "Amsterdam", False),
    ("en", "A bomb exploded in Brussels after midnight.", "Brussels", False),
])
def test_a_place_named_as_a_time_reference_is_marked(language, text, place, expected):
    from kroniek.places.time_reference import named_as_time_reference
    start = text.index(place)
    assert named_as_time_reference(text, start, start + len(place), language) is expected


@pytest.mark.parametrize("language,text,name,country", [
    # a site word after a name that is also a Dutch word ('manchester' is corduroy): the name is a proper name
    ("nl", "Een man pleegde gisteren een zelfmoordaanslag in de Manchester Arena.", "Manchester", "GB"),
    ("en", "A suicide bomber blew himself up at the Manchester Arena on Monday.", "Manchester", "GB"),
])
def test_a_name_before_a_site_word_is_that_place(language, text, name, country):
    assert places(text, language)[name][0] == country


def test_an_institution_word_after_an_ordinary_word_makes_no_place():
    # 'Federal Police' and 'Man City' are no places called Federal or Man: only a site word (arena, station) counts
    found = places("The Federal Police said the Man City fans were safe.", "en")
    assert "Federal" not in found and "Man" not in found


@pytest.mark.parametrize("language, text, word, expected", [
    # a city's own name before another city's former name: 'Salisbury' is in England (GeoNames keeps it for Harare)
    ("nl", "Een Russische ex-spion is in Salisbury vergiftigd.", "Salisbury", ("Salisbury", "GB")),
    ("en", "A former Russian spy was poisoned in Salisbury.", "Salisbury", ("Salisbury", "GB")),
    # where no large city has the name as its own, the alternate name keeps its city; short forms keep theirs
    ("en", "Attacks in Bombay killed 166 people.", "Bombay", ("Mumbai", "IN")),
    ("en", "Protests in Sana and Aden.", "Sana", ("Sanaa", "YE")),
])
def test_an_own_name_wins_over_another_citys_former_name(language, text, word, expected):
    found = {s.text: (s.value.name, s.value.country) for s in find_places(text, language)}
    assert found[word] == expected
