"""The rows a store writes (the same in every store): each event's flat columns beside its record, for filtering
and sorting; documents with their near-duplicate holders; reports and their blocking keys."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping, Sequence

from ..consolidate.across import block_keys
from ..eventjson import encode_event
from ..records import Article, Event

__all__ = ["event_columns", "document_rows", "band_rows", "report_rows", "report_key_rows"]


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
