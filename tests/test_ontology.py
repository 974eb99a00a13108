"""The ontology (data/ontology.toml) is the one vocabulary: every lexicon, crosswalk and the actor dictionary use only
its names, and it keeps what EVENTS.md promises."""
from __future__ import annotations

import re

import pytest

from kroniek import ontology
from kroniek.datafiles import read_json, read_tsv

# ACLED's codebook (2023): its six event types and 25 sub-event types, written out.
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
GTD_ATTACK_TYPES = {"Assassination", "Armed Assault", "Bombing/Explosion", "Hijacking",
                    "Hostage Taking (Barricade Incident)", "Hostage Taking (Kidnapping)",
                    "Facility/Infrastructure Attack", "Unarmed Assault", "Unknown"}
# Modality cues also mark attempts, attribution ("suspected of") and phrases that cancel a cue ("as expected").
CUE_KINDS = set(ontology.MODALITIES) | {"attempt", "attribution", "neutral"}


def test_place_precisions_run_from_finest_to_coarsest():
    # a city is finer than its district (admin2); one copy once ranked them the other way round
    assert ontology.PLACE_PRECISIONS == ("site", "city", "admin2", "admin1", "country", "region", "unknown")
    assert ontology.DATE_PRECISIONS == ("day", "week", "month", "year", "unknown")


def test_the_types_and_modalities_of_events_md():
    assert set(ontology.EVENT_TYPES) >= {"attack", "armed_clash", "remote_violence", "killing", "claim",
                                         "incitement", "threat", "plot", "arrest", "protest", "riot"}
    assert ontology.MODALITIES == ("asserted", "negated", "uncertain", "hypothetical", "future", "generic")
    assert ontology.OCCURRED_MODALITIES == {"asserted"}
    assert ontology.VIOLENT_TYPES == {"attack", "armed_clash", "remote_violence", "killing"}
    assert set(ontology.SUBTYPES["attack"]) >= {"bombing", "suicide_bombing", "shooting", "stabbing",
                                                 "vehicle_ramming", "arson", "kidnapping", "hostage_taking",
                                                 "assassination", "sexual_violence", "unarmed_assault", "other"}
    assert {r: ontology.INVERSE_RELATION[r] for r in ("claims", "part_of", "refers_to", "follows")} == {
        "claims": "claimed_by", "part_of": "has_part", "refers_to": "referred_to_by", "follows": "followed_by"}
    for relation, inverse in ontology.INVERSE_RELATION.items():
        assert ontology.INVERSE_RELATION[inverse] == relation


def test_events_md_types_and_subtypes_are_all_in_the_ontology(shared_dir):
    text = (shared_dir / "docs" / "EVENTS.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \|[^|]*\| (.*) \|$", text, re.M)
    assert len(rows) >= 11
    for event_type, subtypes in rows:
        assert event_type in ontology.EVENT_TYPES
        for subtype in re.findall(r"`(\w+)`", subtypes):
            assert subtype in ontology.SUBTYPES[event_type], (event_type, subtype)


def test_every_trigger_names_a_type_subtype_and_weapons_of_the_ontology():
    for row in read_tsv("lexicons", "triggers.tsv"):
        assert row["type"] in ontology.EVENT_TYPES or row["type"] == "none", row
        if row["subtype"]:
            assert row["subtype"] in ontology.SUBTYPES[row["type"]], row
        for weapon in filter(None, row["weapons"].split(",")):
            assert weapon in ontology.WEAPONS, row


@pytest.mark.parametrize("name, column, allowed", [
    ("weapons.tsv", "weapon", set(ontology.WEAPONS)),
    ("modality.tsv", "modality", CUE_KINDS),
])
def test_lexicon_values_are_ontology_names(name, column, allowed):
    values = {row[column] for row in read_tsv("lexicons", name)}
    assert values and values <= allowed


def test_the_actor_dictionary_uses_ontology_kinds():
    kinds = {entry["kind"] for entry in read_json("actors.json")}
    assert kinds <= set(ontology.ACTOR_KINDS)


def test_crosswalks_name_ontology_types_and_the_codebooks_names():
    sub_events = {s for subs in ACLED.values() for s in subs}
    for row in read_tsv("crosswalks", "types.tsv"):
        assert row["type"] in ontology.EVENT_TYPES
        assert row["subtype"] in ("*", "-") or row["subtype"] in ontology.SUBTYPES[row["type"]], row
        if row["acled_sub_event_type"]:
            assert row["acled_sub_event_type"] in ACLED[row["acled_event_type"]], row
        assert not row["acled_event_type"] or row["acled_event_type"] in ACLED
        assert not row["gtd_attack_type"] or row["gtd_attack_type"] in GTD_ATTACK_TYPES, row
    for row in read_tsv("crosswalks", "weapons.tsv"):
        assert row["weapon"] in ontology.WEAPONS
    assert {row["weapon"] for row in read_tsv("crosswalks", "weapons.tsv")} == set(ontology.WEAPONS)
    for row in read_tsv("crosswalks", "weapon_subtypes.tsv"):
        assert row["weapon"] in ontology.WEAPONS and row["subtype"] in ontology.SUBTYPES["attack"]
    muc4 = ontology.muc4_crosswalk()
    for rule in muc4["incident_types"]:
        assert rule["type"] in ontology.EVENT_TYPES
        assert rule["subtype"] == "*" or rule["subtype"] in ontology.SUBTYPES[rule["type"]]
    for rule in muc4["actor_roles"]:
        assert rule["role"] in ontology.ROLES
        assert all(k in ("*", None) or k in ontology.ACTOR_KINDS for k in rule["kinds"]), rule
    assert set(muc4["modalities"]) <= set(ontology.MODALITIES)
    assert len(sub_events) == 25


