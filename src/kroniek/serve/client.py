"""Find the server that holds a database, and ingest and read through it (what `kroniek ingest`, `events`, `show`
and `export` do while one runs).

DuckDB lets one process write a database file, and no other process may even read it meanwhile. While
`kroniek serve` holds it, `kroniek ingest` calls :func:`find_server` and, when it gets a handle, sends its
documents to POST /api/ingest with the local token from the server file, in batches; the server runs the
pipeline and writes. The reading commands use :class:`ServerReader`, which answers as a read-only Store does,
from the server's API (GET /api/export streams the stored records). See docs/SERVE.md.
"""
from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import KroniekError
from ..eventjson import decode_event, event_from_dict
from ..records import Event, RawDocument
from ..store.query import EventQuery, values_of
from .serverfile import ServerInfo, read_server_file

__all__ = ["ServerHandle", "ServerError", "ServerReader", "find_server", "query_parameters"]

# A batch is one request and one write transaction on the server: small enough that the dashboard's
# reads never wait long and a failure loses little, large enough that HTTP costs nothing next to the
# pipeline (~20 ms per article).
BATCH_ARTICLES = 50
BATCH_BYTES = 8 << 20
HEALTH_TIMEOUT_S = 3.0
INGEST_TIMEOUT_S = 600.0
READ_TIMEOUT_S = 600.0    # a hang guard: a large export streams for as long as it needs

