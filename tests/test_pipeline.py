"""The whole pipeline on hand-written articles, Dutch and English: types, modality, arguments, evidence."""
from __future__ import annotations

from datetime import date

import pytest

from kroniek.pipeline import analyse_text, event_to_dict


def _events(text: str, language: str, published: date | None = date(2016, 12, 21)) -> list[dict]:
    return [event_to_dict(e) for e in analyse_text(text, language=language, published=published)]


def _asserted(events: list[dict], type_: str) -> list[dict]:
    return [e for e in events if e["type"] == type_ and e["modality"] == "asserted"]


def test_dutch_attack_with_toll_claim_and_date(nl_attack):
    events = _events(nl_attack, "nl")
    attacks = _asserted(events, "attack")
    assert len(attacks) == 1
    attack = attacks[0]
    assert attack["subtype"] == "vehicle_ramming" and "vehicle" in attack["weapons"]
    assert attack["date"]["start"] == "2016-12-20" and attack["date"]["text"] == "Gisteravond"
    assert attack["location"]["name"] == "Cologne" and attack["location"]["country"] == "DE"
    assert attack["fatalities"]["min"] == 5 and attack["injuries"]["min"] == 10
    assert "christmas market" in attack["targets"]
    claim = _asserted(events, "claim")[0]
    assert {"relation": "claims", "event_id": attack["id"]} in claim["related"]
    assert {"relation": "claimed_by", "event_id": claim["id"]} in attack["related"]
    assert any(a["role"] == "claimant" and a["id"] == "islamic-state" for a in claim["actors"])
    assert any(a["role"] == "perpetrator" and a["attribution"] == "claimed" for a in attack["actors"])


def test_english_shooting_with_casualties(en_attack):
    events = _events(en_attack, "en", date(2019, 3, 18))
    attack = _asserted(events, "attack")[0]
    assert attack["subtype"] == "shooting" and "firearms" in attack["weapons"]
    assert attack["location"]["name"] == "Lyon" and attack["location"]["country"] == "FR"
    assert attack["fatalities"]["min"] == 3 and attack["injuries"]["min"] == 7
    assert attack["date"]["start"] == "2019-03-16"      # "on Saturday", published on Monday 18 March
    assert "synagogue" in attack["targets"]


def test_every_evidence_quote_is_the_text_at_its_offsets(nl_attack, en_attack):
    for text, language in ((nl_attack, "nl"), (en_attack, "en")):
        for event in _events(text, language):
            for ev in event["evidence"]:
                assert text[ev["start"]:ev["end"]] == ev["quote"]


def test_no_publication_date_means_no_relative_dates(nl_attack):
    for event in _events(nl_attack, "nl", published=None):
        assert event["date"] is None


@pytest.mark.parametrize("text, language, modality", [
    ("De kans op nieuwe aanslagen in Europa wordt steeds groter.", "nl", {"hypothetical", "generic"}),
    ("The risk of new terrorist attacks in Europe is growing, experts warned.", "en", {"hypothetical", "generic"}),
    ("De politie ontkende dat er gisteren in Gent een aanslag is gepleegd.", "nl", {"negated"}),
    ("Police denied that a bomb exploded in Ghent yesterday.", "en", {"negated"}),
    ("De groep wil volgende week aanslagen plegen in Parijs.", "nl", {"future"}),
    ("Als het leger de stad aanvalt, zullen er burgers sterven.", "nl", {"hypothetical", "future"}),
    ("If the army attacks the city, civilians will die.", "en", {"hypothetical", "future"}),
])
def test_what_did_not_happen_is_not_asserted(text, language, modality):
    events = _events(text, language)
    assert events, "the trigger should still give an event"
    assert all(e["modality"] in modality for e in events if e["type"] in ("attack", "armed_clash", "killing"))


def test_many_mentions_of_one_attack_are_one_event():
    text = ("Gisteren ontplofte een bom in een metrostation in Brussel. Bij de aanslag kwamen minstens twintig "
            "mensen om het leven. De aanslag werd door de premier veroordeeld. Na de aanslag werd het station "
            "gesloten.")
    attacks = [e for e in _events(text, "nl") if e["type"] == "attack"]
    assert len(attacks) == 1
    assert attacks[0]["fatalities"]["min"] == 20
    assert len([ev for ev in attacks[0]["evidence"] if ev["field"] is None]) >= 3
    assert attacks[0]["merged_because"]