def test_crosswalk_codes_of_some_events():
    assert ontology.crosswalk("attack", "suicide_bombing") == ontology.Codes(
        "Explosions/Remote violence", "Suicide bomb", "Bombing/Explosion", "ASSAULT", "18")
    assert ontology.crosswalk("armed_clash", "territory_taken", ["state_forces"]).acled_sub_event_type == \
        "Government regains territory"
    assert ontology.crosswalk("armed_clash", "territory_taken", ["non_state_armed_group"]).acled_sub_event_type == \
        "Non-state actor overtakes territory"
    assert ontology.crosswalk("claim", None) == ontology.Codes()
    assert ontology.gtd_weapon_types(["firearms", "explosives", "firearms"]) == ("Firearms", "Explosives")


def test_subtypes_that_refine_others_are_compatible():
    assert ontology.subtypes_compatible("attack", "suicide_bombing", "bombing")
    assert ontology.subtypes_compatible("attack", None, "shooting")
    assert not ontology.subtypes_compatible("attack", "stabbing", "shooting")


def test_as_json_lists_every_type_with_its_labels_in_both_languages():
    served = ontology.as_json()
    assert [t["name"] for t in served["types"]] == list(ontology.EVENT_TYPES)
    for t in served["types"]:
        assert set(t["label"]) == {"en", "nl"} and re.fullmatch(r"#[0-9a-f]{6}", t["colour"])
    assert {m["name"]: m["label"]["en"] for m in served["modalities"]}["asserted"] == "happened"


def test_the_acled_crosswalk_lists_the_codebook_and_every_sub_event_type_can_be_produced():
    assert {s: e for e, subs in ACLED.items() for s in subs} == ontology.ACLED_SUB_EVENT_TYPES
    produced = {row["acled_sub_event_type"] for row in read_tsv("crosswalks", "types.tsv")
                if row["acled_sub_event_type"]}
    assert produced == set(ontology.ACLED_SUB_EVENT_TYPES)
    # each sub-event type has a crosswalk row whose type and subtype a trigger gives (or a rule of
    # extract/mentions.py: an attack on a military position is armed_clash/clash)
    triggered = {(r["type"], r["subtype"]) for r in read_tsv("lexicons", "triggers.tsv")} | {("armed_clash", "clash")}
    types = {t for t, _ in triggered}
    for sub_event in ontology.ACLED_SUB_EVENT_TYPES:
        rows = [r for r in read_tsv("crosswalks", "types.tsv") if r["acled_sub_event_type"] == sub_event]
        assert any((r["type"], r["subtype"]) in triggered or (r["subtype"] == "*" and r["type"] in types)
                   for r in rows), sub_event


def test_crosswalk_codes_of_the_v1_2_types():
    cw = ontology.crosswalk
    assert cw("attack", "grenade").acled_sub_event_type == "Grenade"
    assert cw("attack", "grenade").gtd_attack_type == "Bombing/Explosion"
    assert cw("attack", "bombing", (), "failed").acled_sub_event_type == "Disrupted weapons use"
    assert cw("remote_violence", "chemical").acled_sub_event_type == "Chemical weapon"
    assert cw("protest", "with_intervention").acled_sub_event_type == "Protest with intervention"
    assert cw("protest", "excessive_force").acled_event_type == "Protests"
    assert cw("riot", "mob_violence").acled_sub_event_type == "Mob violence"
    assert cw("strategic", "weapons_seized").acled_sub_event_type == "Disrupted weapons use"
    # territory: regained is the government's unless only non-state actors are named; taken the reverse
    assert cw("armed_clash", "territory_regained", ["state_forces", "generic_armed"]).acled_sub_event_type == \
        "Government regains territory"
    assert cw("armed_clash", "territory_regained", ["non_state_armed_group"]).acled_sub_event_type == \
        "Non-state actor overtakes territory"
    assert cw("armed_clash", "territory_taken", ["state_forces", "generic_armed"]).acled_sub_event_type == \
        "Non-state actor overtakes territory"
    assert ontology.subtype_rank("protest", "excessive_force") < ontology.subtype_rank("protest", "peaceful")
