"""The rows a store writes (the same in every store): each event's flat columns beside its record, for filtering
and sorting, and its map point (the summary the dashboard's map, timeline and links show, stored as JSON so that a
server answers 10,000 of them without decoding a record); documents with their near-duplicate holders; reports and
their blocking keys."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping, Sequence

import msgspec

from ..consolidate.across import block_keys
from ..eventjson import encode_event
from ..records import Article, Event

__all__ = ["event_columns", "document_rows", "band_rows", "report_rows", "report_key_rows", "event_summary",
           "map_point", "point_json", "INDEX_COLUMNS"]

# What a server keeps of every event in memory (serve/eventindex.py), in SQL both stores read: the filter and order
# columns (the case-folded search columns too), dates as days since 1970-01-01, and the map point.
INDEX_COLUMNS = ("event_id, type, subtype, modality, country, date_start - DATE '1970-01-01' AS start_day, "
                 "coalesce(date_end, date_start) - DATE '1970-01-01' AS end_day, lat, lon, fatalities_min, "
                 "acled_event_type, acled_sub_event_type, point, actor_names, search_text")


def event_summary(event: Event) -> dict[str, Any]:
    """The short summary of an event that a link to it shows (the API's `same_documents`, `related`)."""
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


def point_json(event: Event) -> str:
    """The `point` column: :func:`map_point` as compact JSON."""
    return msgspec.json.encode(map_point(event)).decode("utf-8")


def search_form(text: str) -> str:
    """Text as the search columns hold it, and as a filter value is compared with them."""
    return text.casefold()


def event_columns(event: Event, record: bytes | None = None) -> dict[str, Any]:
    """The `events` row of an event: its filter columns and its EVENTS.md JSON (`record`, encoded if not given)."""
    d, loc = event.date, event.location
    # The search columns hold case-folded text (Python's str.casefold: "München" → "münchen", "Straße" → "strasse"),
    # matched with LIKE against a case-folded value (store/query.py): the same answers in DuckDB and in PostgreSQL
    # whatever the server's locale (a "C" locale folds only ASCII).
    actors = search_form(" | ".join(f"{a.name or ''} {a.id or ''} {a.text or ''}" for a in event.actors))
    search = search_form(" | ".join([e.quote for e in event.evidence] + [s.title or "" for s in event.sources]))
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
        "gtd_attack_type": event.gtd_attack_type, "point": point_json(event),
    }


def document_rows(fresh: Sequence[tuple[Article, Sequence[Event]]], plan: Any, now: datetime) -> list[dict[str, Any]]:
    """The `documents` rows of a batch, as `plan` (consolidate.near_duplicates.plan_copies) decided: a copy keeps no
    text, names the document that holds its text, and keeps its signature (a later copy of the copy finds it)."""
    rows = []
    for a, _ in fresh:
        own = plan.keeps_text(a.doc_id)
        rows.append({"doc_id": a.doc_id, "origin": a.origin, "url": a.url, "title": a.title, "author": a.author,
                     "outlet": a.outlet, "published": a.published, "language": a.language,
                     "text": a.text if own else None, "ingested_at": now,
                     "duplicate_of": None if own else plan.holder[a.doc_id],
                     "signature": plan.signatures[a.doc_id]})
    return rows


def band_rows(documents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The `document_bands` rows of the documents that have a signature (texts and copies)."""
    # only a writer needs the near-duplicate signatures, never `kroniek events` or a reader
    from ..consolidate.near_duplicates import band_keys

    return [{"band_key": k, "doc_id": d["doc_id"]} for d in documents if d["signature"]
            for k in band_keys(d["signature"])]


def report_rows(reports: Sequence[Event], assignments: Mapping[str, str]) -> list[dict[str, Any]]:
    """The `reports` rows: each document's own event, the merged event it is part of, its record."""
    return [{"report_id": r.id, "doc_id": r.sources[0].doc_id if r.sources else None,
             "event_id": assignments[r.id], "record": encode_event(r).decode("utf-8")} for r in reports]


def report_key_rows(reports: Sequence[Event]) -> list[dict[str, Any]]:
    """The `report_keys` rows: the blocking keys under which each report meets its candidates."""
    return [{"block_key": k, "report_id": r.id} for r in reports for k in block_keys(r)]