def test_distinct_attacks_stay_apart():
    text = ("Gisteren schoot een man in Utrecht drie mensen dood. In december 2013 opende dezelfde man in Amsterdam "
            "het vuur op een flatgebouw, maar raakte niemand.")
    attacks = [e for e in _events(text, "nl", date(2019, 3, 19)) if e["type"] == "attack"]
    assert len(attacks) == 2
    assert {a["date"]["start"][:7] for a in attacks if a["date"]} == {"2019-03", "2013-12"}


def test_call_to_violence_is_incitement_and_its_content_is_not_an_attack():
    text = "Op Telegram werden aanhangers gisteren opgeroepen om kerstmarkten met vrachtwagens aan te vallen."
    events = _events(text, "nl")
    assert [e["type"] for e in _asserted(events, "incitement")] == ["incitement"]
    assert "vehicle" in _asserted(events, "incitement")[0]["weapons"]
    assert not _asserted(events, "attack")


def test_call_for_a_ceasefire_is_not_incitement():
    assert not _events("De VN deed gisteren een oproep tot een staakt-het-vuren in Libië.", "nl")
    assert not _events("The UN called on both sides to agree a ceasefire in Libya.", "en")


def test_plot_with_weapons_is_a_plot():
    text = "Het plan van de groep was om met bomvesten een aanslag te plegen op een festival in Rotterdam."
    plots = [e for e in _events(text, "nl") if e["type"] == "plot"]
    assert plots and plots[0]["modality"] == "asserted"


def test_english_claim_and_arrest():
    text = ("A suicide bomber killed 22 people at a concert in Manchester on Monday night, police said. "
            "The Islamic State group claimed responsibility for the attack. Police arrested two men in Manchester "
            "on Tuesday.")
    events = _events(text, "en", date(2017, 5, 24))
    attack = _asserted(events, "attack")[0]
    assert attack["subtype"] == "suicide_bombing" and attack["fatalities"]["min"] == 22
    claim = _asserted(events, "claim")[0]
    assert claim["related"][0]["event_id"] == attack["id"]
    assert _asserted(events, "arrest")


def test_arrest_without_political_violence_is_not_recorded():
    assert not _events("De politie heeft gisteren in Breda een winkeldief aangehouden.", "nl")


def test_attack_on_an_armed_group_is_an_armed_clash():
    events = _events("Het Iraakse leger begon maandag een grote aanval op IS bij Mosoel.", "nl")
    assert [e["type"] for e in events if e["modality"] == "asserted"] == ["armed_clash"]


def test_re_running_gives_the_same_ids(nl_attack):
    assert [e["id"] for e in _events(nl_attack, "nl")] == [e["id"] for e in _events(nl_attack, "nl")]


def test_english_subject_across_an_apposition_and_a_claim_in_other_words():
    text = ("Gunmen stormed a hotel in Bamako, Mali, on Friday and took about 170 people hostage. At least 20 "
            "hostages died. Al-Mourabitoun, an al-Qaeda affiliate, said it carried out the attack.")
    events = _events(text, "en", date(2015, 11, 21))
    attack = _asserted(events, "attack")[0]
    assert attack["subtype"] == "kidnapping" and attack["location"]["name"] == "Bamako"
    assert attack["fatalities"]["min"] == 20 and attack["date"]["start"] == "2015-11-20"
    assert any(a["role"] == "perpetrator" and a["name"].lower() == "gunmen" for a in attack["actors"])
    assert _asserted(events, "claim")[0]["related"][0]["event_id"] == attack["id"]


def test_a_place_inside_an_actor_name_is_not_the_event_place():
    text = "US-led coalition air strikes hit positions west of Mosul on Sunday, killing 20 militants."
    strike = _asserted(_events(text, "en", date(2017, 5, 30)), "remote_violence")[0]
    assert strike["location"]["name"] == "Mosul" and strike["fatalities"]["min"] == 20
    assert any(a["role"] == "perpetrator" and a["id"] == "us-led-coalition" for a in strike["actors"])


