"""The ontology: event types, subtypes, modalities, roles, relations, weapons, actor kinds and precisions, read once
from `data/ontology.toml`, with the crosswalks to ACLED, GTD, PLOVER and CAMEO from `data/crosswalks/`.

Every other module imports these names instead of writing its own list; the dashboard reads :func:`as_json` from
``/api/ontology``. Nothing here is computed from text: it is the vocabulary a record may use.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from .datafiles import read_json, read_toml, read_tsv

__all__ = [
    "EventType", "Codes", "TYPES", "EVENT_TYPES", "VIOLENT_TYPES", "REACTION_TYPES", "FRAME_TYPES", "SUBTYPES",
    "MODALITIES", "OCCURRED_MODALITIES", "ROLES", "RELATIONS", "INVERSE_RELATION", "WEAPONS", "ATTRIBUTIONS",
    "OUTCOMES", "MODALITY_LABELS", "ACTOR_KINDS", "ARMED_KINDS", "STATE_KINDS", "GENERIC_KINDS", "PLACE_PRECISIONS", "PLACE_RANK",
    "DATE_PRECISIONS", "DATE_RANK", "DATE_RESOLUTIONS", "subtype_parent", "subtypes_compatible", "crosswalk",
    "gtd_weapon_types", "muc4_crosswalk", "as_json", "VERSION", "ACLED_EVENT_TYPES", "ACLED_SUB_EVENT_TYPES",
    "subtype_rank",
]


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    label: dict[str, str]
    description: str
    colour: str
    violent: bool
    reaction: bool
    frame: bool
    subtypes: tuple[str, ...]
    parents: dict[str, str]          # subtype -> the subtype it refines ("suicide_bombing" -> "bombing")
    precedence: tuple[str, ...] = ()  # subtypes that name a mention whose words name several, strongest first


@dataclass(frozen=True, slots=True)
class Codes:
    """The field-standard codes of one event (names as the ACLED and GTD codebooks write them; None = no code)."""
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    gtd_attack_type: str | None = None
    plover: str | None = None
    cameo: str | None = None


_RAW = read_toml("ontology.toml")
VERSION: str = _RAW["version"]

TYPES: tuple[EventType, ...] = tuple(
    EventType(t["name"], dict(t["label"]), t["description"], t["colour"], bool(t.get("violent")),
              bool(t.get("reaction")), bool(t.get("frame")), tuple(s["name"] for s in t["subtypes"]),
              {s["name"]: s["parent"] for s in t["subtypes"] if s.get("parent")}, tuple(t.get("precedence", ())))
    for t in _RAW["types"])
_BY_NAME = {t.name: t for t in TYPES}
EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in TYPES)
VIOLENT_TYPES: frozenset[str] = frozenset(t.name for t in TYPES if t.violent)
REACTION_TYPES: frozenset[str] = frozenset(t.name for t in TYPES if t.reaction)
FRAME_TYPES: frozenset[str] = frozenset(t.name for t in TYPES if t.frame)
SUBTYPES: dict[str, tuple[str, ...]] = {t.name: t.subtypes for t in TYPES}

MODALITIES: tuple[str, ...] = tuple(m["name"] for m in _RAW["modalities"])
OCCURRED_MODALITIES: frozenset[str] = frozenset(m["name"] for m in _RAW["modalities"] if m.get("occurred"))
MODALITY_LABELS: dict[str, dict[str, str]] = {m["name"]: dict(m["label"]) for m in _RAW["modalities"]}
ROLES: tuple[str, ...] = tuple(r["name"] for r in _RAW["roles"])
RELATIONS: tuple[str, ...] = tuple(r["name"] for r in _RAW["relations"])
INVERSE_RELATION: dict[str, str] = {r["name"]: r["inverse"] for r in _RAW["relations"]}
WEAPONS: tuple[str, ...] = tuple(_RAW["weapons"])
ATTRIBUTIONS: tuple[str, ...] = tuple(_RAW["attributions"])
OUTCOMES: tuple[str, ...] = tuple(_RAW["outcomes"])
ACTOR_KINDS: tuple[str, ...] = tuple(k["name"] for k in _RAW["actor_kinds"])
ARMED_KINDS: frozenset[str] = frozenset(k["name"] for k in _RAW["actor_kinds"] if k.get("armed"))
STATE_KINDS: frozenset[str] = frozenset(k["name"] for k in _RAW["actor_kinds"] if k.get("state"))
GENERIC_KINDS: frozenset[str] = frozenset(k["name"] for k in _RAW["actor_kinds"] if k.get("generic"))
PLACE_PRECISIONS: tuple[str, ...] = tuple(_RAW["place_precisions"])
PLACE_RANK: dict[str, int] = {p: i for i, p in enumerate(PLACE_PRECISIONS)}
DATE_PRECISIONS: tuple[str, ...] = tuple(_RAW["date_precisions"])
DATE_RANK: dict[str, int] = {p: i for i, p in enumerate(DATE_PRECISIONS)}
DATE_RESOLUTIONS: tuple[str, ...] = tuple(_RAW["date_resolutions"])

# ACLED's sub-event types (name -> its event type) and event types, in the codebook's order (crosswalks/acled.tsv).
ACLED_SUB_EVENT_TYPES: dict[str, str] = {row["acled_sub_event_type"]: row["acled_event_type"]
                                         for row in read_tsv("crosswalks", "acled.tsv")}
# Each sub-event type's label in the CASE 2021 shared task 2 (AIR_STRIKE), in the same order.
ACLED_CASE_CODES: dict[str, str] = {row["acled_sub_event_type"]: row["case2021"]
                                    for row in read_tsv("crosswalks", "acled.tsv")}
ACLED_EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(ACLED_SUB_EVENT_TYPES.values()))


def subtype_rank(event_type: str, subtype: str | None) -> int:
    """0, 1, ... for a type's `precedence` subtypes in order, then one more for every other subtype."""
    t = _BY_NAME.get(event_type)
    order = t.precedence if t is not None else ()
    return order.index(subtype) if subtype in order else len(order)


