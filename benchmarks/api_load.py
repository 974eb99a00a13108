"""Load benchmark: GET /api/events from 50 concurrent clients against `kroniek serve` on the demo database.

Starts its own server on a free loopback port (or uses --url, which must be a loopback address), sends a
bounded number of requests for a bounded time over keep-alive connections, stops by itself, and prints
requests/s and p50/p95/p99 latency. Goal (docs/SERVE.md): p95 < 50 ms.

    python benchmarks/api_load.py                      # builds the demo database with `kroniek demo --no-serve`
    python benchmarks/api_load.py --db kroniek-demo.duckdb --clients 50 --requests 5000 --seconds 30
    python benchmarks/api_load.py --uncached           # a unique query string per request: every answer computed
    python benchmarks/make_events_db.py --events 100000 --db /tmp/events100k.duckdb
    python benchmarks/api_load.py --db /tmp/events100k.duckdb --uncached --mix event --seconds 10

--mix events (default): what the event table and API users ask of /api/events: the first page, pages further on,
filters by type, country, date range and words, and the map's GeoJSON. --mix event: event pages
(/api/events/{id}) of random events. --mix pages: the events mix without its GeoJSON maps (the event table's
and API users' JSON questions alone). --mix dashboard: the dashboard's own questions for a view: /api/stats, the
map's points (format=points, up to 10,000) and a page of 50, unfiltered and filtered by type or country.
Besides the figures over all answers it prints p50/p95 per kind of answer under the same load (JSON, GeoJSON map,
points, stats, event page), so a mix's few 11.6 MB maps do not hide how fast its pages are.
When it starts the server itself it also prints the server's resident memory at the end and its peak.
--gzip sends `Accept-Encoding: gzip` as browsers do (the server then compresses its text answers:
serve/compression.py); the clients read the compressed bytes without inflating them, as wrk does, after a check
before the run that every path's compressed answer inflates to its plain one.
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import ipaddress
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from kroniek.serve.serverfile import read_server_file  # noqa: E402

KRONIEK = [sys.executable, "-c", "from kroniek.cli import main; main()"]


def query_mix(base: str, mix: str = "events") -> list[str]:
    """Paths for the chosen mix, built from the database's own stats (and ids, for event pages)."""
    with urllib.request.urlopen(base + "/api/stats", timeout=10) as response:
        stats = json.loads(response.read())
    if mix == "event":
        with urllib.request.urlopen(base + "/api/events?limit=1000&order=id", timeout=30) as response:
            ids = [e["id"] for e in json.loads(response.read())["events"]]
        return [f"/api/events/{i}" for i in ids]
    if mix == "dashboard":
        views = [""] + [f"type={t}" for t in list(stats["by_type"])[:4]] + \
            [f"country={c}" for c in list(stats["by_country"])[:4]]
        paths = []
        for view in views:
            extra = "&" + view if view else ""
            paths += ["/api/stats" + ("?" + view if view else ""), "/api/events?format=points&limit=10000" + extra,
                      "/api/events?limit=50&offset=0&order=date" + extra]
        return paths
    paths = ["/api/events", "/api/events?limit=50", "/api/events?limit=50&offset=50",
             "/api/events?format=geojson&limit=10000", "/api/events?order=fatalities&limit=50",
             "/api/events?since=2015-01-01&until=2016-12-31&limit=50", "/api/events?text=police&limit=50"]
    paths += [f"/api/events?type={t}&limit=50" for t in stats["by_type"]]
    paths += [f"/api/events?country={c}&limit=50" for c in list(stats["by_country"])[:10]]
    paths += [f"/api/events?type={t}&format=geojson&limit=10000" for t in list(stats["by_type"])[:3]]
    if mix == "pages":
        return [path for path in paths if answer_kind(path) == "json"]
    return paths


def answer_kind(path: str) -> str:
    """What a path answers with: a GeoJSON map, the map's points, stats, an event page or a JSON page of events."""
    if "format=geojson" in path:
        return "geojson"
    if "format=points" in path:
        return "points"
    if path.startswith("/api/stats"):
        return "stats"
    if path.startswith("/api/events/"):
        return "event"
    return "json"


async def read_body(reader: asyncio.StreamReader, length: int, chunked: bool) -> int:
    """Read one answer's body (Content-Length or chunked); the number of bytes it had."""
    if not chunked:
        await reader.readexactly(length)
        return length
    total = 0
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        if size == 0:
            while (await reader.readline()) not in (b"\r\n", b""):   # trailers, if any
                pass
            return total
        await reader.readexactly(size + 2)
        total += size


async def client(host: str, port: int, paths: list[str], quota: dict, deadline: float, uncached: bool,
                 latencies: list[tuple[str, float]], errors: list[str], seed: int, accept: str = "",
                 received: list[int] | None = None) -> None:
    """One client: a keep-alive connection sending requests one after another until the quota or time is used."""
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while quota["left"] > 0 and time.perf_counter() < deadline:
            quota["left"] -= 1
            path = rng.choice(paths)
            if uncached:
                path += ("&" if "?" in path else "?") + f"_={seed}-{quota['left']}"
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n{accept}\r\n"
            started = time.perf_counter()
            writer.write(request.encode("ascii"))
            await writer.drain()
            status_line = await reader.readline()
            length, chunked = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "transfer-encoding":
                    chunked = "chunked" in value.lower()
            size = await read_body(reader, length, chunked)
            if received is not None:
                received.append(size)
            latencies.append((answer_kind(path), time.perf_counter() - started))
            if not status_line.startswith(b"HTTP/1.1 200"):
                errors.append(status_line.decode("latin-1").strip())
    finally:
        writer.close()


