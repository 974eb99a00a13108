"""The actor dictionary (data/actors.json) and the actor finder, in Dutch and English."""
from __future__ import annotations

import re

import pytest

from kroniek.annotate.actors import actor_by_id, actor_entries, compound_heads, find_actors, is_upper_case_text
from kroniek.datafiles import read_tsv
from kroniek.records import ActorRef, Span

KINDS = {"state_forces", "police", "coalition", "militia", "non_state_armed_group", "rebel_group", "political_group",
         "government", "intelligence", "international_organisation", "civilians", "generic_armed", "media_platform"}


def found(text: str, language: str) -> list[tuple[str, str]]:
    return [(s.text, s.value.id) for s in find_actors(text, language)]


# ---------------------------------------------------------------- the dictionary itself

def test_dictionary_entries_are_well_formed():
    entries = actor_entries()
    assert len(entries) >= 150
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), "ids must be unique"
    for entry in entries:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", entry["id"]), entry["id"]
        assert entry["kind"] in KINDS, entry
        assert entry["country"] is None or re.fullmatch(r"[A-Z]{2}", entry["country"]), entry
        assert set(entry["aliases"]) == {"en", "nl"}, entry["id"]
        assert entry["aliases"]["en"] and entry["aliases"]["nl"], f"{entry['id']}: both languages need aliases"
        all_aliases = entry["aliases"]["en"] + entry["aliases"]["nl"]
        for alias in entry["case_sensitive"]:
            assert alias in all_aliases, f"{entry['id']}: case-sensitive {alias!r} is not an alias"


def test_no_alias_names_two_actors():
    owner: dict[tuple[str, str], str] = {}
    for entry in actor_entries():
        for language, aliases in entry["aliases"].items():
            for alias in aliases:
                key = (language, alias.lower())
                assert owner.setdefault(key, entry["id"]) == entry["id"], f"{alias!r} in {owner[key]} and {entry['id']}"


def test_required_actors_are_present_with_the_right_kind_and_country():
    expected = {
        "islamic-state": ("non_state_armed_group", None), "al-qaeda": ("non_state_armed_group", None),
        "aqim": ("non_state_armed_group", "DZ"), "jnim": ("non_state_armed_group", "ML"),
        "al-shabaab": ("non_state_armed_group", "SO"), "boko-haram": ("non_state_armed_group", "NG"),
        "islamic-state-west-africa": ("non_state_armed_group", "NG"), "hayat-tahrir-al-sham": ("non_state_armed_group", "SY"),
        "pkk": ("non_state_armed_group", "TR"), "peshmerga": ("state_forces", "IQ"),
        "popular-mobilization-forces": ("militia", "IQ"), "hezbollah": ("non_state_armed_group", "LB"),
        "taliban": ("non_state_armed_group", "AF"), "eta": ("non_state_armed_group", "ES"),
        "new-ira": ("non_state_armed_group", "GB"), "wagner-group": ("non_state_armed_group", "RU"),
        "iraqi-security-forces": ("state_forces", "IQ"), "syrian-armed-forces": ("state_forces", "SY"),
        "israel-defense-forces": ("state_forces", "IL"), "us-led-coalition": ("coalition", None),
        "french-armed-forces": ("state_forces", "FR"), "police": ("police", None), "civilians": ("civilians", None),
        "gunmen": ("generic_armed", None), "telegram": ("media_platform", None),
    }
    for actor_id, (kind, country) in expected.items():
        entry = next(e for e in actor_entries() if e["id"] == actor_id)
        assert (entry["kind"], entry["country"]) == (kind, country), actor_id
    assert actor_by_id("islamic-state") == ActorRef("islamic-state", "Islamic State", "non_state_armed_group")
    assert actor_by_id("no-such-actor") is None


def test_compound_heads_exist_for_both_languages():
    rows = compound_heads()
    assert {r["language"] for r in rows} == {"nl", "en"}
    assert {r["meaning"] for r in rows} >= {"fighter", "supporter", "leader"}
    assert all(set(r["joins"].split(",")) <= {"hyphen", "closed", "space", "apostrophe"} for r in rows)
    assert read_tsv("lexicons", "actor_exclusions.tsv")


# ---------------------------------------------------------------- Dutch

