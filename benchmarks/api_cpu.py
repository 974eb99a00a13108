#!/usr/bin/env python3
"""CPU per answer of the API in one process (the ASGI app called directly: no HTTP, no network, no other clients): a
figure that does not depend on how busy the machine is, beside api_load.py's latencies under 50 clients.

    python benchmarks/make_events_db.py --events 100000 --db /tmp/ev100k.duckdb
    python benchmarks/api_cpu.py /tmp/ev100k.duckdb            # every kind of answer
    python benchmarks/api_cpu.py /tmp/ev100k.duckdb stats      # one kind, with a cProfile of it
    python benchmarks/api_cpu.py /tmp/ev100k.duckdb --fastapi-only   # without serve/fastroutes.py, to compare

Every request carries a unique query string, so no answer comes from the server's cache; the database is served
read-only. Each kind is asked once to warm up (the server's index is built then), then three times over.
"""
import asyncio
import cProfile
import json
import pstats
import sys
import time
from urllib.parse import urlsplit

from kroniek.serve.app import create_app


class _Answer:
    def __init__(self, status: int, content: bytes) -> None:
        self.status_code, self.content = status, content

    def json(self):
        return json.loads(self.content)


class DirectClient:
    """GET through the app's ASGI interface on one event loop: what the server computes, without the HTTP layer
    (uvicorn's own cost, ~0.1-0.2 ms a request, is not counted; FastAPI's routing and validation are)."""

    def __init__(self, app) -> None:
        self.app, self.loop = app, asyncio.new_event_loop()

    def get(self, url: str) -> _Answer:
        parts = urlsplit(url)
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
                 "path": parts.path, "raw_path": parts.path.encode(), "query_string": parts.query.encode(),
                 "root_path": "", "headers": [(b"host", b"127.0.0.1:8000")], "client": ("127.0.0.1", 1),
                 "server": ("127.0.0.1", 8000), "state": {}}
        status, body = [0], []

        asked = []

        async def receive():
            if not asked:
                asked.append(True)
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()     # as a connected client: no disconnect (streamed answers listen for one)

        async def send(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        self.loop.run_until_complete(self.app(scope, receive, send))
        return _Answer(status[0], b"".join(body))


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--fastapi-only"]
    db = args[0]
    profile = args[1] if len(args) > 1 else ""
    c = DirectClient(create_app(db, read_only=True, fast_routes="--fastapi-only" not in sys.argv))
    if True:
        stats = c.get("/api/stats").json()
        ids = [e["id"] for e in c.get("/api/events?limit=1000&order=id").json()["events"]]
        types, countries = list(stats["by_type"]), list(stats["by_country"])
        kinds = {
            "a page of 50 (offsets 0-10,000)": [f"/api/events?limit=50&offset={o}" for o in (0, 50, 1000, 5000, 10000)],
            "a page of 50 of one type": [f"/api/events?type={t}&limit=50" for t in types[:4]],
            "the map's 10,000 points": ["/api/events?format=points&limit=10000"] +
                                       [f"/api/events?format=points&limit=10000&type={t}" for t in types[:2]],
            "/api/stats": ["/api/stats", f"/api/stats?type={types[0]}", f"/api/stats?country={countries[0]}"],
            "an event page": [f"/api/events/{i}" for i in ids[:20]],
            "GeoJSON of 10,000": ["/api/events?format=geojson&limit=10000"],
            "a page of 50 with text=police": ["/api/events?text=police&limit=50"],
        }
        n = 0
        for kind, paths in kinds.items():
            if profile and profile not in kind:
                continue
            for p in paths:
                c.get(p + ("&" if "?" in p else "?") + "_=warm")
            cpu, wall, k = time.process_time(), time.perf_counter(), 0
            profiler = cProfile.Profile() if profile else None
            if profiler:
                profiler.enable()
            for _ in range(10):
                for p in paths:
                    n, k = n + 1, k + 1
                    r = c.get(p + ("&" if "?" in p else "?") + f"_={n}")
                    assert r.status_code == 200, (p, r.status_code)
            if profiler:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
            print(f"{kind}: {1000 * (time.process_time() - cpu) / k:.1f} ms CPU, "
                  f"{1000 * (time.perf_counter() - wall) / k:.1f} ms wall per answer ({len(r.content):,} bytes)")


if __name__ == "__main__":
    main()