def subtype_parent(event_type: str, subtype: str | None) -> str | None:
    """The subtype that `subtype` refines, or None."""
    t = _BY_NAME.get(event_type)
    return t.parents.get(subtype) if t is not None and subtype else None


def subtypes_compatible(event_type: str, a: str | None, b: str | None) -> bool:
    """Whether two reports' subtypes can name one event: equal, one unknown, or one a kind of the other."""
    if a is None or b is None or a == b:
        return True
    return subtype_parent(event_type, a) == b or subtype_parent(event_type, b) == a


@lru_cache(maxsize=1)
def _crosswalk_rows() -> tuple[dict[str, str], ...]:
    return tuple(read_tsv("crosswalks", "types.tsv"))


@lru_cache(maxsize=1)
def _weapon_codes() -> dict[str, str]:
    return {row["weapon"]: row["gtd_weapon_type"] for row in read_tsv("crosswalks", "weapons.tsv")}


def crosswalk(event_type: str, subtype: str | None, perpetrator_kinds: Iterable[str | None] = (),
              outcome: str | None = None, victim_kinds: Iterable[str | None] = (),
              against_combatants: bool = False) -> Codes:
    """ACLED, GTD, PLOVER and CAMEO codes for a type and subtype, the kinds of its perpetrators and its outcome
    (the first matching row of crosswalks/types.tsv)."""
    kinds = [k for k in perpetrator_kinds if k]
    # state: every perpetrator of a state kind; non_state: none; mixed: both (only `*` rows match it)
    states = sum(k in STATE_KINDS for k in kinds)
    side = None if not kinds else "state" if states == len(kinds) else "non_state" if not states else "mixed"
    victims = [k for k in victim_kinds if k]
    for row in _crosswalk_rows():
        if row["type"] != event_type:
            continue
        if row["subtype"] not in ("*", subtype if subtype is not None else "-"):
            continue
        if row["perpetrator"] not in ("*", side):
            continue
        if row.get("outcome") and row["outcome"] != outcome:
            continue
        if row.get("victims") == "armed" and not (victims and all(k in ARMED_KINDS for k in victims)):
            continue
        if row.get("victims") == "combatants" and not against_combatants:
            continue
        return Codes(row["acled_event_type"] or None, row["acled_sub_event_type"] or None,
                     row["gtd_attack_type"] or None, row["plover"] or None, row["cameo"] or None)
    return Codes()


def gtd_weapon_types(weapons: Iterable[str]) -> tuple[str, ...]:
    """GTD weapon type names for Kroniek's weapons, in GTD's order of first mention, without repeats."""
    codes = _weapon_codes()
    return tuple(dict.fromkeys(codes[w] for w in weapons if w in codes))


@lru_cache(maxsize=1)
def muc4_crosswalk() -> dict[str, Any]:
    """Kroniek -> MUC-4 role fillers and incident types (data/crosswalks/muc4.json); used by the learned role model
    and by `kroniek eval muc4`."""
    return read_json("crosswalks", "muc4.json")


def as_json() -> dict[str, Any]:
    """The whole ontology as plain JSON (served at /api/ontology; the dashboard builds its legends from it)."""
    return {
        "version": VERSION,
        "types": [{"name": t.name, "label": t.label, "description": t.description, "colour": t.colour,
                   "violent": t.violent, "reaction": t.reaction, "frame": t.frame,
                   "subtypes": [{"name": s, "parent": t.parents.get(s)} for s in t.subtypes]} for t in TYPES],
        "modalities": [{"name": m["name"], "label": dict(m["label"]), "description": m["description"],
                        "occurred": bool(m.get("occurred"))} for m in _RAW["modalities"]],
        "roles": [dict(r) for r in _RAW["roles"]],
        "relations": [dict(r) for r in _RAW["relations"]],
        "weapons": list(WEAPONS),
        "attributions": list(ATTRIBUTIONS),
        "outcomes": list(OUTCOMES),
        "actor_kinds": [{"name": k["name"], "armed": bool(k.get("armed")), "state": bool(k.get("state")),
                         "generic": bool(k.get("generic"))} for k in _RAW["actor_kinds"]],
        "acled": [{"event_type": t, "sub_event_types": [s for s, e in ACLED_SUB_EVENT_TYPES.items() if e == t]}
                  for t in ACLED_EVENT_TYPES],
        "place_precisions": list(PLACE_PRECISIONS),
        "date_precisions": list(DATE_PRECISIONS),
    }
