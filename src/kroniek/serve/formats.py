"""The short summaries of an event that a link to an event and a map point need (the API's own shapes; every export
shape is in kroniek.export). ``event_summary`` and ``map_point`` are defined beside the store's `point` column
(store/columns.py), which holds each event's map point; ``map_points`` reads them from records that lack it."""
from __future__ import annotations

from typing import Any, Iterable

import msgspec

from ..store.columns import event_summary, map_point

__all__ = ["event_summary", "map_point", "map_points", "summaries_and_links"]


# What map_point reads of a stored record, and nothing else: decoding only these fields (msgspec skips the rest,
# evidence and triggers included, without building them) makes a map of 10,000 events several times cheaper than
# decoding whole Events. Dates stay the strings the record holds (YYYY-MM-DD, what isoformat() gives).
class _Named(msgspec.Struct):
    name: str | None = None


class _Titled(msgspec.Struct):
    title: str | None = None


class _When(msgspec.Struct):
    start: str
    end: str


class _Where(msgspec.Struct):
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class _Count(msgspec.Struct):
    min: int | None = None
    max: int | None = None


class _Link(msgspec.Struct):
    relation: str
    event_id: str


class _PointView(msgspec.Struct):
    id: str
    type: str
    modality: str
    subtype: str | None = None
    date: _When | None = None
    location: _Where | None = None
    actors: list[_Named] = []
    fatalities: _Count | None = None
    injuries: _Count | None = None
    sources: list[_Titled] = []
    confidence: float = 0.5
    related: list[_Link] = []


_POINT_DECODER = msgspec.json.Decoder(_PointView)


def map_points(records: Iterable[str | bytes]) -> list[dict[str, Any]]:
    """``map_point`` of each stored record (EVENTS.md JSON), read without decoding whole events."""
    return [_point(_POINT_DECODER.decode(raw)) for raw in records]


def summaries_and_links(records: Iterable[str | bytes]) -> dict[str, tuple[dict[str, Any], list[tuple[str, str]]]]:
    """Event id -> (``event_summary``, its links as (relation, event id)) of each stored record, read without
    decoding whole events (an event page's neighbours)."""
    out = {}
    for raw in records:
        e = _POINT_DECODER.decode(raw)
        summary = _point(e)
        del summary["lon"], summary["lat"]
        out[e.id] = (summary, [(link.relation, link.event_id) for link in e.related])
    return out


def _point(e: _PointView) -> dict[str, Any]:
    """map_point of a decoded view (dates are the strings the record holds)."""
    d, loc, f, i = e.date, e.location, e.fatalities, e.injuries
    return {
        "id": e.id, "type": e.type, "subtype": e.subtype, "modality": e.modality,
        "date_start": d.start if d else None, "date_end": d.end if d else None,
        "location_name": loc.name if loc else None, "country": loc.country if loc else None,
        "fatalities_min": f.min if f else None, "fatalities_max": f.max if f else None,
        "injuries_min": i.min if i else None, "injuries_max": i.max if i else None,
        "actors": [a.name for a in e.actors if a.name],
        "title": next((s.title for s in e.sources if s.title), None),
        "n_sources": len(e.sources), "confidence": e.confidence,
        "lon": loc.lon if loc else None, "lat": loc.lat if loc else None,
    }
