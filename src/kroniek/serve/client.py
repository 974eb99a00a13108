"""Find the server that holds a database, and ingest through it (what `kroniek ingest` does while one runs).

DuckDB lets one process write a database file. While `kroniek serve` holds it, `kroniek ingest` calls
:func:`find_server` and, when it gets a handle, sends its documents to POST /api/ingest with the local
token from the server file, in batches; the server runs the pipeline and writes. See docs/SERVE.md.
"""
from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import KroniekError
from ..records import RawDocument
from .serverfile import ServerInfo, read_server_file

__all__ = ["ServerHandle", "ServerError", "find_server"]

# A batch is one request and one write transaction on the server: small enough that the dashboard's
# reads never wait long and a failure loses little, large enough that HTTP costs nothing next to the
# pipeline (~20 ms per article).
BATCH_ARTICLES = 50
BATCH_BYTES = 8 << 20
HEALTH_TIMEOUT_S = 3.0
INGEST_TIMEOUT_S = 600.0

# Loopback only: never send the token through a proxy named in the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerError(KroniekError):
    """The running server refused or failed a request; the message says what it answered."""


class ServerHandle:
    """A running `kroniek serve` on this machine, reached with its local token."""

    def __init__(self, info: ServerInfo) -> None:
        self.info = info
        self.url = info.url.rstrip("/")

    def __repr__(self) -> str:
        return f"ServerHandle(url={self.url!r}, pid={self.info.pid}, db={self.info.db!r})"

    def _request(self, method: str, path: str, body: bytes | None, timeout: float) -> dict[str, Any]:
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers={"Authorization": f"Bearer {self.info.token}",
                                                  "Content-Type": "application/json",
                                                  "Accept": "application/json"})
        try:
            with _opener.open(request, timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                error = json.loads(exc.read())["error"]
                message = f"{error['message']} [{error['code']}]"
            except (ValueError, KeyError, TypeError):
                message = f"HTTP {exc.code}"
            raise ServerError(f"the server at {self.url} answered: {message}") from exc
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
    """The server holding ``db_path``, or None (no server file, its process is gone, or it does not answer)."""
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