@pytest.mark.parametrize("text, language", [
    ("Police in London said they had foiled a plot to attack Parliament.", "en"),
    ("De politie heeft gisteren in Arnhem een aanslag op een festival verijdeld.", "nl"),
])
def test_foiled_plots(text, language):
    plots = [e for e in _events(text, language) if e["type"] == "plot"]
    assert plots and plots[0]["subtype"] == "foiled" and plots[0]["modality"] == "asserted"


def test_learned_roles_add_fillers_only_when_asked():
    text = ("Guerrillas attacked the police station in the town of Jalapa on Monday, killing two policemen. "
            "The urban commandos used dynamite and rifles in the attack.")
    plain = _events(text, "en", date(1990, 5, 8))
    learned = [event_to_dict(e) for e in analyse_text(text, language="en", published=date(1990, 5, 8),
                                                      learned_roles=True)]
    assert [e["id"] for e in plain] == [e["id"] for e in learned]
    added = [a for e in learned for a in e["actors"] if a.get("producer") == "roles.muc4"]
    assert added and not any(a.get("producer") for e in plain for a in e["actors"])
    for event in learned:
        for ev in event["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["quote"]


def test_a_date_in_the_neighbouring_sentence_dates_the_attack():
    text = ("Het drama speelde zich af op maandag 18 maart 2019. In een tram in Utrecht begon een man plotseling "
            "om zich heen te schieten.")
    attack = _asserted(_events(text, "nl", published=None), "attack")[0]
    assert attack["date"]["start"] == "2019-03-18" and attack["date"]["resolved_from"] == "context"
    assert any(ev["field"] == "date" and ev["quote"] == "maandag 18 maart 2019" for ev in attack["evidence"])


@pytest.mark.parametrize("text, language", [
    ("In de tweede helft zette Ajax een aanval op, maar PSV hield stand.", "nl"),
    ("De strijd tegen klimaatverandering vraagt om snelle keuzes.", "nl"),
    ("The senator lost a bitter battle over the budget in Washington on Tuesday.", "en"),
    ("Their attack in the second half earned them a draw against Liverpool.", "en"),
])
def test_words_that_also_name_peaceful_things_need_violence_around_them(text, language):
    assert not _events(text, language)


def test_the_same_words_in_violence_are_events():
    assert _events("Bij een aanval op een legerkamp in Niger kwamen 71 militairen om.", "nl")
    assert _events("The battle for Mosul killed hundreds of IS fighters.", "en")


@pytest.mark.parametrize("text, language", [
    ("De belastingaanslag van dit jaar viel hoger uit dan verwacht.", "nl"),
    ("Hij overleed gisteren aan een hartaanval in Utrecht.", "nl"),
    ("He died of a heart attack on Monday in London, his family said.", "en"),
])
def test_phrases_that_contain_a_trigger_but_name_something_else(text, language):
    assert not _events(text, language)     # a natural death is not political violence either


def test_deaths_in_violence_are_still_found():
    events = _events("Bij gevechten tussen het leger en rebellen kwamen gisteren twaalf mensen om.", "nl")
    assert events and events[0]["fatalities"]["min"] == 12
    killing = _events("Two soldiers were killed by militants near Gao on Monday.", "en", date(2019, 8, 20))
    assert killing and killing[0]["type"] == "attack"      # killed by someone: an attack


@pytest.mark.parametrize("text, language", [
    ("Op Telegram riep IS zijn aanhangers op om aanslagen te plegen in Europa.", "nl"),
    ("On Telegram, Islamic State urged its followers to attack Christmas markets.", "en"),
])
def test_the_group_that_calls_is_the_instigator_and_the_platform_is_not(text, language):
    call = [e for e in _events(text, language) if e["type"] == "incitement"][0]
    assert [(a["role"], a["id"]) for a in call["actors"] if a["role"] == "instigator"] == [
        ("instigator", "islamic-state")]
    assert not _asserted(_events(text, language), "attack")


def test_planning_an_attack_is_a_plot_not_an_attack():
    for text, language in (("Police arrested a man in Manchester on suspicion of preparing a terrorist attack.", "en"),
                           ("De rechtbank veroordeelde de man tot twaalf jaar cel voor het beramen van een aanslag.",
                            "nl")):
        events = _events(text, language)
        assert any(e["type"] == "plot" for e in events) and not _asserted(events, "attack")


def test_a_single_weapon_implies_the_kind_of_attack():
    attack = _asserted(_events("Een man werd gisteren in Rotterdam vermoord met een vuurwapen.", "nl"), "attack")[0]
    assert attack["subtype"] == "shooting" and attack["weapons"] == ["firearms"]
    attack = _asserted(_events("A man was murdered with a knife in Leeds on Friday.", "en"), "attack")[0]
    assert attack["subtype"] == "stabbing"


def test_the_place_of_a_threat_and_the_nearest_place_of_the_sentence_before():
    threat = _events("Tijdens een demonstratie in Amsterdam heeft een betoger zaterdag doodsbedreigingen geuit.", "nl")
    assert [e["location"]["name"] for e in threat if e["type"] == "threat"] == ["Amsterdam"]
    text = "Na Parijs en Nice is er nu ook Berlijn. Daar reed maandagavond een truck in op een kerstmarkt."
    attack = _asserted(_events(text, "nl"), "attack")[0]
    assert attack["location"]["name"] == "Berlin"


def test_a_dutch_suspect_name_makes_the_suspected_perpetrator():
    text = ("Gisteren werd in een tram in Utrecht geschoten, waarbij drie mensen om het leven kwamen.\n\n"
            "Gökmen T. is een bekende van de politie. Volgens buren was Gökmen T. al langer verward.")
    attack = _asserted(_events(text, "nl"), "attack")[0]
    assert any(a["role"] == "perpetrator" and a["text"] == "Gökmen T." and a["attribution"] == "suspected"
               for a in attack["actors"])


def test_states_carry_out_strikes():
    text = "De Verenigde Staten voerden gisteren luchtaanvallen uit op doelen in Syrië."
    strike = _asserted(_events(text, "nl"), "remote_violence")[0]
    assert any(a["role"] == "perpetrator" and a["kind"] == "government" for a in strike["actors"])


def test_worker_processes_stream_and_give_what_one_process_gives(monkeypatch, tmp_path, nl_attack, en_attack):
    """`--jobs 2` through a forked worker and this process (the small-input shortcut turned off): the same events
    as one process, and the input is read only as far ahead as the chunks in flight."""
    from kroniek import pipeline
    from kroniek.records import RawDocument
    from kroniek.store import Store

    texts = [(nl_attack, "nl", "2016-12-21"), (en_attack, "en", "2019-03-18")] * 3
    read = []

    def documents():
        for i, (text, language, published) in enumerate(texts):
            read.append(i)
            yield RawDocument(f"doc{i}", f"{text}\n\n(copy {i})".encode(), "text",
                              {"language": language, "published": published})

    monkeypatch.setattr(pipeline, "POOL_MIN_DOCUMENTS_PER_JOB", 1)
    monkeypatch.setattr(pipeline, "_POOL_CHUNK", 1)
    monkeypatch.setattr(pipeline, "_POOL_CHUNKS_AHEAD", 1)
    stream = pipeline._processed_in_pool(documents(), 2, pipeline._process_safely)
    assert next(stream).article.origin == "doc0"
    # the worker's chunk and one processed here while it was out, then the one sent when the first came back: the
    # input is read no further ahead than that (two, if the worker's chunk came back before the first look)
    assert 2 <= len(read) <= 3
    stream.close()
    outputs = []
    for jobs in (1, 2):
        with Store.open(tmp_path / f"j{jobs}.duckdb") as store:
            pipeline.ingest_into(store, documents(), jobs=jobs)
            outputs.append([e.id for e in store.iter_events()])
    assert outputs[0] == outputs[1] and len(outputs[0]) >= 6


@pytest.mark.parametrize("language,text", [
    ("nl", "Een jaar na de aanslagen in Brussel ontplofte een bom in een bus. Daarbij vielen 13 doden."),
    ("en", "A year after the Brussels attacks, a bomb exploded on a bus, killing 13 people."),
])
def test_a_place_that_only_dates_the_sentence_is_not_the_event_place(language, text):
    events = [e for e in analyse_text(text, language=language, published=date(2017, 3, 22)) if e.type == "attack"]
    assert [e.location for e in events] == [None]