def test_dutch_islamic_state_forms():
    text = "De IS-strijders trokken naar Syrië. Islamitische Staat eiste de aanslag op, IS'ers juichten."
    assert found(text, "nl") == [("IS-strijders", "islamic-state"), ("Islamitische Staat", "islamic-state"),
                                 ("IS'ers", "islamic-state")]


def test_dutch_state_forces_and_militias():
    text = ("Het Iraakse leger rukt op, gesteund door de ‘Volksmobilisatiekrachten’ of al-Hashd ash-Sha’bi, "
            "maar stuit op het regime van Assad en de anti-IS-coalitie.")
    assert found(text, "nl") == [
        ("Iraakse leger", "iraqi-security-forces"), ("Volksmobilisatiekrachten", "popular-mobilization-forces"),
        ("al-Hashd ash-Sha’bi", "popular-mobilization-forces"), ("regime van Assad", "syrian-armed-forces"),
        ("anti-IS-coalitie", "us-led-coalition")]


def test_dutch_compounds_map_to_the_group():
    text = "PKK-militanten, een Hamas-leider, Talibanstrijders en Boko Haram-strijders."
    assert found(text, "nl") == [("PKK-militanten", "pkk"), ("Hamas-leider", "hamas"),
                                 ("Talibanstrijders", "taliban"), ("Boko Haram-strijders", "boko-haram")]


def test_dutch_verb_is_never_islamic_state():
    text = "Het is duidelijk dat dit is gebeurd. Is het waar? IS is verzwakt."
    assert found(text, "nl") == [("IS", "islamic-state")]


def test_dutch_generic_actors():
    text = "De politie en agenten hielpen burgers; de schutter en de dader vluchtten, terroristen en militairen ook."
    got = [(s.text, s.value.id, s.label) for s in find_actors(text, "nl")]
    assert got == [("politie", "police", "police"), ("agenten", "police", "police"),
                   ("burgers", "civilians", "civilians"), ("schutter", "gunmen", "generic_armed"),
                   ("dader", "attacker", "generic_armed"), ("terroristen", "attacker", "generic_armed"),
                   ("militairen", "military", "state_forces")]


def test_exclusion_phrases_block_the_alias_inside():
    assert found("Het Leger des Heils helpt, het leger niet.", "nl") == [("leger", "military")]
    assert found("He won the US Open; US forces left.", "en") == [("US forces", "us-armed-forces")]


# ---------------------------------------------------------------- English

def test_english_islamic_state_forms():
    text = "ISIS fighters held the town. The Islamic State group claimed it through Amaq; Daesh denied nothing."
    assert found(text, "en") == [("ISIS fighters", "islamic-state"), ("Islamic State group", "islamic-state"),
                                 ("Amaq", "amaq"), ("Daesh", "islamic-state")]


def test_english_groups_and_state_forces():
    text = ("Boko Haram insurgents attacked; the Nigerian army and the US-led coalition responded. "
            "Israeli soldiers, the IDF and Hezbollah were not involved.")
    assert found(text, "en") == [
        ("Boko Haram insurgents", "boko-haram"), ("Nigerian army", "nigerian-armed-forces"),
        ("US-led coalition", "us-led-coalition"), ("Israeli soldiers", "israel-defense-forces"),
        ("IDF", "israel-defense-forces"), ("Hezbollah", "hezbollah")]


@pytest.mark.parametrize("language, text, expected", [
    # armed groups of Latin America, South and South-East Asia (GTD's most active outside the Middle East)
    ("en", "FMLN urban commandos and Shining Path guerrillas claimed the attacks.",
     [("FMLN", "fmln"), ("Shining Path guerrillas", "shining-path")]),
    ("en", "The Medellin cartel and the ELN were blamed; Naxalites ambushed a patrol.",
     [("Medellin cartel", "medellin-cartel"), ("ELN", "eln"), ("Naxalites", "cpi-maoist")]),
    ("nl", "Het Lichtend Pad en de FARC eisten de aanslagen op; de Tamiltijgers ontkenden.",
     [("Lichtend Pad", "shining-path"), ("FARC", "farc"), ("Tamiltijgers", "ltte")]),
    ("nl", "Guerrillastrijders van het Nieuwe Volksleger en FARC-guerrillastrijders; de Rode Brigades.",
     [("Guerrillastrijders", "rebels"), ("Nieuwe Volksleger", "new-peoples-army"),
      ("FARC-guerrillastrijders", "farc"), ("Rode Brigades", "red-brigades")]),
])
def test_armed_groups_beyond_the_middle_east(language, text, expected):
    assert found(text, language) == expected


