"""The JSON API under /api: events (JSON, CSV, GeoJSON), one event with its evidence, documents, stats, health."""
from __future__ import annotations

import io
import json
import threading
from dataclasses import replace
from datetime import date
from typing import Any, AsyncIterator, Literal
from urllib.parse import urlencode

import msgspec
import numpy as np
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from .. import __version__, ontology
from ..errors import FilterError
from ..eventjson import decode_event, encode_event
from ..export import MEDIA_TYPES, export_chunks, write_parquet
from ..filters import (modality_help, parse_acled, parse_countries, parse_modalities, parse_subtypes, parse_types,
                       split_values)
from ..records import Event
from ..store import EventQuery
from .analyse_api import router as analyse_router
from .database import ServedDatabase
from .eventindex import EventIndex
from .memory import release_arrow_memory
from .errors import ApiError
from .follow_api import router as follow_router
from .formats import map_points, summaries_and_links
from .ingest import router as ingest_router

__all__ = ["router", "event_query", "read_endpoints"]

MAX_OFFSET = 1 << 53   # far past any database; DuckDB's OFFSET is a signed 64-bit integer (2^63 is a 500)
router = APIRouter(prefix="/api")
router.include_router(ingest_router)
router.include_router(follow_router)
router.include_router(analyse_router)

MAX_LIMIT = 10_000     # the map asks for every matching point at once; a page of the table asks for 50
MAX_NEIGHBOURS = 200   # other events of the same documents looked at for an event page
EXPORT_LIMIT = 1_000_000_000
# Pages of /api/events computed at the same time (the others wait their turn). With the GIL more at once answers
# nothing sooner, but each holds its page (up to 10,000 events, ~10 MB of GeoJSON) in memory: 50 clients asking for
# the map took the server from 270 MB to over 1 GB on 100,000 events.
_ANSWERS_AT_ONCE = threading.BoundedSemaphore(4)
_PIECE_ROWS = 500    # answers of more rows go out in pieces of this many (see _joined)


def database(request: Request) -> ServedDatabase:
    """The database this app serves."""
    return request.app.state.database


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON (dates as ISO strings)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def _blank_is_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not _blank_is_none(value):
        return None
    problem = "four numbers min_lon,min_lat,max_lon,max_lat with min <= max, longitudes in -180..180, " \
              "latitudes in -90..90"
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in value.split(","))
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"invalid value for bbox: {value!r}",
                       [{"parameter": "bbox", "in": "query", "problem": problem}]) from None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ApiError(400, "invalid_parameter", f"invalid value for bbox: {value!r}",
                       [{"parameter": "bbox", "in": "query", "problem": problem}])
    return min_lon, min_lat, max_lon, max_lat


def _filter_values(parameter: str, parse, *args):
    """One list-valued filter through kroniek.filters; an unknown value is a 400 that lists the valid ones."""
    try:
        return parse(*args)
    except FilterError as exc:
        raise ApiError(400, "invalid_parameter", str(exc),
                       [{"parameter": parameter, "in": "query", "problem": str(exc)}]) from None


async def event_query(
    type: str | None = Query(None, description="event types, comma-separated, e.g. attack,remote_violence "
                                               "(names or labels from /api/ontology)", max_length=400),
    subtype: str | None = Query(None, description="subtypes, comma-separated, e.g. vehicle_ramming",
                                max_length=400),
    modality: str | None = Query(None, description="modalities, comma-separated: " + modality_help() +
                                 "; the labels are accepted too", max_length=400),
    country: str | None = Query(None, description="countries, comma-separated: ISO 3166 codes (NL, DEU) or "
                                                  "English or Dutch names (Germany, Duitsland)", max_length=400),
    actor: str | None = Query(None, description="parts of actors' names or ids, comma-separated, any case",
                              max_length=400),
    since: date | None = Query(None, description="events whose dates end on or after this day (YYYY-MM-DD)"),
    until: date | None = Query(None, description="events whose dates start on or before this day (YYYY-MM-DD)"),
    text: str | None = Query(None, description="words in the evidence or a source's title, comma-separated, "
                                               "any case", max_length=400),
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat (no crossing of the antimeridian)"),
    id_prefix: str | None = Query(None, description="events whose id starts with this, e.g. evt_4f2a",
                                  max_length=40),
    acled: str | None = Query(None, description="ACLED event types or sub-event types as the ACLED codebook names "
                                                "them, comma-separated, e.g. Battles,Suicide bomb (or CASE 2021 "
                                                "codes such as AIR_STRIKE)", max_length=400),
) -> EventQuery:
    """The filters shared by /api/events, /api/export and /api/stats, as an EventQuery."""
    if since and until and since > until:
        raise ApiError(400, "invalid_parameter", "since is after until",
                       [{"parameter": "since", "in": "query", "problem": "must be on or before until"}])
    types = _filter_values("type", parse_types, type)
    return EventQuery(type=types, subtype=_filter_values("subtype", parse_subtypes, subtype, types),
                      modality=_filter_values("modality", parse_modalities, modality),
                      country=_filter_values("country", parse_countries, country),
                      actor=split_values(actor) or None, since=since, until=until, text=split_values(text) or None,
                      bbox=_bbox(bbox), id_prefix=_blank_is_none(id_prefix),
                      acled=_filter_values("acled", parse_acled, acled))