# Loopback only: never send the token through a proxy named in the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerError(KroniekError):
    """The running server refused or failed a request; the message says what it answered (``status``: the HTTP
    status of its answer, None when it did not answer)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ServerHandle:
    """A running `kroniek serve` on this machine, reached with its local token."""

    def __init__(self, info: ServerInfo) -> None:
        self.info = info
        self.url = info.url.rstrip("/")

    def __repr__(self) -> str:
        return f"ServerHandle(url={self.url!r}, pid={self.info.pid}, db={self.info.db!r})"

    def _request(self, method: str, path: str, body: bytes | None, timeout: float) -> dict[str, Any]:
        with self._open(method, path, body, timeout) as response:
            try:
                return json.loads(response.read())
            except (OSError, ValueError) as exc:
                raise ServerError(f"the server at {self.url} sent a broken answer ({exc})") from exc

    def _open(self, method: str, path: str, body: bytes | None, timeout: float):
        """The open HTTP response (the caller closes it); ServerError for an error answer or no answer."""
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers={"Authorization": f"Bearer {self.info.token}",
                                                  "Content-Type": "application/json",
                                                  "Accept": "application/json"})
        try:
            return _opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            try:
                error = json.loads(exc.read())["error"]
                message = f"{error['message']} [{error['code']}]"
            except (ValueError, KeyError, TypeError):
                message = f"HTTP {exc.code}"
            raise ServerError(f"the server at {self.url} answered: {message}", exc.code) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ServerError(f"the server at {self.url} did not answer ({exc}); is `kroniek serve` still "
                              "running?") from exc

    def health(self) -> dict[str, Any]:
        """GET /api/health."""
        return self._request("GET", "/api/health", None, HEALTH_TIMEOUT_S)

    def ingest(self, raw_documents: Iterable[RawDocument],
               on_batch: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
        """Send documents to POST /api/ingest in batches; the summed report.

        Returns ``{"documents", "events", "skipped", "rejects": [{"origin", "code", "reason"}], "notices"}``
        (the shape of ``IngestReport.as_dict()``); ``on_batch``
        is called with each batch's report (for progress).
        Raises:
            ServerError: the server refused a batch or stopped answering (earlier batches are stored).
        """
        total: dict[str, Any] = {"documents": 0, "events": 0, "skipped": 0, "rejects": [], "notices": []}
        batch: list[dict[str, Any]] = []
        size = 0
        for document in raw_documents:
            article = _article(document)
            article_size = len(article["content_base64"]) + 1024
            if batch and (len(batch) >= BATCH_ARTICLES or size + article_size > BATCH_BYTES):
                self._send(batch, total, on_batch)
                batch, size = [], 0
            batch.append(article)
            size += article_size
        if batch:
            self._send(batch, total, on_batch)
        return total

    def _send(self, batch: list[dict[str, Any]], total: dict[str, Any],
              on_batch: Callable[[dict[str, Any]], None] | None) -> None:
        body = json.dumps({"articles": batch}, ensure_ascii=False, default=str).encode("utf-8")
        report = self._request("POST", "/api/ingest", body, INGEST_TIMEOUT_S)
        for key in ("documents", "events", "skipped"):
            total[key] += int(report.get(key) or 0)
        total["rejects"] += report.get("rejects") or []
        total["notices"] += report.get("notices") or []
        if on_batch:
            on_batch(report)


def _article(document: RawDocument) -> dict[str, Any]:
    # The raw bytes travel as base64 so the server's pipeline decodes (and rejects) exactly what was read.
    return {"content_base64": base64.b64encode(document.content).decode("ascii"), "media_type": document.media_type,
            "origin": document.origin, "metadata": dict(document.metadata)}


def query_parameters(query: EventQuery) -> list[tuple[str, str]]:
    """The API's query parameters for an EventQuery (list values comma-separated), limit, offset and order
    included."""
    params: list[tuple[str, str]] = []
    for name in ("type", "subtype", "modality", "country", "actor", "text", "acled"):
        values = values_of(getattr(query, name))
        if values:
            params.append((name, ",".join(values)))
    if query.id_prefix:
        params.append(("id_prefix", query.id_prefix))
    for name in ("since", "until"):
        if getattr(query, name):
            params.append((name, getattr(query, name).isoformat()))
    if query.bbox:
        params.append(("bbox", ",".join(repr(float(x)) for x in query.bbox)))
    return params + [("limit", str(query.limit)), ("offset", str(query.offset)), ("order", query.order)]


class ServerReader:
    """Reads a served database through the server's API, with the read methods of a read-only Store that the
    CLI uses (and kroniek.export's EventReader), so `kroniek events`, `show` and `export` give what they give on
    the file itself: the records are the stored JSON, streamed by GET /api/export."""

    read_only = True

    def __init__(self, server: ServerHandle) -> None:
        self.server = server
        self.path = server.info.db
        self._pages: dict[str, dict[str, Any]] = {}   # event id -> GET /api/events/{id}, asked once

    def __enter__(self) -> "ServerReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pages.clear()

    def iter_events_json(self, query: EventQuery = EventQuery(limit=1_000_000_000)) -> Iterator[str]:
        params = urllib.parse.urlencode([("format", "jsonl"), *query_parameters(query)])
        with self.server._open("GET", f"/api/export?{params}", None, READ_TIMEOUT_S) as response:
            for line in response:
                if line.strip():
                    yield line.decode("utf-8").rstrip("\n")

    def iter_events(self, query: EventQuery = EventQuery(limit=1_000_000_000)) -> Iterator[Event]:
        return (decode_event(raw) for raw in self.iter_events_json(query))

    def events(self, query: EventQuery = EventQuery()) -> list[Event]:
        return list(self.iter_events(query))

    def count_events(self, query: EventQuery = EventQuery()) -> int:
        params = urllib.parse.urlencode(query_parameters(replace(query, limit=1, offset=0)))
        return int(self.server._request("GET", f"/api/events?{params}", None, READ_TIMEOUT_S)["total"])

    def _page(self, event_id: str) -> dict[str, Any] | None:
        """GET /api/events/{id} (a retired id is redirected to the event that holds it now), or None."""
        if event_id not in self._pages:
            try:
                page = self.server._request("GET", f"/api/events/{urllib.parse.quote(event_id, safe='')}", None,
                                            READ_TIMEOUT_S)
            except ServerError as exc:
                if exc.status == 404:
                    return None
                raise
            self._pages[event_id] = page
            self._pages[page["event"]["id"]] = page
        return self._pages[event_id]

    def resolve_event_id(self, event_id: str) -> str | None:
        page = self._page(event_id)
        return page["event"]["id"] if page else None

    def event(self, event_id: str) -> Event | None:
        page = self._page(event_id)
        return event_from_dict(page["event"]) if page and page["event"]["id"] == event_id else None

    def document(self, doc_id: str) -> dict[str, Any] | None:
        for page in self._pages.values():
            for document in page.get("documents") or []:
                if document.get("doc_id") == doc_id:
                    return document
        try:
            return self.server._request("GET", f"/api/documents/{urllib.parse.quote(doc_id, safe='')}", None,
                                        READ_TIMEOUT_S)
        except ServerError as exc:
            if exc.status == 404:
                return None
            raise


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # alive, owned by someone else
        return True
    except OSError:
        return False
    return True


def find_server(db_path: str | Path) -> ServerHandle | None:
    """The server holding ``db_path``, or None (no server file, its process is gone, or it does not answer; or a
    PostgreSQL database, which every process reads and writes itself)."""
    from ..store import is_postgres_url

    if is_postgres_url(db_path):
        return None
    info = read_server_file(db_path)
    if info is None or not _pid_alive(info.pid):
        return None
    handle = ServerHandle(info)
    try:
        health = handle.health()
    except ServerError:
        return None
    if health.get("status") != "ok" or health.get("instance") != info.instance:
        return None   # something else answers on that port now
    return handle
