"""Fields of events that dutch_news_dev's field errors showed wrong (issue 11), each as a class written here in new
sentences: a relative "van wie" is no generic "wie"; an unresolved date still makes an event specific; a state's name
after "in" is the country; a definite event noun takes the place its "vond ... plaats" names."""
from __future__ import annotations

import datetime

import pytest

from kroniek.pipeline import analyse_text

PUBLISHED = datetime.date(2021, 5, 4)


def events(text: str, language: str = "nl", published=PUBLISHED):
    return analyse_text(text, language=language, published=published)


def test_relative_wie_after_a_preposition_is_not_generic():
    found = events("Een buurman op wie je een steekpartij als die van zaterdag niet had verwacht.")
    attack = next(e for e in found if e.type == "attack")
    assert attack.modality == "asserted"
    assert attack.date is not None and attack.date.start == datetime.date(2021, 5, 1)


def test_generic_wie_still_generic():
    found = events("Wie een aanslag pleegt, wordt vaak gepakt.")
    assert all(e.modality != "asserted" for e in found if e.type == "attack")


def test_an_unresolved_date_makes_a_plural_event_noun_specific():
    # no publication date: "afgelopen weekend" cannot be resolved, yet it says which attacks
    found = events("In Kenia werden afgelopen weekend meerdere aanslagen gepleegd.", published=None)
    attack = next(e for e in found if e.type == "attack")
    assert attack.modality == "asserted"


def test_without_a_date_a_plural_event_noun_stays_generic():
    found = events("In Kenia worden aanslagen gepleegd.", published=None)
    assert [e.modality for e in found if e.type == "attack"] == ["generic"]


def test_a_state_after_in_is_the_country_not_its_government():
    found = events("Een man heeft zaterdag een aanslag gepleegd op een kerk in de Verenigde Staten.")
    attack = next(e for e in found if e.type == "attack")
    assert attack.location is not None and attack.location.country == "US"
    assert not any(a.name == "United States" for a in attack.actors)


def test_the_state_as_an_actor_elsewhere_stays_an_actor():
    found = events("De Verenigde Staten voerden zaterdag luchtaanvallen uit op Mosoel.")
    strike = next(e for e in found if e.type == "remote_violence")
    assert ("perpetrator", "United States") in {(a.role, a.name) for a in strike.actors}


def mention_places(text: str, language: str = "nl") -> list[tuple[str, str | None]]:
    """(trigger, place name) of each event mention, before consolidation fills places in from other sentences."""
    from kroniek.annotate.article import annotate_article
    from kroniek.extract.mentions import extract_mentions
    from kroniek.records import Article

    doc = annotate_article(Article("doc_test", text, "<test>", language=language, published=PUBLISHED))
    return [(m.trigger.text, m.location.value.name if m.location else None) for m in extract_mentions(doc)]


def test_a_definite_noun_takes_the_place_its_took_place_verb_names():
    found = mention_places("Een man opende zaterdag het vuur in een kerk. De schietpartij vond zaterdagavond laat "
                           "plaats in de Amerikaanse stad Denver.")
    assert ("schietpartij", "Denver") in found


def test_a_definite_noun_far_from_a_place_without_such_a_verb_does_not_take_it():
    found = mention_places("Een man opende zaterdag het vuur in een kerk. Sinds de schietpartij zit de man vast in "
                           "een gevangenis in Denver.")
    assert ("schietpartij", None) in found


def test_a_persons_army_makes_the_person_that_side():
    found = events("Bij gevechten tussen soldaten van Pieter Jansens leger en het regeringsleger bij Tripoli zijn zaterdag "
                   "elf mensen omgekomen.")
    clash = next(e for e in found if e.type == "armed_clash")
    assert ("perpetrator", "Pieter Jansen") in {(a.role, a.name) for a in clash.actors}
    assert not any(a.role == "victim" for a in clash.actors)


def test_a_group_named_in_apposition_is_an_actor():
    found = events("Een overwegend islamitische groep, de Kalomba, heeft zaterdag in Jos minstens twintig boeren "
                   "vermoord.")
    attack = next(e for e in found if e.type == "attack")
    assert ("perpetrator", "Kalomba") in {(a.role, a.name) for a in attack.actors}