def _page_link(request: Request, offset: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"] + [("offset", str(offset))]
    return f"{request.url.path}?{urlencode(params)}"


@router.get("/events", summary="Events matching filters, one page at a time",
            responses={200: {"content": {"text/csv": {}, "application/geo+json": {}}}})
async def list_events(
    request: Request,
    filters: EventQuery = Depends(event_query),
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description="events per page"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="events to skip"),
    order: Literal["date", "fatalities", "id"] = Query("date", description="newest first, most fatalities first, "
                                                                           "or by id"),
    format: Literal["json", "csv", "geojson", "points"] = Query(
        "json", description="json (EVENTS.md records), csv, geojson, points (the dashboard's map summaries)"),
) -> Response:
    """Events as EVENTS.md records (``json``), flat rows (``csv``), GeoJSON features or map summaries (``points``).

    JSON: ``{"total", "limit", "offset", "events", "links": {"next", "prev"}}``; points: the same with ``"points"``
    (each an event's summary with ``lon`` and ``lat``, null where it has no place) instead of ``"events"``. CSV and
    GeoJSON carry the total in the ``X-Total-Count`` header; every format has ``Link`` headers to the next and
    previous page.
    """
    query = replace(filters, limit=limit, offset=offset, order=order)
    index = database(request).index_at_hand()
    if index is not None and index.stored is not None and format != "csv" and not index.needs_database(query):
        # from memory alone: on the event loop, with this index (a write since then must not build one here)
        return _list_events(request, query, limit, offset, format, index)
    return await run_in_threadpool(_list_events_in_turn, request, query, limit, offset, format)


def _list_events_in_turn(request: Request, query: EventQuery, limit: int, offset: int, format: str) -> Response:
    with _ANSWERS_AT_ONCE:
        return _list_events(request, query, limit, offset, format)


def _list_events(request: Request, query: EventQuery, limit: int, offset: int, format: str,
                 index: EventIndex | None = None) -> Response:
    served = database(request)
    reader = served.reader()
    index = index if index is not None else served.index()
    mask = index.mask(query, reader.event_ids)
    total = int(mask.sum())
    links = _links(request, total, limit, offset)
    rows = index.page(mask, query.order, offset, limit, total)
    head = json_bytes({"total": total, "limit": limit, "offset": offset})[:-1]
    tail = b'],"links":' + json_bytes(links) + b"}"
    headers = {"X-Total-Count": str(total)}
    link_header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    if link_header:
        headers["Link"] = link_header
    media_type = MEDIA_TYPES[format] if format in MEDIA_TYPES else "application/json"
    body: bytes | None = None
    if format == "geojson" and index.stored is not None:
        # export's GeoJSON (kroniek.export._geojson_chunks), each feature serialised once per generation
        return _joined(index, "features", rows, b'{"type":"FeatureCollection","features":[', b"]}\n", media_type,
                       headers)
    elif format == "points":
        # each event's map point is stored as JSON (the `point` column): spliced in as bytes
        if not index.has_all_points(rows):   # a record stored without its point: read from the record
            points = [json_bytes(p) for p in map_points(reader.records_at(index.located(rows)))]
            body = head + b',"points":[' + b",".join(points) + tail
        else:
            return _joined(index, "points", rows, head + b',"points":[', tail, media_type, headers)
    elif format == "json":
        # The stored records are already JSON: spliced in rather than parsed and re-serialised.
        if index.stored is not None:
            return _joined(index, "records", rows, head + b',"events":[', tail, media_type, headers)
        body = head + b',"events":[' + ",".join(reader.records_at(index.located(rows))).encode("utf-8") + tail
    if body is None:
        body = b"".join(export_chunks(reader, query, format))
    return Response(body, media_type=media_type, headers=headers)


