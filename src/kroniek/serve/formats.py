"""The short summary of an event that a map point, a table row or a link to an event needs (the API's own shape; every
export shape is in kroniek.export)."""
from __future__ import annotations

from typing import Any

from ..records import Event

__all__ = ["event_summary"]


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
