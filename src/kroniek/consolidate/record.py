"""From a finished cluster to the exported record (EVENTS.md): fields from its best mentions, evidence for each."""
from __future__ import annotations

import hashlib
from functools import lru_cache

import msgspec

from ..datafiles import read_tsv
from ..extract.mentions import MILITARY_TARGETS
from ..extract.roles import record_actors, same_side
from ..ontology import (ARMED_KINDS, GENERIC_KINDS, STATE_KINDS, Codes, crosswalk, gtd_weapon_types,
                        subtype_parent)
from ..records import (ActorRole, Article, Count, DateRange, Event, EventActor, EventMention, Evidence, Location,
                       Relation, Source, Span, TriggerWord)
from .cluster import Cluster

__all__ = ["to_event", "event_id", "with_codes"]


@lru_cache(maxsize=1)
def _weapon_subtypes() -> dict[str, str]:
    return {row["weapon"]: row["subtype"] for row in read_tsv("crosswalks", "weapon_subtypes.tsv")}

# "gunmen", "militants", or no kind at all: a claim names who they were
_NAMES_NO_ONE = GENERIC_KINDS | {None}


def event_id(doc_id: str, c: Cluster) -> str:
    first = min(c.mentions, key=lambda m: m.trigger.start)
    key = f"{doc_id}|{c.type}|{first.trigger.start}"
    return "evt_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _quantity(spans: list[Span]) -> Count | None:
    spans = [s for s in spans if s is not None and s.value is not None]
    if not spans:
        return None
    best = max(spans, key=lambda s: (s.value.min if s.value.min is not None else -1))
    return Count(best.value.min, best.value.max, best.text)


def _actor(a: ActorRole, role: str | None = None, attribution: str | None = None) -> EventActor:
    return EventActor(role or a.role, a.name, a.id, a.kind, attribution or a.attribution, a.text)


def _response(m: EventMention, c: Cluster) -> str | None:
    """Whether mention `m` tells the response to its event rather than the event: "same side" when its victims or
    targets are the perpetrators of another of the event's mentions ("Gunmen stormed a hotel ... The attackers were
    later shot dead by soldiers"); "armed victims" when, in an attack that no state force carried out, state forces
    are its only perpetrators and armed men its only victims ("De twee aanvallers werden door de politie
    doodgeschoten"), or it names no perpetrator and unnamed armed men are its only victims ("Ook tientallen aanvallers
    zouden zijn gedood"): those armed men are the attackers. None for the event's own words (its head mention)."""
    if m is c.head:
        return None
    harmed = [a for a in m.actors if a.role in ("victim", "target")]
    if not harmed:
        return None
    if any(same_side(h, p) for o in c.mentions if o is not m for p in o.actors if p.role == "perpetrator"
           for h in harmed):
        return "same side"
    doers = [a for a in m.actors if a.role == "perpetrator"]
    shot_by_the_state = bool(doers) and all(a.kind in STATE_KINDS for a in doers) and \
        all(h.kind in ARMED_KINDS - STATE_KINDS for h in harmed)
    own_dead = not doers and all(h.kind == "generic_armed" for h in harmed)    # "tientallen aanvallers gedood"
    if c.type == "attack" and (shot_by_the_state or own_dead) and \
            not any(a.role == "perpetrator" and a.kind in STATE_KINDS for a in c.head.actors):
        return "armed victims"
    return None


def _tolls(c: Cluster, responses: dict[int, str | None]) -> tuple[Count | None, Count | None, tuple[str, ...]]:
    """The event's fatalities and injuries, and what was kept apart: the figures of a mention that tells the
    response to it (_response: its dead are the perpetrators) count only when no other gives one ("killing two
    policemen. Seven attackers were also killed": 2, and the record says that the attackers' deaths were kept
    apart; GTD counts both, ACLED all deaths)."""
    counts, apart = [], []
    for name, extra in (("fatalities", c.extra_fatalities), ("injuries", c.extra_injuries)):
        own = _quantity([getattr(m, name) for m in c.mentions if not responses[id(m)]] + extra)
        theirs = _quantity([getattr(m, name) for m in c.mentions if responses[id(m)]])
        if own is not None and theirs is not None:
            apart.append(f"{name} of the perpetrators kept apart from the toll: '{theirs.text}'")
        elif theirs is not None:
            apart.append(f"{name}: the perpetrators' own ('{theirs.text}')")
        counts.append(own or theirs)
    return counts[0], counts[1], tuple(apart)