def _joined(index: EventIndex, kind: str, rows: np.ndarray, head: bytes, tail: bytes, media_type: str,
            headers: dict[str, str]) -> Response:
    """An answer of these rows' records, features or points between head and tail. A big one is sent in pieces of
    _PIECE_ROWS rows, each made when the client has taken the one before (its Content-Length known beforehand):
    the server holds a piece per slow client, not a whole answer (a GeoJSON map of 10,000 events is 11.6 MB)."""
    join = {"records": index.joined_records, "features": index.joined_features, "points": index.joined_points}[kind]
    if len(rows) <= _PIECE_ROWS:
        return Response(join(rows, head, tail), media_type=media_type, headers=headers)
    headers["Content-Length"] = str(len(head) + index.joined_size(kind, rows) + len(rows) - 1 + len(tail))

    async def pieces() -> AsyncIterator[bytes]:
        for first in range(0, len(rows), _PIECE_ROWS):
            last = first + _PIECE_ROWS >= len(rows)
            yield join(rows[first:first + _PIECE_ROWS], head if first == 0 else b",", tail if last else b"")
        release_arrow_memory()

    return StreamingResponse(pieces(), media_type=media_type, headers=headers)


@router.get("/export", summary="Every matching event in one file, exactly as `kroniek export` writes it",
            responses={200: {"content": {"application/x-ndjson": {}, "text/csv": {}, "application/geo+json": {},
                                         "application/vnd.apache.parquet": {}}}})
def export_events(
    request: Request,
    filters: EventQuery = Depends(event_query),
    order: Literal["date", "fatalities", "id"] = Query("date", description="newest first, most fatalities first, "
                                                                           "or by id"),
    format: Literal["jsonl", "csv", "geojson", "parquet"] = Query("jsonl", description="as `kroniek export --format`"),
    limit: int = Query(EXPORT_LIMIT, ge=1, le=EXPORT_LIMIT, description="at most this many events (default all)"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="events to skip"),
) -> Response:
    """The same bytes as ``kroniek export --format FORMAT`` with the same filters (streamed; Parquet whole);
    with ``limit`` and ``offset``, the same bytes as ``kroniek events --json`` / ``--csv``."""
    query = replace(filters, limit=limit, offset=offset, order=order)
    reader = database(request).reader()
    disposition = {"Content-Disposition": f'attachment; filename="kroniek-events.{format}"'}
    if format == "parquet":
        sink = io.BytesIO()
        write_parquet(reader.iter_events(query), sink)
        return Response(sink.getvalue(), media_type=MEDIA_TYPES[format], headers=disposition)
    return StreamingResponse(export_chunks(reader, query, format), media_type=MEDIA_TYPES[format],
                             headers=disposition)


@router.get("/ontology", summary="Event types, subtypes, modalities, roles, relations, weapons and precisions")
def get_ontology() -> Response:
    """The vocabulary every record uses (data/ontology.toml), with labels in English and Dutch and the type colours
    the dashboard draws with."""
    return Response(json_bytes(ontology.as_json()), media_type="application/json")


def _links(request: Request, total: int, limit: int, offset: int) -> dict[str, str | None]:
    return {"next": _page_link(request, offset + limit) if offset + limit < total else None,
            "prev": _page_link(request, max(0, offset - limit)) if offset > 0 else None}


@router.get("/events/{event_id}", summary="One event with its evidence, source documents and related events")
async def get_event(request: Request, event_id: str = Path(..., max_length=200)) -> Response:
    """``{"event", "documents": [full text of every source], "related": [...], "same_documents": [...]}``.

    ``related`` lists the events this one points at (``direction: "out"``, from ``event.related``) and the
    events in the same documents that point at this one (``direction: "in"``, e.g. the claim of an attack),
    each with a short summary (null when the event is not in the database). ``same_documents`` summarises
    every other event found in this event's documents.
    """
    index = database(request).index_at_hand()
    if index is not None and index.stored is not None and index.documents is not None:
        # records and documents from memory: on the event loop, with this index (a write since must not build one
        # here); documents the index does not hold are read from the store on a worker thread
        return _event_page(request, event_id, index)
    return await run_in_threadpool(_event_page, request, event_id)


