"""Events as one pandas DataFrame, a row per stored event, with what the analyses ask of it.

The store's records are read once; each analysis (series, claims, calls) filters this frame. Dates are the start of
the event's date range (an offensive dated 17 October to 12 November counts in the week of 17 October).
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..records import Event
from ..store import EventQuery, Store

__all__ = ["events_frame", "load_events", "COLUMNS"]

COLUMNS = ["id", "type", "subtype", "modality", "date", "date_end", "precision", "date_from", "country", "place",
           "fatalities", "injuries", "perpetrators", "opponents", "victims", "targets_actors", "claimants",
           "instigators", "actor_ids", "actor_names", "platforms", "claims", "claimed_by", "refers_to", "weapons",
           "targets", "quote", "title", "url"]

_ROLE_COLUMNS = {"perpetrator": "perpetrators", "opponent": "opponents", "victim": "victims",
                 "target": "targets_actors", "claimant": "claimants", "instigator": "instigators"}


def _row(event: Event, media_ids: frozenset[str]) -> dict:
    d, loc = event.date, event.location
    roles: dict[str, list[str]] = {c: [] for c in _ROLE_COLUMNS.values()}
    for actor in event.actors:
        if actor.id and actor.role in _ROLE_COLUMNS:
            roles[_ROLE_COLUMNS[actor.role]].append(actor.id)
    quote = next((e.quote for e in event.evidence if e.field is None), event.evidence[0].quote if event.evidence
                 else None)
    source = event.sources[0] if event.sources else None
    return {
        "id": event.id, "type": event.type, "subtype": event.subtype, "modality": event.modality,
        "date": pd.Timestamp(d.start) if d else pd.NaT, "date_end": pd.Timestamp(d.end) if d else pd.NaT,
        "precision": d.precision if d else None, "date_from": d.resolved_from if d else None, "country": loc.country if loc else None,
        "place": loc.name if loc else None,
        "fatalities": event.fatalities.min if event.fatalities else None,
        "injuries": event.injuries.min if event.injuries else None,
        **{k: tuple(dict.fromkeys(v)) for k, v in roles.items()},
        "actor_ids": tuple(dict.fromkeys(a.id for a in event.actors if a.id)),
        "actor_names": tuple(dict.fromkeys(a.name for a in event.actors if a.name)),
        "platforms": tuple(dict.fromkeys(a.id for a in event.actors if a.id in media_ids)),
        "claims": tuple(r.event_id for r in event.related if r.relation == "claims"),
        "claimed_by": tuple(r.event_id for r in event.related if r.relation == "claimed_by"),
        "refers_to": tuple(r.event_id for r in event.related if r.relation == "refers_to"),
        "weapons": tuple(event.weapons), "targets": tuple(event.targets), "quote": quote,
        "title": source.title if source else None, "url": source.url if source else None,
    }


def _media_ids() -> frozenset[str]:
    from ..annotate.actors import actor_entries

    return frozenset(e["id"] for e in actor_entries() if e["kind"] == "media_platform")


def events_frame(events: Iterable[Event]) -> pd.DataFrame:
    """A DataFrame of these events (COLUMNS; list-like fields as tuples, counts as nullable integers)."""
    media = _media_ids()
    frame = pd.DataFrame([_row(e, media) for e in events], columns=COLUMNS)
    for column in ("fatalities", "injuries"):
        frame[column] = frame[column].astype("Int64")
    for column in ("date", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load_events(store: Store) -> pd.DataFrame:
    """Every event of the store as a DataFrame (all modalities; the analyses keep the ones that occurred)."""
    return events_frame(store.iter_events(EventQuery(limit=1_000_000_000, order="id")))
