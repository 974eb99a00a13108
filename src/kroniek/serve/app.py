"""The web application: the JSON API under /api and the dashboard (static files) at /, from one process."""
from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Iterable

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..store import Store, open_store
from .api import read_endpoints, router as api_router
from .cache import ResponseCacheMiddleware
from .compression import GzipMiddleware
from .database import ServedDatabase
from .errors import error_response, install_error_handlers
from .fastroutes import add_fast_routes

__all__ = ["create_app", "STATIC_DIR", "LOOPBACK_HOSTS"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

# Scripts, styles, data: only from this server. Nothing inline, nothing from the internet. A second line of
# defence behind escaping article text: even markup that slipped through could not run or load anything.
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_HEADERS = [("content-security-policy", _CSP), ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"), ("x-frame-options", "DENY")]


class _GuardMiddleware:
    """Adds security headers to every response; refuses other Host names when bound to loopback.

    The Host check stops DNS rebinding: a web page from elsewhere cannot point a name of its own at
    127.0.0.1 and read the API through the visitor's browser.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...] | None) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.allowed_hosts is not None:
            host = Headers(scope=scope).get("host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower() not in self.allowed_hosts:
                response = error_response(400, "bad_request", f"unknown Host {host!r}: this server answers to "
                                                              f"{', '.join(self.allowed_hosts)}")
                await response(scope, receive, send)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS:
                    headers.setdefault(name, value)
                if scope["path"].startswith("/api/"):
                    headers.setdefault("cache-control", "no-cache")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db_path: str | Path | None = None, ingest_token: str | None = None, read_only: bool = False, *,
               store: Store | None = None, local_token: str | None = None, instance: str | None = None,
               allowed_hosts: Iterable[str] | None = None, fast_routes: bool = True) -> FastAPI:
    """Build the app on a database file (or on an open ``store``, which the caller keeps and closes).

    Args:
        db_path: the DuckDB file; opened read-write unless ``read_only`` (then POST /api/ingest is refused).
        ingest_token: a token the user chose; POST /api/ingest accepts it.
        local_token: the token written to the server file (also accepted); a fresh one when not given.
        instance: a random id reported by /api/health and written to the server file.
        allowed_hosts: Host header names to answer (None: any); `kroniek serve` passes the loopback names
            when it binds to a loopback address.
        fast_routes: answer the read endpoints' valid GET requests through serve/fastroutes.py (False: FastAPI
            alone, the same answers; the tests compare the two).
    Raises:
        kroniek.errors.StoreError: the database cannot be opened (e.g. another process holds it [K201]).
    """
    if store is None:
        if db_path is None:
            raise ValueError("create_app needs db_path or store")
        database = ServedDatabase(open_store(db_path, read_only=read_only), owns_store=True)
    else:
        database = ServedDatabase(store, owns_store=False)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        database.close()

    app = FastAPI(title="Kroniek", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Evidence-backed events of political violence from Dutch and English news. "
                              "Every error has the shape {\"error\": {status, code, message, details}}.")
    app.state.database = database
    app.state.ingest_token = ingest_token or None
    app.state.local_token = local_token or secrets.token_urlsafe(32)
    app.state.instance = instance or secrets.token_hex(8)
    install_error_handlers(app)
    app.include_router(api_router)
    if fast_routes:
        add_fast_routes(app, read_endpoints())

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> FileResponse:
        # Our own OpenAPI page: FastAPI's Swagger UI would load its scripts from a CDN.
        return FileResponse(STATIC_DIR / "api.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    hosts = tuple(h.lower() for h in allowed_hosts) if allowed_hosts is not None else None
    app.add_middleware(GzipMiddleware)                                 # inside the cache: answers kept compressed
    app.add_middleware(ResponseCacheMiddleware, database=database)   # inside the guard: hosts checked first
    app.add_middleware(_GuardMiddleware, allowed_hosts=hosts)
    return app