async def run_load(url: str, clients: int, requests: int, seconds: float, uncached: bool, mix: str = "events",
                   compressed: bool = False) -> dict:
    parsed = urllib.parse.urlparse(url)
    paths = query_mix(url, mix)
    for path in paths:   # warm up: first answers, loaded lexicons, thread pool
        plain = urllib.request.urlopen(url + path, timeout=30).read()
        if compressed:   # the bytes the clients will count are the same answer
            request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
                if response.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
            if body != plain:
                raise SystemExit(f"{path}: the gzip answer does not inflate to the plain one")
    accept = "Accept-Encoding: gzip\r\n" if compressed else ""
    received: list[int] = []
    latencies: list[tuple[str, float]] = []
    errors: list[str] = []
    quota = {"left": requests}
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(client(parsed.hostname, parsed.port, paths, quota, deadline, uncached, latencies, errors,
                                  seed, accept, received) for seed in range(clients)))
    elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for _, x in latencies)

    def pct(p: float, ms: list[float] = ms) -> float:
        return ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))]

    by_kind = {}
    for kind in sorted({k for k, _ in latencies}):
        kind_ms = sorted(x * 1000 for k, x in latencies if k == kind)
        by_kind[kind] = {"requests": len(kind_ms), "p50_ms": round(pct(50, kind_ms), 1),
                         "p95_ms": round(pct(95, kind_ms), 1)}
    return {"by_kind": by_kind, "clients": clients, "requests": len(ms), "errors": len(errors), "seconds": round(elapsed, 2),
            "requests_per_s": round(len(ms) / elapsed, 1), "p50_ms": round(pct(50), 1),
            "p95_ms": round(pct(95), 1), "p99_ms": round(pct(99), 1), "max_ms": round(ms[-1], 1),
            "mean_ms": round(statistics.fmean(ms), 1), "distinct_paths": len(paths), "uncached": uncached,
            "mix": mix, "gzip": compressed, "mb_received": round(sum(received) / 1e6, 1)}


def server_memory_mb(pid: int) -> dict:
    """The server's resident memory now and at its peak (Linux /proc)."""
    fields = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    return {"server_rss_mb": round(fields.get("VmRSS", 0)), "server_peak_mb": round(fields.get("VmHWM", 0))}


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "kroniek.serve", "--db", str(db), "--port", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        info = read_server_file(db)
        if info and info.pid == process.pid:
            try:
                urllib.request.urlopen(info.url + "/api/health", timeout=2)
                return process, info.url
            except OSError:
                pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"kroniek serve did not start: {process.stderr.read() if process.stderr else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="database to serve (default: build the demo database)")
    parser.add_argument("--url", help="a running server on loopback, e.g. http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000, help="stop after this many requests")
    parser.add_argument("--seconds", type=float, default=30.0, help="stop after this long")
    parser.add_argument("--uncached", action="store_true", help="unique query strings: no cached answers")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip, as browsers do")
    parser.add_argument("--mix", choices=("events", "pages", "event", "dashboard"), default="events",
                        help="which questions: /api/events queries, the same without GeoJSON maps, event pages, "
                             "or the dashboard's")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 1 <= args.requests <= 100_000 and 0 < args.seconds <= 300):
        parser.error("keep it bounded: 1-200 clients, at most 100000 requests and 300 seconds")

    process = None
    with tempfile.TemporaryDirectory() as scratch:
        if args.url:
            host = urllib.parse.urlparse(args.url).hostname or ""
            if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
                parser.error("--url must be a loopback address: this benchmark never loads other machines")
            url = args.url.rstrip("/")
        else:
            db = args.db
            if db is None:
                db = Path(scratch) / "demo.duckdb"
                subprocess.run(KRONIEK + ["demo", "--no-serve", "--db", str(db)], check=True,
                               stdout=subprocess.DEVNULL, cwd=REPO)
            process, url = start_server(db)
        try:
            with urllib.request.urlopen(url + "/api/stats", timeout=10) as response:
                total = json.loads(response.read())["total"]
            load_before = os.getloadavg()[0]
            result = asyncio.run(run_load(url, args.clients, args.requests, args.seconds, args.uncached, args.mix,
                                         args.gzip))
            result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            if process is not None:
                result.update(server_memory_mb(process.pid))
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    result["events_in_db"] = total
    print(json.dumps(result))
    print(f"{result['requests']} requests from {result['clients']} clients in {result['seconds']} s: "
          f"{result['requests_per_s']} requests/s; latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
          f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms; {result['errors']} errors "
          f"({total} events, mix {args.mix}, {'uncached' if args.uncached else 'cache on'}"
          f"{', gzip' if args.gzip else ''}; {result['mb_received']} MB received)"
          + (f"; server memory {result['server_rss_mb']} MB, peak {result['server_peak_mb']} MB"
             if "server_rss_mb" in result else "")
          + f"; load average (1 min) before {result['load_average'][0]}, after {result['load_average'][1]} "
            f"({os.cpu_count()} cores)")
    if len(result["by_kind"]) > 1:
        print("by kind of answer: " + "; ".join(f"{kind} {v['requests']} requests, p50 {v['p50_ms']} ms, "
                                                 f"p95 {v['p95_ms']} ms" for kind, v in result["by_kind"].items()))


if __name__ == "__main__":
    main()
