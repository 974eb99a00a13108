"""/api/feeds and /api/alerts: the followed feeds (last fetch, errors) and the saved alerts.

Reading is open like the rest of the API. Adding and removing need the ingest token (as POST /api/ingest),
and a URL given here passes the SSRF guard with private hosts refused: the API never lets a client point
Kroniek at this machine or its network.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from ..errors import FetchError
from ..store.follow import FollowTables
from .errors import ApiError
from .ingest import _authorise

__all__ = ["router"]

router = APIRouter()


def _follow(request: Request) -> FollowTables:
    return request.app.state.database.reader().follow_tables()


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _guard(url: Any, field: str) -> str:
    from ..ingest.urlguard import check_url

    if not isinstance(url, str) or not url.strip():
        raise ApiError(400, "invalid_parameter", f"{field} must be an http(s) URL",
                       [{"parameter": field, "in": "body", "problem": "missing"}])
    try:
        check_url(url)
    except FetchError as exc:
        raise ApiError(400, "invalid_parameter", str(exc),
                       [{"parameter": field, "in": "body", "problem": exc.reason}]) from None
    return url.strip()


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "bad_request", "the body is not JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the body must be a JSON object")
    return body


@router.get("/feeds", summary="The followed feeds: last fetch, status, errors, articles added")
def list_feeds(request: Request) -> dict[str, Any]:
    """``{"feeds": [{"url", "name", "added_at", "last_fetch_at", "last_status", "last_error", "last_added",
    "items_added", "failures", "retry_at"}]}``; ``last_status`` is ok, unchanged, failed or null (never fetched)."""
    return {"feeds": [_iso(f) for f in _follow(request).feeds()]}


@router.post("/feeds", summary="Follow a feed (needs the ingest token)", status_code=201)
async def add_feed(request: Request) -> dict[str, Any]:
    """Body ``{"url", "name"}``. Nothing is fetched until `kroniek watch` runs."""
    _authorise(request)
    body = await _body(request)
    url = _guard(body.get("url"), "url")
    name = body.get("name") if isinstance(body.get("name"), str) and body["name"].strip() else None
    added = await run_in_threadpool(request.app.state.database.write,
                                    lambda store: store.follow_tables().add_feed(url, name, _now()))
    return {"url": url, "name": name, "added": added}


@router.delete("/feeds", summary="Stop following a feed (needs the ingest token)")
async def remove_feed(request: Request, url: str = Query(..., max_length=2000, description="the feed's URL or name")
                      ) -> dict[str, Any]:
    _authorise(request)
    removed = await run_in_threadpool(request.app.state.database.write,
                                      lambda store: store.follow_tables().remove_feed(url))
    if removed is None:
        raise ApiError(404, "not_found", f"no single feed {url!r}")
    return {"removed": removed}


@router.get("/alerts", summary="The saved alerts: filters, target, events reported")
def list_alerts(request: Request) -> dict[str, Any]:
    """``{"alerts": [{"name", "filters", "target_kind", "target", "updates", "allow_private_hosts",
    "created_at", "fired"}]}``."""
    return {"alerts": [_iso(a) for a in _follow(request).alerts()]}


@router.post("/alerts", summary="Save an alert (needs the ingest token)", status_code=201)
async def add_alert(request: Request) -> dict[str, Any]:
    """Body ``{"name", "filters": {type, subtype, modality, country, actor, text: list or comma-separated;
    since, until}, "target_kind": "webhook" | "email", "target", "updates"}``. Events already stored are not
    reported."""
    from ..follow.alerts import alert_where, normalise_filters

    _authorise(request)
    body = await _body(request)
    name, kind, target = body.get("name"), body.get("target_kind"), body.get("target")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "invalid_parameter", "name is required",
                       [{"parameter": "name", "in": "body", "problem": "missing"}])
    # No file targets here: a client must not choose a file on the server's machine to append to.
    if kind not in ("webhook", "email") or not isinstance(target, str) or not target.strip():
        raise ApiError(400, "invalid_parameter", "target_kind must be webhook or email, with a target (files: "
                                                 "`kroniek alerts add --to-file` on the server's machine)",
                       [{"parameter": "target_kind", "in": "body", "problem": "webhook or email"}])
    if kind == "webhook":
        target = _guard(target, "target")
    try:
        filters = normalise_filters(body.get("filters") if isinstance(body.get("filters"), dict) else {})
        where, params = alert_where(filters)
    except ValueError as exc:
        raise ApiError(400, "invalid_parameter", str(exc),
                       [{"parameter": "filters", "in": "body", "problem": str(exc)}]) from None
    alert = {"name": name.strip(), "filters": filters, "target_kind": kind, "target": target.strip(),
             "updates": bool(body.get("updates")), "allow_private_hosts": False}

    def write(store: Any) -> bool:
        follow = store.follow_tables()
        if not follow.add_alert(alert, _now()):
            return False
        follow.mark_existing(alert["name"], where, params, _now())
        return True

    if not await run_in_threadpool(request.app.state.database.write, write):
        raise ApiError(400, "invalid_parameter", f"an alert named {alert['name']!r} exists",
                       [{"parameter": "name", "in": "body", "problem": "taken"}])
    return {"name": alert["name"], "filters": filters, "target_kind": kind, "target": alert["target"]}


@router.delete("/alerts/{name}", summary="Delete a saved alert (needs the ingest token)")
async def remove_alert(request: Request, name: str = Path(..., max_length=200)) -> dict[str, Any]:
    _authorise(request)
    removed = await run_in_threadpool(request.app.state.database.write,
                                      lambda store: store.follow_tables().remove_alert(name))
    if not removed:
        raise ApiError(404, "not_found", f"no alert {name!r}")
    return {"removed": name}