def test_people_in_hospital_are_wounded_unless_they_died_there():
    from kroniek.annotate.casualties import find_casualties

    assert [(c.label, c.value.min) for c in find_casualties(
        "Momenteel liggen nog ongeveer 40 mensen in het ziekenhuis.", "nl")] == [("injuries", 40)]
    assert [(c.label, c.value.min) for c in find_casualties(
        "Drie mensen zijn in het ziekenhuis overleden.", "nl")] == [("fatalities", 3)]
    assert [(c.label, c.value.min) for c in find_casualties("At least 12 people remain in hospital.", "en")] == \
        [("injuries", 12)]


def test_one_suspect_wounded_counts_one():
    from kroniek.annotate.casualties import find_casualties

    assert [(c.label, c.value.min) for c in find_casualties(
        "Een derde verdachte is zwaargewond geraakt en opgepakt.", "nl")] == [("injuries", 1)]


def test_a_place_named_as_a_point_of_reference_is_not_the_events():
    assert ("gedood", "Verviers") in mention_places(
        "Donderdag zijn in het plaatsje Verviers, vlakbij Luik, bij een politieactie twee jihadisten gedood.")


def test_a_point_of_reference_alone_is_the_events_place():
    assert ("gevechten", "Tripoli") in [(t.split()[0], p) for t, p in mention_places(
        "Bij gevechten nabij Tripoli zijn zaterdag elf mensen omgekomen.")]


def test_when_with_a_past_calendar_day_is_narrative_not_hypothetical():
    found = events("Als de bakker Pieter Jansen op 12 juli 2014 zijn auto parkeert, wordt hij doodgeschoten.")
    attack = next(e for e in found if e.type == "attack")
    assert attack.modality == "asserted"
    assert attack.date is not None and attack.date.start == datetime.date(2014, 7, 12)


def test_if_without_a_date_stays_hypothetical():
    found = events("Als de bakker zijn auto parkeert, wordt hij doodgeschoten.")
    assert all(e.modality == "hypothetical" for e in found if e.type == "attack")


def test_on_a_large_scale_describes_a_pattern():
    found = events("In het noorden van Nigeria worden op grote schaal boeren gedood.")
    assert all(e.modality == "generic" for e in found if e.type in ("attack", "killing"))


def test_in_the_same_period_takes_the_period_named_before():
    from kroniek.annotate.dates import find_dates

    text = "In januari en februari werden 40 boeren gedood. Een militie doodde in dezelfde periode 12 herders."
    same = [d for d in find_dates(text, "nl", PUBLISHED) if d.text == "in dezelfde periode"]
    assert [(d.value.start, d.value.end, d.value.resolved_from) for d in same] == \
        [(datetime.date(2021, 1, 1), datetime.date(2021, 2, 28), "context")]


def test_in_the_same_period_with_nothing_before_it_is_no_date():
    from kroniek.annotate.dates import find_dates

    assert find_dates("In dezelfde periode werden 12 herders gedood.", "nl", PUBLISHED) == ()


def test_a_countrys_own_police_named_before_an_unplaced_event_give_its_country():
    found = events("De Duitse politie zoekt een man. Gisteren ontplofte een bom in een schuur.")
    attack = next(e for e in found if e.type == "attack")
    assert attack.location is not None
    assert (attack.location.country, attack.location.precision) == ("DE", "country")
    found = events("German police are looking for a man. On Monday a bomb exploded in a shed and killed a farmer.",
                   language="en")
    attack = next(e for e in found if e.type == "attack")
    assert attack.location is not None and attack.location.country == "DE"


def test_a_countrys_premier_in_the_events_own_sentence_gives_its_country():
    found = events("De Deense premier sprak in het parlement over de aanslag op een kerk.")
    attack = next(e for e in found if e.type == "attack")
    assert attack.location is not None and (attack.location.name, attack.location.country) == ("Denmark", "DK")


