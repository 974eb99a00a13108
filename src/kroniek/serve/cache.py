"""A cache of whole API answers, in front of the framework, dropped on every write.

The server is the only writer of its database (see database.py), so an answer stays true until the next
ingest: a GET under /api/events, /api/stats or /api/documents is answered from memory, bytes and headers as
first sent, without routing, validation or a query. Keyed by path, query string and whether the client takes
gzip (the answer is kept as sent: compressed or not, see compression.py); only 200 answers are kept.
"""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .compression import accepts_gzip
from .database import CACHE_MAX_BYTES, ServedDatabase

__all__ = ["ResponseCacheMiddleware", "CACHED_PREFIXES"]

CACHED_PREFIXES = ("/api/events", "/api/stats", "/api/documents/")


class ResponseCacheMiddleware:
    def __init__(self, app: ASGIApp, database: ServedDatabase) -> None:
        self.app = app
        self.database = database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(CACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"], accepts_gzip(scope))
        kept = self.database.cache_lookup(key)
        if kept is not None:
            status, headers, body = kept
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        generation = self.database.generation   # read before computing: a write meanwhile voids the answer
        start: dict = {}
        chunks: list[bytes] = []
        kept = [0]   # bytes kept so far; -1 once the answer is too big to keep (its pieces are not held)

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and kept[0] >= 0:
                chunks.append(message.get("body", b""))
                kept[0] += len(chunks[-1])
                if kept[0] > CACHE_MAX_BYTES:
                    kept[0] = -1
                    chunks.clear()
                elif not message.get("more_body", False) and start.get("status") == 200:
                    body = b"".join(chunks)
                    self.database.cache_store(key, generation, (200, list(start["headers"]), body), len(body))
            await send(message)

        await self.app(scope, receive, capture)
