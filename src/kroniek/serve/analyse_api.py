"""/api/analyse: the theatre analysis (kroniek.analyse) and group pages, as JSON for the dashboard's Analysis page.

Every number here is the one `kroniek analyse theatres` writes for the same scope; each point of a series carries the
ids of the events it counts, so the dashboard can open them. An analysis reads every event of the database once and
is cached until the next write (as every answer of this server is). Without the `[analyse]` extra the endpoints
answer 501 `analysis_unavailable`, saying how to install it.
"""
from __future__ import annotations

import math
from datetime import date
from typing import Any

from fastapi import APIRouter, Path, Query, Request, Response

from ..errors import AnalysisError
from .errors import ApiError
from .formats import event_summary

__all__ = ["router"]

router = APIRouter(prefix="/analyse")

# The event type whose colour (data/ontology.toml, read by the dashboard from /api/ontology) draws each series.
SERIES_TYPES = {"theatre_events": "armed_clash", "abroad_attacks": "attack", "claims": "claim", "calls": "incitement",
                "attacks": "attack", "fighting": "armed_clash"}
MAX_IDS = 500       # events one point may open at once (a week of a large database can hold more: the list says so)


def _json(value: Any) -> Response:
    from .api import json_bytes

    return Response(json_bytes(value), media_type="application/json")