def test_a_named_place_wins_over_the_authorities_country():
    found = events("De Duitse politie zoekt een man. Gisteren ontplofte een bom in een schuur in Wenen.")
    attack = next(e for e in found if e.type == "attack")
    assert attack.location is not None and attack.location.country == "AT"


def test_a_countrys_adjective_on_anyone_but_its_authorities_gives_no_place():
    found = events("De Duitse toerist zag hoe gisteren een bom ontplofte in een schuur.")
    assert next(e for e in found if e.type == "attack").location is None
    found = events("De Amerikaanse president sprak over de aanslag op een kerk.")
    assert next(e for e in found if e.type == "attack").location is None


def _record_of(*mentions):
    """The record of one cluster of hand-made mentions of an invented two-sentence article."""
    from kroniek.consolidate.cluster import Cluster
    from kroniek.consolidate.record import to_event
    from kroniek.records import Article, EventMention, Span

    text = "Een man heeft de bakker met een pistool gedood. Het verhaal van de ontvoering is onzin."
    article = Article("doc_test", text, "<test>", language="nl", published=PUBLISHED)
    built = []
    for word, subtype, weapons, reference in mentions:
        start = text.index(word)
        built.append(EventMention("doc_test", "attack", subtype, "asserted", 0 if start < 47 else 1,
                                  Span(start, start + len(word), word, "attack", None, "test"),
                                  weapons=weapons, reference=reference))
    cluster = Cluster(built)
    return to_event(article, cluster, [cluster])


def test_a_noun_referring_back_does_not_override_the_weapon_the_event_was_told_with():
    event = _record_of(("gedood", None, ("firearms",), "specific"), ("ontvoering", "kidnapping", (), "anaphoric"))
    assert event.subtype == "shooting"


def test_a_noun_referring_back_still_gives_the_subtype_nothing_else_gives():
    event = _record_of(("gedood", None, (), "specific"), ("ontvoering", "kidnapping", (), "anaphoric"))
    assert event.subtype == "kidnapping"


def test_a_perpetrator_noun_with_an_age_takes_the_person_introduced_with_that_age():
    found = events("De politie vreest dat de terreur van hovenier Pieter Jansen (61) nog wel even duurt. Gisteren "
                   "ontplofte een bom in een schuur in Gouda. De 61-jarige hoofdverdachte pleegde vorige week "
                   "zelfmoord.")
    attack = next(e for e in found if e.type == "attack")
    assert ("perpetrator", "Pieter Jansen") in {(a.role, a.name) for a in attack.actors}
    found = events("Police fear that the campaign of gardener Peter Johnson, 61, is not over. On Monday a bomb "
                   "exploded in a shed in Leeds and killed a farmer. The 61-year-old suspect killed himself last "
                   "week.", language="en")
    attack = next(e for e in found if e.type == "attack")
    assert ("perpetrator", "Peter Johnson") in {(a.role, a.name) for a in attack.actors}


def test_an_age_given_with_two_people_names_no_perpetrator():
    found = events("De politie sprak met hovenier Pieter Jansen (61) en bakker Kees de Bruin (61). Gisteren "
                   "ontplofte een bom in een schuur in Gouda. De 61-jarige hoofdverdachte pleegde vorige week "
                   "zelfmoord.")
    attack = next(e for e in found if e.type == "attack")
    assert not any(a.role == "perpetrator" for a in attack.actors)


MOMBASA = ("Vorig jaar werd in Nairobi een hotel aangevallen.\n\nIn Mombasa werden zaterdag drie aanslagen gepleegd op "
           "kerken. De kerken waren vol. Het was de drukste dag van het jaar. {between} Momenteel liggen nog 40 "
           "mensen in het ziekenhuis.")


def _mombasa_injuries(between: str):
    found = events(MOMBASA.format(between=between))
    attack = next(e for e in found if e.type == "attack" and e.location and e.location.name == "Mombasa")
    return attack.injuries.min if attack.injuries else None


def test_figures_later_in_the_paragraph_that_told_one_attack_are_its_toll():
    assert _mombasa_injuries("Veel gelovigen waren op de been.") == 40


