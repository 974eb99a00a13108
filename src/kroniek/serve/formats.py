"""The short summaries of an event that a link to an event and a map point need (the API's own shapes; every export
shape is in kroniek.export)."""
from __future__ import annotations

from typing import Any, Iterable

import msgspec

from ..records import Event

__all__ = ["event_summary", "map_point", "map_points"]


def event_summary(event: Event) -> dict[str, Any]:
    d, loc = event.date, event.location
    return {
        "id": event.id, "type": event.type, "subtype": event.subtype, "modality": event.modality,
        "date_start": d.start.isoformat() if d else None, "date_end": d.end.isoformat() if d else None,
        "location_name": loc.name if loc else None, "country": loc.country if loc else None,
        "fatalities_min": event.fatalities.min if event.fatalities else None,
        "fatalities_max": event.fatalities.max if event.fatalities else None,
        "injuries_min": event.injuries.min if event.injuries else None,
        "injuries_max": event.injuries.max if event.injuries else None,
        "actors": [a.name for a in event.actors if a.name],
        "title": next((s.title for s in event.sources if s.title), None),
        "n_sources": len(event.sources), "confidence": event.confidence,
    }


def map_point(event: Event) -> dict[str, Any]:
    """What the dashboard's map and timeline draw of one event: its summary and its coordinates (null when unplaced).

    A fifth of the size of a GeoJSON feature (whose properties are the whole export row, evidence included), so the
    dashboard can ask for every matching event at once.
    """
    loc = event.location
    return {**event_summary(event), "lon": loc.lon if loc else None, "lat": loc.lat if loc else None}


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


_POINT_DECODER = msgspec.json.Decoder(_PointView)


def map_points(records: Iterable[str | bytes]) -> list[dict[str, Any]]:
    """``map_point`` of each stored record (EVENTS.md JSON), read without decoding whole events."""
    decode, out = _POINT_DECODER.decode, []
    for raw in records:
        e = decode(raw)
        d, loc, f, i = e.date, e.location, e.fatalities, e.injuries
        out.append({
            "id": e.id, "type": e.type, "subtype": e.subtype, "modality": e.modality,
            "date_start": d.start if d else None, "date_end": d.end if d else None,
            "location_name": loc.name if loc else None, "country": loc.country if loc else None,
            "fatalities_min": f.min if f else None, "fatalities_max": f.max if f else None,
            "injuries_min": i.min if i else None, "injuries_max": i.max if i else None,
            "actors": [a.name for a in e.actors if a.name],
            "title": next((s.title for s in e.sources if s.title), None),
            "n_sources": len(e.sources), "confidence": e.confidence,
            "lon": loc.lon if loc else None, "lat": loc.lat if loc else None,
        })
    return out
