"""The flat columns a store keeps beside each event's record, for filtering and sorting (the same in every store)."""
from __future__ import annotations

from typing import Any

from ..eventjson import encode_event
from ..records import Event

__all__ = ["event_columns"]


def event_columns(event: Event, record: bytes | None = None) -> dict[str, Any]:
    """The `events` row of an event: its filter columns and its EVENTS.md JSON (`record`, encoded if not given)."""
    d, loc = event.date, event.location
    actors = " | ".join(f"{a.name or ''} {a.id or ''} {a.text or ''}" for a in event.actors)
    search = " | ".join([e.quote for e in event.evidence] + [s.title or "" for s in event.sources])
    return {
        "event_id": event.id, "type": event.type, "subtype": event.subtype, "modality": event.modality,
        "date_start": d.start if d else None, "date_end": d.end if d else None,
        "country": loc.country if loc else None, "location_name": loc.name if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "fatalities_min": event.fatalities.min if event.fatalities else None,
        "injuries_min": event.injuries.min if event.injuries else None,
        "actor_names": actors, "search_text": search, "n_sources": len(event.sources),
        "record": (record if record is not None else encode_event(event)).decode("utf-8"),
        "acled_event_type": event.acled_event_type, "acled_sub_event_type": event.acled_sub_event_type,
        "gtd_attack_type": event.gtd_attack_type,
    }