def test_figures_after_another_event_reported_in_between_are_not_the_attacks_toll():
    assert _mombasa_injuries("De politie heeft zondag een verdachte opgepakt.") is None



@pytest.mark.parametrize("language, text, place", [
    # a place after "van"/"of" completes another noun (the object of a recognition), it is not where it happened
    ("nl", "Israëlische soldaten hebben een Palestijnse man doodgeschoten in de Gazastrook tijdens de protesten tegen "
           "de erkenning van Jeruzalem als hoofdstad.", "Gaza Strip"),
    ("en", "A bomb exploded in the Gaza Strip on Monday during protests against the recognition of Jerusalem as the "
           "capital, killing two people.", "Gaza Strip"),
    # unless the noun before it is a part or site of the place
    ("nl", "Bij een aanslag in het centrum van Kabul kwamen tien mensen om.", "Kabul"),
    ("en", "A bomb exploded on the outskirts of Kabul on Monday, killing two people.", "Kabul"),
])
def test_a_place_that_only_completes_another_noun_is_not_the_events(language, text, place):
    violent = [e for e in events(text, language) if e.type == "attack"]
    assert [e.location.name for e in violent] == [place]


@pytest.mark.parametrize("language, text, victim", [
    # the passive subject of a kidnapping is its victim, as it is of a shooting ("kidnapped" was read as a noun)
    ("en", "Aid worker John Smith was kidnapped in Kabul by the Taliban.", "John Smith"),
    ("nl", "Hulpverlener Jan Jansen werd in Kabul ontvoerd door de Taliban.", "Jan Jansen"),
    # a harm done to someone ("de vergiftiging van", "the poisoning of") names its victim, also before the event word
    ("nl", "De vergiftiging van Sergej Skripal in Salisbury was een aanslag.", "Sergej Skripal"),
    ("en", "The abduction of John Smith in Kabul was carried out by the Taliban on Monday.", "John Smith"),
    # a descriptor between the role word and the name, as a title is
    ("nl", "De vergiftiging van de Russische ex-spion Sergej Skripal in Salisbury was een aanslag.", "Sergej Skripal"),
])
def test_who_a_kidnapping_or_a_poisoning_was_done_to_is_its_victim(language, text, victim):
    attack = next(e for e in events(text, language) if e.type == "attack")
    assert [(a.role, a.name) for a in attack.actors if a.name == victim] == [("victim", victim)]


@pytest.mark.parametrize("language, text, participants", [
    # an article and a person word with a preposition between them are no person phrase: the murder is what the
    # crowd protested, not who protested
    ("en", "Thousands of people protested in Bratislava after the murder of journalist Jan Kuciak.",
     ["Thousands of people"]),
    ("nl", "Duizenden mensen betoogden in Bratislava na de moord op journalist Jan Kuciak.", ["Duizenden mensen"]),
])
def test_a_protests_grievance_is_not_its_participants(language, text, participants):
    protest = next(e for e in events(text, language) if e.type == "protest")
    assert [a.text for a in protest.actors if a.role == "perpetrator"] == participants


@pytest.mark.parametrize("language, text, perpetrator", [
    # "gepleegd door de Syrische jihadist X": the agent's descriptor stands between "door" and the name
    ("nl", "De aanslag werd gepleegd door de Syrische jihadist Abu Ahmed in Damascus.", "Abu Ahmed"),
    ("en", "The bombing was carried out by Tunisian jihadist Abu Ahmed in Damascus on Monday.", "Abu Ahmed"),
])
def test_a_descriptor_between_the_role_word_and_the_name_keeps_the_role(language, text, perpetrator):
    attack = next(e for e in events(text, language) if e.type == "attack")
    assert [(a.role, a.name) for a in attack.actors if a.name == perpetrator] == [("perpetrator", perpetrator)]