def test_english_generic_actors_and_plural_only_nouns():
    text = "A gunman shot two police officers; civilians fled. The terrorist attack and militant group."
    assert found(text, "en") == [("gunman", "gunmen"), ("police officers", "police"), ("civilians", "civilians")]


def test_case_sensitive_aliases():
    # "us" is a pronoun: "us troops" is only the generic "troops".
    assert found("Give us troops? The US army came, then US troops.", "en") == [
        ("troops", "military"), ("US army", "us-armed-forces"), ("US troops", "us-armed-forces")]
    assert found("the base of the hill; The Base recruited online", "en") == [("The Base", "the-base")]
    # A case-sensitive alias may still start a sentence where only its lower-case words change case.
    assert found("Anti-IS-coalitie bombardeert.", "nl") == [("Anti-IS-coalitie", "us-led-coalition")]


def test_upper_case_text_skips_case_sensitive_aliases():
    text = "THE US EMBASSY IS UNDER ATTACK BY THE PKK AND ISIS, POLICE SAID."
    assert is_upper_case_text(text)
    assert found(text, "en") == [("PKK", "pkk"), ("ISIS", "islamic-state"), ("POLICE", "police")]
    assert not is_upper_case_text("IS valt aan")           # a short capitalised phrase is not an upper-case text
    assert found("IS valt aan", "nl") == [("IS", "islamic-state")]


def test_longest_match_wins():
    assert found("Islamic State of Iraq and the Levant", "en") == [("Islamic State of Iraq and the Levant",
                                                                    "islamic-state")]
    assert found("al-Qaeda in the Islamic Maghreb", "en") == [("al-Qaeda in the Islamic Maghreb", "aqim")]
    assert found("de Pakistaanse taliban", "nl") == [("Pakistaanse taliban", "tehrik-i-taliban-pakistan")]
    assert found("Syrian government forces", "en") == [("Syrian government forces", "syrian-armed-forces")]


def test_spans_are_exact_sorted_and_non_overlapping():
    text = "Israëlische leger: de ‘IS-strijders’ en   Islamitische\nStaat.  ISIS’ leider"
    spans = find_actors(text, "nl")
    assert [s.text for s in spans] == ["Israëlische leger", "IS-strijders", "Islamitische\nStaat", "ISIS"]
    for span in spans:
        assert isinstance(span, Span) and span.producer == "actors"
        assert text[span.start:span.end] == span.text
        assert span.label == span.value.kind
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_language_selects_generic_words_but_names_travel():
    # A Dutch generic word is not an actor in English text; a group's English name is one in Dutch text.
    assert found("The agent left.", "en") == []
    assert found("Een aanslag door Islamic State.", "nl") == [("Islamic State", "islamic-state")]


def test_empty_and_actorless_text():
    assert find_actors("", "nl") == ()
    assert find_actors("Het regent in Utrecht.", "nl") == ()



@pytest.mark.parametrize("language", ["nl", "en", None])
def test_every_alias_finds_its_own_actor(language):
    """Each alias, alone in a sentence, is found as its own actor (no shadowing by exclusions or other entries)."""
    for entry in actor_entries():
        languages = ["nl", "en"] if language is None else [language]
        if entry.get("generic"):
            aliases = [a for lang in languages for a in entry["aliases"][lang]]
        else:
            aliases = entry["aliases"]["en"] + entry["aliases"]["nl"]
        for alias in aliases:
            text = f"Volgens {alias} vandaag."
            spans = find_actors(text, language)
            assert [(s.text, s.value.id) for s in spans] == [(alias, entry["id"])], (alias, spans)


def test_parents_name_actors_of_the_dictionary_without_cycles():
    entries = {e["id"]: e for e in actor_entries()}
    for entry in entries.values():
        seen = {entry["id"]}
        parent = entry.get("parent")
        while parent is not None:
            assert parent in entries, f"{entry['id']}: parent {parent!r} is not in the dictionary"
            assert parent not in seen, f"{entry['id']}: its parents run in a circle"
            seen.add(parent)
            parent = entries[parent].get("parent")
    assert entries["amaq"]["parent"] == "islamic-state" and entries["aqim"]["parent"] == "al-qaeda"