def to_event(article: Article, c: Cluster, clusters: list[Cluster], claimers: list[Cluster] = ()) -> Event:
    """The EVENTS.md record of a cluster; `claimers` are the claims that claim it."""
    doc_id = article.doc_id
    head = c.head
    date_span, place_span = c.date(), c.location()
    date = None
    if date_span is not None:
        v = date_span.value
        resolved = "context" if date_span is c.context_date else v.resolved_from
        date = DateRange(v.start, v.end, v.precision, date_span.text, resolved)
    location = None
    if place_span is not None:
        p = place_span.value
        location = Location(p.name, p.country, p.admin1, p.lat, p.lon, p.geonames_id, p.precision, place_span.text)
    actors: list[EventActor] = []
    responses = {id(m): _response(m, c) for m in c.mentions}
    for m in sorted(c.mentions, key=lambda m: m.sentence):
        # a mention that tells the response to the event (_response): who responded did not do the event, and the
        # armed men they shot are its attackers
        response = responses[id(m)]
        for a in list(m.actors) + (c.context_actors if m is c.mentions[-1] else []):
            if response and a in m.actors:
                if a.role == "perpetrator":
                    continue
                if response == "armed victims" and a.role in ("victim", "target"):
                    a = ActorRole("perpetrator", a.name, a.id, a.kind, a.attribution, a.text)
            if not any(x.role == a.role and (x.id or x.name) == (a.id or a.name) for x in actors):
                actors.append(_actor(a))
    related: list[Relation] = []
    if c.claims is not None:
        related.append(Relation("claims", event_id(doc_id, clusters[c.claims])))
    for o in claimers:
        related.append(Relation("claimed_by", event_id(doc_id, o)))
        # a claim only reported or supposed ("zou verantwoordelijk zijn", "was thought to be responsible") makes its
        # group a suspect, not a claimant of record
        attribution = "claimed" if o.modality == "asserted" else "suspected"
        for a in o.head.actors:
            if a.role == "claimant" and not any(x.role == "perpetrator" and x.kind not in _NAMES_NO_ONE
                                                for x in actors):
                actors.append(_actor(a, "perpetrator", attribution))
    for relation, other in c.links:
        related.append(Relation(relation, event_id(doc_id, clusters[other])))
    evidence: list[Evidence] = []
    seen: set[tuple] = set()
    for ev in [e for m in c.mentions for e in m.evidence] + c.extra_evidence:
        key = (ev.start, ev.end, ev.field)
        if key not in seen:
            seen.add(key)
            evidence.append(ev)
    if date_span is not None and date_span is c.context_date:
        evidence.append(Evidence(doc_id, date_span.start, date_span.end, date_span.text, "date"))
        seen.add((date_span.start, date_span.end, "date"))
    if place_span is not None and place_span is c.context_place:
        evidence.append(Evidence(doc_id, place_span.start, place_span.end, place_span.text, "location"))
        seen.add((place_span.start, place_span.end, "location"))
    for name, spans in (("fatalities", c.extra_fatalities), ("injuries", c.extra_injuries)):
        for s in spans:
            if (s.start, s.end, name) not in seen:
                seen.add((s.start, s.end, name))
                evidence.append(Evidence(doc_id, s.start, s.end, s.text, name))
    source = Source(doc_id, article.url, article.title, article.outlet, article.published)
    # What the event's own descriptions say outranks a noun that refers back to it ("het verhaal van de
    # ontvoering" after "met meerdere schoten gedood"): such a noun may refer to something else the article told.
    told = [m for m in c.mentions if m.reference != "anaphoric"]
    referring = [m.subtype for m in c.mentions if m.subtype and m.reference == "anaphoric"]
    subtypes = [m.subtype for m in told if m.subtype]
    subtype = (head.subtype if head.reference != "anaphoric" else None) or (subtypes[0] if subtypes else None)
    weapons = sorted({w for m in c.mentions for w in m.weapons})
    if subtype is None and c.type == "attack":
        implied = {_weapon_subtypes()[w] for w in weapons if w in _weapon_subtypes()}
        if len(implied) == 1:
            subtype = implied.pop()
    if subtype is None and referring:
        subtype = head.subtype or referring[0]
    subtypes += referring
    # "een explosie" and "een zelfmoordaanslag": a suicide bombing (the finer subtype wins)
    finer = [s for s in subtypes if subtype_parent(c.type, s) == subtype]
    if finer:
        subtype = finer[0]
    confidence = max(m.confidence for m in c.mentions)
    if len(c.mentions) > 1:
        confidence = min(0.95, confidence + 0.05)
    triggers = tuple(TriggerWord(doc_id, m.trigger.start, m.trigger.end, m.trigger.text)
                     for m in sorted(c.mentions, key=lambda m: m.trigger.start))
    fatalities, injuries, apart = _tolls(c, responses)
    return with_codes(Event(
        id=event_id(doc_id, c), type=c.type, subtype=subtype, modality=c.modality, date=date, location=location,
        actors=record_actors(actors), weapons=tuple(weapons),
        targets=tuple(sorted({t for m in c.mentions for t in m.targets})),
        fatalities=fatalities, injuries=injuries,
        related=tuple(related), evidence=tuple(evidence), sources=(source,), confidence=round(confidence, 2),
        merged_because=tuple(c.reasons) + apart, triggers=triggers,
        outcome=next((m.outcome for m in c.mentions if m.outcome), None)))