@pytest.mark.parametrize("text, language, victim, place", [
    ("De politie onderzoekt de moord op journalist Peter Bakker in Utrecht.", "nl", "Peter Bakker", "Utrecht"),
    ("Police are investigating the murder of journalist Peter Baker in Leeds.", "en", "Peter Baker", "Leeds"),
])
def test_a_murder_noun_is_an_attack_on_its_victim_at_the_place_after_the_name(text, language, victim, place):
    # "moord" was no event word in Dutch ("murder" was in English); and the victim's name between the definite noun
    # and "in Utrecht" put the place too far from the noun to be its own
    found = [e for e in events(text, language) if e.type == "attack"]
    assert len(found) == 1
    assert [(a.role, a.name) for a in found[0].actors] == [("victim", victim)]
    assert found[0].location is not None and found[0].location.name == place


@pytest.mark.parametrize("text, language", [
    ("Sinds de schietpartij zit Tanis in de gevangenis in Vught.", "nl"),
    ("Since the shooting Tanis has been held in the prison in Vught.", "en"),
])
def test_a_place_far_after_a_definite_noun_is_still_not_its_own(text, language):
    found = [e for e in events(text, language) if e.type == "attack"]
    assert [e.location for e in found] == [None]


@pytest.mark.parametrize("language, text", [
    ("nl", "Twee militairen en een burger kwamen om bij een aanval van jihadisten in het noorden van Mali."),
    ("en", "Two soldiers and a civilian died in an attack by jihadists in northern Mali."),
])
def test_soldiers_listed_among_the_dead_are_victims(language, text):
    attack = next(e for e in events(text, language) if e.type == "attack")
    assert (attack.fatalities.min, attack.fatalities.max) == (3, 3)
    assert {(a.role, a.name) for a in attack.actors} == {("victim", "military"), ("perpetrator", "militants")}


@pytest.mark.parametrize("language, text, trigger, place", [
    ("nl", "Bij de aanslag op de moskee in de Nieuw-Zeelandse stad Christchurch kwamen vijftig mensen om.", "aanslag",
     "Christchurch"),
    ("en", "The attack on the mosque in the New Zealand city of Christchurch killed fifty people.", "attack",
     "Christchurch"),
    ("nl", "De aanslag op het hotel in de Malinese hoofdstad Bamako kostte twintig mensen het leven.", "aanslag",
     "Bamako"),
])
def test_a_demonym_or_country_before_the_place_is_part_of_its_phrase(language, text, trigger, place):
    assert (trigger, place) in mention_places(text, language)


@pytest.mark.parametrize("language, text", [
    ("en", "Protesters clashed with police in Hong Kong on Sunday; 20 people were injured."),
    ("nl", "Betogers bekogelden zondag in Parijs de politie met stenen."),
])
def test_the_rioters_are_the_riots_participants_not_its_victims(language, text):
    riot = next(e for e in events(text, language) if e.type == "riot")
    assert ("perpetrator", "protesters") in {(a.role, a.name) for a in riot.actors}
    assert not any(a.role == "victim" for a in riot.actors)


def test_protesters_fired_on_stay_victims():
    found = events("Police fired tear gas at protesters in Nairobi on Monday, injuring five.", "en")
    assert ("victim", "protesters") in {(a.role, a.name) for e in found for a in e.actors}


@pytest.mark.parametrize("language, text, subtype, vehicle", [
    ("en", "Two police officers were killed when their vehicle was ambushed by al-Shabaab fighters near Mandera.", None,
     False),
    ("nl", "Op 3 september wordt een man zittend voorin een auto in Amstelveen doodgeschoten.", "shooting", False),
    ("en", "A truck ploughed into a crowd at a Christmas market in Berlin, killing 12 people.", "vehicle_ramming", True),
    ("nl", "Een man reed donderdag met een vrachtwagen in op een menigte in Nice.", "vehicle_ramming", True),
    # a vehicle as a passive's agent was used
    ("nl", "De fietsers werden zondag in Danghara eerst aangereden door een auto en daarna neergestoken.", "stabbing",
     True),
])
def test_a_vehicle_is_a_weapon_only_where_it_rammed(language, text, subtype, vehicle):
    attack = next(e for e in events(text, language) if e.type == "attack")
    assert attack.subtype == subtype and ("vehicle" in attack.weapons) == vehicle