def _event_page(request: Request, event_id: str, index: EventIndex | None = None) -> Response:
    served = database(request)
    reader = served.reader()
    index = index if index is not None else served.index()
    row = index.position().get(event_id)
    held = index.records(np.array([row])) if row is not None else None
    event = decode_event(held[0]) if held else reader.event(event_id)
    if event is None:
        current = reader.resolve_event_id(event_id)
        if current is None:
            raise ApiError(404, "not_found", f"no event with id {event_id!r}")
        # a merge gave the event another id: the old one keeps working
        return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}/{current}", status_code=308)
    doc_ids = list(dict.fromkeys([s.doc_id for s in event.sources] + [e.doc_id for e in event.evidence]))
    if index.documents is not None:   # the documents' JSON from the index
        held = [i for i in doc_ids if i in index.documents]
        documents_json = b"[" + b",".join(index.document_json(i) for i in held) + b"]"
        reported = [index.events_of(i) for i in held]
    else:
        documents = [d for d in (reader.document(doc_id, with_events=False) for doc_id in doc_ids) if d is not None]
        for d in documents:   # the events each document reports: from the index (a query per document otherwise)
            d["event_ids"] = index.events_of_document.get(d["duplicate_of"] or d["doc_id"], [])
        documents_json = json_bytes(documents)
        reported = [d["event_ids"] for d in documents]
    neighbour_ids = list(dict.fromkeys(i for ids in reported for i in ids if i != event.id))[:MAX_NEIGHBOURS]
    # the neighbours and the events this one points at: their summaries and links, read in one go
    known = _summaries(served, reader, neighbour_ids + [link.event_id for link in event.related])
    neighbours = [i for i in neighbour_ids if i in known]
    body = b'{"event":' + encode_event(event) + b',"documents":' + documents_json + b',"related":' + \
        json_bytes(_related(event, neighbours, known)) + b',"same_documents":' + \
        json_bytes([known[i][0] for i in neighbours]) + b"}"
    return Response(body, media_type="application/json")


def _summaries(served: ServedDatabase, reader: Any, event_ids: list[str]
               ) -> dict[str, tuple[dict[str, Any], list[tuple[str, str]]]]:
    """Event id -> (summary, links) of those of these events that are stored, their records found through the
    index (one read by location); an id the index does not know (written since) is read by id."""
    if not event_ids:
        return {}
    index = served.index()
    position = index.position()
    wanted = list(dict.fromkeys(event_ids))
    rows = np.array([position[i] for i in wanted if i in position], np.int64)
    records: list = index.records(rows) if len(rows) else []
    if records is None:
        records = reader.records_at(index.located(rows))
    records += [encode_event(e) for e in (reader.event(i) for i in wanted if i not in position) if e is not None]
    return summaries_and_links(records)


def _related(event: Event, neighbours: list[str], known: dict[str, tuple[dict[str, Any], list[tuple[str, str]]]]
             ) -> list[dict[str, Any]]:
    related: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for link in event.related:
        other = known.get(link.event_id)
        related.append({"relation": link.relation, "event_id": link.event_id, "direction": "out",
                        "summary": other[0] if other else None})
        seen.add((link.relation, link.event_id))
    for other_id in neighbours:
        summary, links = known[other_id]
        for relation, target in links:
            relation = ontology.INVERSE_RELATION.get(relation, relation)
            if target == event.id and (relation, other_id) not in seen:
                seen.add((relation, other_id))
                related.append({"relation": relation, "event_id": other_id, "direction": "in",
                                "summary": summary})
    return related


@router.get("/documents/{doc_id}", summary="One stored document: metadata, clean text, the events it reports")
def get_document(request: Request, doc_id: str = Path(..., max_length=200)) -> Response:
    document = database(request).reader().document(doc_id)
    if document is None:
        raise ApiError(404, "not_found", f"no document with id {doc_id!r}")
    return Response(json_bytes(document), media_type="application/json")


@router.get("/stats", summary="Counts of matching events by type, country and week")
async def get_stats(request: Request, filters: EventQuery = Depends(event_query)) -> Response:
    """``{"total", "by_type": {type: n}, "by_country": {cc: n},
    "by_week": [{"week", "week_start", "type", "count"}]}``."""
    index = database(request).index_at_hand()
    if index is not None and not index.needs_database(filters):
        return Response(index.stats_json(index.mask(filters)), media_type="application/json")   # on the event loop
    return await run_in_threadpool(_stats, request, filters)


def _stats(request: Request, filters: EventQuery) -> Response:
    served = database(request)
    index = served.index()
    return Response(index.stats_json(index.mask(filters, served.reader().event_ids)), media_type="application/json")


@router.get("/health", summary="Is the server up, and which one is it")
def health(request: Request) -> dict[str, Any]:
    """``instance`` is a random id also written to the server file, so a client knows it reached this server."""
    state = request.app.state
    return {"status": "ok", "version": __version__, "instance": state.instance,
            "read_only": state.database.read_only, "ingest_token_configured": bool(state.ingest_token),
            "generation": state.database.generation}


def read_endpoints() -> dict[str, Any]:
    """The read endpoints the dashboard and API users ask most, by path: serve/fastroutes.py answers their valid
    GET requests without FastAPI's per-request parameter solving (the parameters declared above are the check)."""
    return {"/api/events": list_events, "/api/events/{event_id}": get_event, "/api/stats": get_stats}
