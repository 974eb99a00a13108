"""gzip for answers of text (JSON, GeoJSON, CSV, the dashboard's files) when the client accepts it.

The big answers are maps: 10,000 events as GeoJSON are 11.6 MB, the dashboard's 10,000 points 3.8 MB. JSON of
events compresses about tenfold, and ISA-L's level 1 (the ``isal`` package) compresses at about 1 GB/s on this
machine (11.6 MB of GeoJSON in 10 ms of CPU, to 1.15 MB; stdlib zlib's level 1 took 45 ms for 1.19 MB; measured
with the answers of `benchmarks/make_events_db.py --events 100000`): cheaper than moving the uncompressed bytes
through a socket, and ten times less to send over a real network. Without ``isal`` (a platform without its wheel)
stdlib zlib does the same at level 1.

Only GET answers with status 200, of a text media type, without an encoding of their own and of at least
MIN_BYTES are compressed; a streamed answer (a big map sent in pieces) is compressed piece by piece and loses its
Content-Length (sent chunked). Every answer says ``Vary: Accept-Encoding``. Server-sent events are never
compressed (each event must reach the client when it is sent). Not Starlette's GZipMiddleware: it compresses with
stdlib zlib (4.5 times the CPU for the same maps) and takes any mention of gzip as consent, ``q=0`` included.
"""
from __future__ import annotations

try:
    from isal import isal_zlib as _zlib
except ImportError:     # pragma: no cover - isal is a dependency; this is for platforms without its wheel
    import zlib as _zlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["GzipMiddleware", "accepts_gzip", "MIN_BYTES"]

LEVEL = 1               # ISA-L's levels are 0-3: 1 compressed the maps 10.1x, 0 8.5x, at the same speed
MIN_BYTES = 1024        # smaller answers gain less than gzip's 18 bytes of frame and the client's inflating cost
_GZIP_WBITS = 31        # zlib's window of 2^15 with a gzip header and trailer
_TEXT_TYPES = ("application/json", "application/geo+json", "application/x-ndjson", "text/csv", "text/html",
               "text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain")


def accepts_gzip(scope: Scope) -> bool:
    """Whether the request's Accept-Encoding allows gzip: named (or ``*``) without ``q=0``; gzip named takes
    precedence over ``*``."""
    weights: dict[str, float] = {}
    for part in Headers(scope=scope).get("accept-encoding", "").split(","):
        name, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[name.lower()] = q
    return weights.get("gzip", weights.get("*", 0.0)) > 0


def _compressible(headers: Headers) -> bool:
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    return media in _TEXT_TYPES and "content-encoding" not in headers


class GzipMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        wanted = accepts_gzip(scope)
        start: Message | None = None      # held until the first body shows whether to compress
        compressor = None

        def compressed(message: Message) -> Message:
            more = message.get("more_body", False)
            data = compressor.compress(message.get("body", b""))
            return {"type": "http.response.body", "body": data + compressor.flush() if not more else data,
                    "more_body": more}

        async def compressing(message: Message) -> None:
            nonlocal start, compressor
            kind = message["type"]
            if kind == "http.response.start":
                start = message
                MutableHeaders(scope=start).add_vary_header("Accept-Encoding")
                return
            if start is not None:       # the first message after the start: decide
                held, start = start, None
                headers = MutableHeaders(scope=held)
                body, more = message.get("body", b""), message.get("more_body", False)
                if (kind != "http.response.body" or not wanted or held["status"] != 200
                        or not _compressible(headers) or (not more and len(body) < MIN_BYTES)):
                    await send(held)
                    await send(message)
                    return
                headers["content-encoding"] = "gzip"
                compressor = _zlib.compressobj(LEVEL, _zlib.DEFLATED, _GZIP_WBITS)
                message = compressed(message)
                if not more:            # a whole answer: its compressed length is known
                    headers["content-length"] = str(len(message["body"]))
                elif "content-length" in headers:
                    del headers["content-length"]
                await send(held)
                await send(message)
                return
            await send(compressed(message) if compressor is not None and kind == "http.response.body" else message)

        await self.app(scope, receive, compressing)