# Targets that make an attack on them a battle for ACLED (an armed clash, not violence against civilians):
# data/lexicons/targets.tsv names them.


def against_combatants(event: Event) -> bool:
    """Whether an attack was made by armed or unnamed perpetrators on soldiers or a military position, not on
    civilians ("fighters attacked military positions", "killing 12 security force members": ACLED's armed clash).
    Soldiers are named as victims, a military target, or in the casualty count (data/lexicons/combatant_words.tsv)."""
    perpetrators = {a.kind for a in event.actors if a.role == "perpetrator"}
    harmed = {a.kind for a in event.actors if a.role in ("target", "victim")}
    if "civilians" in harmed or not perpetrators <= ARMED_KINDS or (perpetrators & STATE_KINDS and
                                                                     "state_forces" in harmed):
        return False
    if "state_forces" in harmed or set(event.targets) & MILITARY_TARGETS:
        return True
    # the casualty count last: it costs a pass of the phrase table in each language
    tolls = " ".join(q.text for q in (event.fatalities, event.injuries) if q is not None and q.text)
    return bool(tolls) and _names_combatants(tolls)


@lru_cache(maxsize=4_096)
def _names_combatants(tolls: str) -> bool:
    """Whether casualty words name soldiers (data/lexicons/combatant_words.tsv, either language); remembered, as
    the same few count phrases recur ('drie doden', 'two soldiers')."""
    from ..annotate.lexicons import _find

    return any(_find("combatant_words", tolls, language) for language in ("en", "nl"))


@lru_cache(maxsize=4_096)
def _codes(event_type: str, subtype: str | None, perpetrator_kinds: tuple[str | None, ...], outcome: str | None,
           victim_kinds: tuple[str | None, ...], against_combatants: bool) -> Codes:
    """crosswalk(), remembered: it reads its rows in order for each event, and a few dozen combinations of its
    arguments cover a corpus (18 for the 9,493 events of 400 generated articles, 61 on dutch_news_dev)."""
    return crosswalk(event_type, subtype, perpetrator_kinds, outcome, victim_kinds, against_combatants)


def with_codes(event: Event) -> Event:
    """The event with its ACLED, GTD weapon and attack codes from the ontology's crosswalks."""
    codes = _codes(event.type, event.subtype, tuple(a.kind for a in event.actors if a.role == "perpetrator"),
                   event.outcome, tuple(a.kind for a in event.actors if a.role == "victim"),
                   event.type == "attack" and against_combatants(event))
    return msgspec.structs.replace(event, acled_event_type=codes.acled_event_type,
                                   acled_sub_event_type=codes.acled_sub_event_type,
                                   gtd_attack_type=codes.gtd_attack_type,
                                   gtd_weapon_types=gtd_weapon_types(event.weapons) if codes.gtd_attack_type else ())
