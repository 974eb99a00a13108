"""The short summaries of an event that a link to an event and a map point need (the API's own shapes; every export
shape is in kroniek.export)."""
from __future__ import annotations

from typing import Any

from ..records import Event

__all__ = ["event_summary", "map_point"]


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
