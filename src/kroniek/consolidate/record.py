"""From a finished cluster to the exported record (EVENTS.md): fields from its best mentions, evidence for each."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from ..datafiles import read_tsv
from ..records import Article, Event, Span
from .cluster import Cluster

__all__ = ["to_event", "event_id"]


@lru_cache(maxsize=1)
def _weapon_subtypes() -> dict[str, str]:
    return {row["weapon"]: row["subtype"] for row in read_tsv("crosswalks", "weapon_subtypes.tsv")}

GENERIC_KINDS = frozenset({"generic_armed", "civilians", None})   # "gunmen", "militants": a claim names them
REFINES = {"suicide_bombing": "bombing", "assassination": "shooting", "offensive": "clash"}


def event_id(doc_id: str, c: Cluster) -> str:
    first = min(c.mentions, key=lambda m: m.trigger.start)
    key = f"{doc_id}|{c.type}|{first.trigger.start}"
    return "evt_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]




def _quantity(spans: list[Span]) -> dict[str, Any] | None:
    spans = [s for s in spans if s is not None and s.value is not None]
    if not spans:
        return None
    best = max(spans, key=lambda s: (s.value.min if s.value.min is not None else -1))
    return {"min": best.value.min, "max": best.value.max, "text": best.text}


def to_event(article: Article, c: Cluster, clusters: list[Cluster], claimers: list[Cluster] = ()) -> Event:
    """The EVENTS.md record of a cluster; `claimers` are the claims that claim it."""
    doc_id = article.doc_id
    head = c.head
    date_span, place_span = c.date(), c.location()
    date = None
    if date_span is not None:
        v = date_span.value
        resolved = "context" if date_span is c.context_date else v.resolved_from
        date = {"start": v.start.isoformat(), "end": v.end.isoformat(), "precision": v.precision,
                "text": date_span.text, "resolved_from": resolved}
    location = None
    if place_span is not None:
        p = place_span.value
        location = {"name": p.name, "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
                    "geonames_id": p.geonames_id, "precision": p.precision, "text": place_span.text}
    actors: list[dict[str, Any]] = []
    for m in sorted(c.mentions, key=lambda m: m.sentence):
        for a in list(m.actors) + (c.context_actors if m is c.mentions[-1] else []):
            if not any(x["role"] == a.role and (x["id"] or x["name"]) == (a.id or a.name) for x in actors):
                actors.append({"role": a.role, "name": a.name, "id": a.id, "kind": a.kind,
                               "attribution": a.attribution, "text": a.text})
    related: list[dict[str, str]] = []
    if c.claims is not None:
        related.append({"relation": "claims", "event_id": event_id(doc_id, clusters[c.claims])})
    for o in claimers:
        related.append({"relation": "claimed_by", "event_id": event_id(doc_id, o)})
        for a in o.head.actors:
            if a.role == "claimant" and not any(x["role"] == "perpetrator" and x["kind"] not in GENERIC_KINDS
                                                for x in actors):
                actors.append({"role": "perpetrator", "name": a.name, "id": a.id, "kind": a.kind,
                               "attribution": "claimed", "text": a.text})
    evidence, seen = [], set()
    for ev in [e for m in c.mentions for e in m.evidence] + c.extra_evidence:
        key = (ev.start, ev.end, ev.field)
        if key not in seen:
            seen.add(key)
            evidence.append({"doc_id": ev.doc_id, "start": ev.start, "end": ev.end, "quote": ev.quote,
                             "field": ev.field})
    if date_span is not None and date_span is c.context_date:
        evidence.append({"doc_id": doc_id, "start": date_span.start, "end": date_span.end,
                         "quote": date_span.text, "field": "date"})
        seen.add((date_span.start, date_span.end, "date"))
    if place_span is not None and place_span is c.context_place:
        evidence.append({"doc_id": doc_id, "start": place_span.start, "end": place_span.end,
                         "quote": place_span.text, "field": "location"})
        seen.add((place_span.start, place_span.end, "location"))
    for name, spans in (("fatalities", c.extra_fatalities), ("injuries", c.extra_injuries)):
        for s in spans:
            if (s.start, s.end, name) not in seen:
                seen.add((s.start, s.end, name))
                evidence.append({"doc_id": doc_id, "start": s.start, "end": s.end, "quote": s.text, "field": name})
    source = {"doc_id": doc_id, "url": article.url, "title": article.title, "outlet": article.outlet,
              "published": article.published.isoformat() if article.published else None}
    subtypes = [m.subtype for m in c.mentions if m.subtype]
    subtype = head.subtype or (subtypes[0] if subtypes else None)
    weapons = sorted({w for m in c.mentions for w in m.weapons})
    if subtype is None and c.type == "attack":
        implied = {_weapon_subtypes()[w] for w in weapons if w in _weapon_subtypes()}
        if len(implied) == 1:
            subtype = implied.pop()
    for finer, coarser in REFINES.items():   # "een explosie" and "een zelfmoordaanslag": a suicide bombing
        if subtype == coarser and finer in subtypes:
            subtype = finer
    confidence = max(m.confidence for m in c.mentions)
    if len(c.mentions) > 1:
        confidence = min(0.95, confidence + 0.05)
    triggers = [{"doc_id": doc_id, "start": m.trigger.start, "end": m.trigger.end, "text": m.trigger.text}
                for m in sorted(c.mentions, key=lambda m: m.trigger.start)]
    return Event(id=event_id(doc_id, c), type=c.type, subtype=subtype, modality=c.modality, date=date,
                 location=location, actors=tuple(actors),
                 weapons=tuple(weapons),
                 targets=tuple(sorted({t for m in c.mentions for t in m.targets})),
                 fatalities=_quantity([m.fatalities for m in c.mentions] + c.extra_fatalities),
                 injuries=_quantity([m.injuries for m in c.mentions] + c.extra_injuries),
                 related=tuple(related), evidence=tuple(evidence), sources=(source,),
                 confidence=round(confidence, 2), merged_because=tuple(c.reasons), triggers=tuple(triggers))