def _plain(value: Any) -> Any:
    """A JSON-ready value: NaN and pandas' NA are null, timestamps are dates, tuples are lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return value.date().isoformat()
    except ImportError:
        pass
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):          # numpy scalars
        return _plain(value.item())
    return str(value)


def _records(frame) -> list[dict[str, Any]]:
    return [_plain(row) for row in frame.to_dict(orient="records")]


def _events(request: Request):
    """The events frame of the served database, cached per generation."""
    from ..analyse._deps import require_extra

    try:
        require_extra()
    except AnalysisError as exc:
        raise ApiError(501, "analysis_unavailable", str(exc)) from None
    from ..analyse.frames import load_events

    database = request.app.state.database
    generation = database.generation
    key = ("analyse-events",)
    frame = database.cache_lookup(key)
    if frame is None:
        frame = load_events(database.reader())
        database.cache_store(key, generation, frame, 0)
    return frame


def _scope(theatre: str | None, abroad: str | None, group: str | None, since: date | None, until: date | None):
    from ..analyse.scope import make_scope

    try:
        return make_scope([theatre] if theatre else None, [abroad] if abroad else None, group or None, since, until)
    except AnalysisError as exc:
        raise ApiError(400, "invalid_parameter", str(exc)) from None


def _points(rows: list[dict[str, Any]], counted, label: str) -> list[dict[str, Any]]:
    """The series rows, each with `events`: {column: [event ids]} for the counts it holds."""
    by_start: dict[str, dict[str, list[str]]] = {}
    for item in counted.itertuples(index=False):
        ids = by_start.setdefault(item.start.date().isoformat(), {}).setdefault(item.column, [])
        if item.event_id not in ids:
            ids.append(item.event_id)
    for row in rows:
        row["events"] = by_start.get(row["start"], {})
    return rows


@router.get("/theatres", summary="Conflict theatres and attacks abroad: series, claims, calls, lagged association")
def get_theatres(
    request: Request,
    theatre: str | None = Query(None, max_length=300, description="countries or regions, comma-separated "
                                                                  "(default IQ,SY)"),
    abroad: str | None = Query(None, max_length=300, description="where attacks abroad count (default Europe, "
                                                                 "North America, Oceania)"),
    group: str | None = Query(None, max_length=200, description="an armed group by id or name, e.g. islamic-state"),
    since: date | None = Query(None, description="first day (YYYY-MM-DD)"),
    until: date | None = Query(None, description="last day (YYYY-MM-DD)"),
) -> Response:
    """``{"scope", "weekly", "monthly", "claims", "calls", "association", "summaries", "notes", "caveat"}``: the
    tables of `kroniek analyse theatres`; each weekly and monthly row has ``events``: the ids of the events each
    of its counts holds."""
    database = request.app.state.database
    key = ("analyse-theatres", theatre, abroad, group, since, until)
    generation = database.generation
    kept = database.cache_lookup(key)
    if kept is not None:
        return kept
    events = _events(request)
    scope = _scope(theatre, abroad, group, since, until)
    from ..analyse.association import CAVEAT
    from ..analyse.theatres import analyse_theatres

    result = analyse_theatres(events, scope)
    body = {
        "scope": {"theatre": sorted(scope.theatre), "theatre_names": list(scope.theatre_names),
                  "abroad": sorted(scope.abroad), "abroad_names": list(scope.abroad_names),
                  "group": ({"id": scope.group.id, "name": scope.group.name,
                             "members": sorted(scope.group.member_ids)} if scope.group else None),
                  "since": since, "until": until},
        "weekly": _points(_records(result.weekly), result.weekly_events, "week"),
        "monthly": _points(_records(result.monthly), result.monthly_events, "month"),
        "claims": _records(result.claims), "calls": _records(result.calls),
        "association": _records(result.association), "summaries": _plain(result.summaries),
        "notes": result.notes, "caveat": CAVEAT, "series_types": SERIES_TYPES,
    }
    response = _json(_plain(body))
    database.cache_store(key, generation, response, len(response.body))
    return response


@router.get("/events", summary="Short summaries of the events a point of the analysis counts")
def get_events(request: Request, ids: str = Query(..., max_length=20 * MAX_IDS,
                                                  description="event ids, comma-separated")) -> Response:
    """``{"events": [summary, …], "missing": [ids not in the database]}``, in the order asked (at most 500)."""
    wanted = list(dict.fromkeys(i.strip() for i in ids.split(",") if i.strip()))[:MAX_IDS]
    reader = request.app.state.database.reader()
    found, missing = [], []
    for event_id in wanted:
        event = reader.event(event_id)
        (found.append(event_summary(event)) if event else missing.append(event_id))
    return _json({"events": found, "missing": missing})


@router.get("/groups", summary="The armed groups of the actor dictionary that the database's events name")
def get_groups(request: Request) -> Response:
    """``{"groups": [{"id", "name", "events"}]}``: groups (with their affiliates folded in) by how many events that
    happened name them, most first."""
    from ..analyse.scope import resolve_group
    from ..analyse.series import occurred
    from ..annotate.actors import actor_entries
    from ..ontology import ARMED_KINDS, GENERIC_KINDS

    events = occurred(_events(request))
    counts: dict[str, int] = {}
    for ids in events["actor_ids"]:
        for actor_id in set(ids):
            counts[actor_id] = counts.get(actor_id, 0) + 1
    groups = []
    for entry in actor_entries():
        if entry["kind"] in ARMED_KINDS and entry["kind"] not in GENERIC_KINDS and not entry.get("generic") \
                and entry["kind"] not in ("state_forces", "police", "coalition") and not entry.get("parent"):
            group = resolve_group(entry["id"])
            n = sum(counts.get(m, 0) for m in group.member_ids)
            if n:
                groups.append({"id": group.id, "name": group.name, "events": n})
    groups.sort(key=lambda g: (-g["events"], g["name"]))
    return _json({"groups": groups})


@router.get("/groups/{group_id}", summary="One group over time: its attacks, claims, calls and fighting")
def get_group(request: Request, group_id: str = Path(..., max_length=200)) -> Response:
    """``{"group": {"id", "name", "members": [{"id", "name"}]}, "months": [{"month", "start", "kind", "country",
    "events", "event_ids"}], "kinds": [...], "countries": {kind: {country: n}}}``."""
    from ..analyse.groups import KINDS, group_activity
    from ..analyse.scope import resolve_group

    events = _events(request)
    try:
        group = resolve_group(group_id)
    except AnalysisError:
        raise ApiError(404, "not_found", f"no group {group_id!r} in the actor dictionary") from None
    table = group_activity(events, group)
    countries: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    for row in table.itertuples(index=False):
        countries[row.kind][row.country or ""] = countries[row.kind].get(row.country or "", 0) + int(row.events)
    from ..annotate.actors import actor_by_id

    members = [{"id": m, "name": actor_by_id(m).name if actor_by_id(m) else m}
               for m in [group.id] + sorted(group.member_ids - {group.id})]
    return _json(_plain({"group": {"id": group.id, "name": group.name, "members": members},
                         "kinds": list(KINDS), "months": _records(table), "countries": countries,
                         "series_types": SERIES_TYPES}))
