"""PostgreSQL at team scale: store 100,000 synthetic events, then GET /api/events from 50 clients.

1. A generator (seeded, so every run makes the same data) writes documents of one report each straight into the
   store's write path (`add_documents`: near-duplicate signatures, block keys, candidate lookup, merge, COPY), in
   batches, and prints the store's ingest rate in documents/s. It measures the store, not the language pipeline
   (benchmarks/throughput.py measures that): each report is an incident of a random type, day (2010-2024), place
   (one of 400 on a grid over Europe, Africa and Asia) and toll, and one incident in ten is told by 2 to 4 documents,
   which the store merges into one event; so about 100,000 events come from about 115,000 documents.
2. `kroniek serve --db URL` on the result, loaded by benchmarks/api_load.py's query mix (first pages, later pages,
   type, country, date range, words, GeoJSON) from 50 keep-alive clients: requests/s and p50/p95/p99, once with the
   server's cache on and once with every query string unique (every answer computed by PostgreSQL). `--mix pages`
   leaves out the map's GeoJSON of up to 10,000 events (answers of several MB, over the cache's 1 MiB per answer,
   so built anew each time on any store): the figures of the list pages alone.

    python benchmarks/postgres_load.py                           # a throwaway server (initdb, pg_ctl), 100,000 events
    python benchmarks/postgres_load.py --db postgresql://me@127.0.0.1:5432/bench --events 20000 --seconds 20
    python benchmarks/postgres_load.py --db /tmp/bench.duckdb    # the same data into a DuckDB file, for comparison
    python benchmarks/postgres_load.py --db postgresql://me@127.0.0.1:5432/bench --no-ingest --mix pages
    python benchmarks/postgres_load.py --db postgresql://me@127.0.0.1:5432/bench --events 50000 \
        --checkpoints 10000,20000 --checkpoint-seconds 10 --seconds 10 --mix pages   # as the database grows

With --checkpoints the ingest stops at each incident count, prints the rate so far and since the last checkpoint
(and the load average), loads the API for --checkpoint-seconds (cache on, then every answer computed), and goes on;
the last point is --events, loaded for --seconds.

The database given with --db must be empty (or, with --no-ingest, hold what an earlier run wrote).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

import api_load  # noqa: E402
from api_load import run_load  # noqa: E402
from throughput import machine_load  # noqa: E402

from kroniek.eventjson import event_from_dict  # noqa: E402
from kroniek.records import Article  # noqa: E402

TYPES = ["attack", "armed_clash", "remote_violence", "killing", "arrest", "plot", "claim", "incitement"]
COUNTRIES = ["FR", "DE", "NL", "BE", "GB", "ES", "IT", "TR", "IQ", "SY", "AF", "NG", "ML", "SO", "KE", "EG", "LY",
             "YE", "PK", "IN"]
WORDS = ("bomb explosion market police checkpoint convoy soldiers militants village mosque church school border "
         "station embassy hostage ambush raid drone strike rocket fire gunmen suspects claimed responsibility "
         "wounded killed injured arrested night morning officials witnesses").split()
GROUPS = [("Islamic State", "islamic-state"), ("al-Shabaab", "al-shabaab"), ("Boko Haram", "boko-haram"),
          ("PKK", "pkk"), ("Taliban", "taliban"), (None, None)]


def _places(rng: random.Random) -> list[tuple[str, str, float, float, int]]:
    places = []
    for i in range(400):
        places.append((f"Town {i}", COUNTRIES[i % len(COUNTRIES)], round(rng.uniform(-5, 45), 4),
                       round(rng.uniform(-35, 60), 4), 9_000_000 + i))
    return places


def synthetic_documents(n_events: int, seed: int = 13):
    """(incident, Article, [report]) triples: ``n_events`` incidents, one in ten told by 2 to 4 documents."""
    rng = random.Random(seed)
    places = _places(rng)
    start = date(2010, 1, 1)
    n = 0
    for incident in range(n_events):
        type_ = rng.choice(TYPES)
        day = start + timedelta(days=rng.randrange(15 * 365))
        name, country, lat, lon, geonames = rng.choice(places)
        killed = rng.choice([None, 0, 1, 2, 3, 5, 8, 12, 20, 40])
        group = rng.choice(GROUPS)
        tellings = rng.choice([2, 3, 4]) if rng.random() < 0.1 else 1
        for telling in range(tellings):
            n += 1
            words = " ".join(rng.choice(WORDS) for _ in range(40))
            quote = f"A {type_.replace('_', ' ')} in {name} on {day:%d %B %Y}: {words[:80]}."
            text = f"{quote} {words} (report {incident}-{telling})."
            doc_id = "doc_" + hashlib.sha1(f"{seed}:{incident}:{telling}".encode()).hexdigest()[:16]
            report_id = "evt_" + hashlib.sha1(f"{seed}:{incident}:{telling}:r".encode()).hexdigest()[:16]
            published = day + timedelta(days=telling)
            record = event_from_dict({
                "id": report_id, "type": type_, "subtype": None, "modality": "asserted",
                "date": {"start": day.isoformat(), "end": day.isoformat(), "precision": "day", "text": "on",
                         "resolved_from": "text"},
                "location": {"name": name, "country": country, "admin1": None, "lat": lat, "lon": lon,
                             "geonames_id": geonames, "precision": "city", "text": name},
                "actors": ([{"role": "perpetrator", "name": group[0], "id": group[1], "kind": "non_state_armed_group",
                             "attribution": "claimed", "text": group[0]}] if group[0] else []),
                "weapons": [], "targets": [],
                "fatalities": {"min": killed, "max": None, "text": str(killed)} if killed is not None else None,
                "injuries": None, "related": [],
                "evidence": [{"doc_id": doc_id, "start": 0, "end": len(quote), "quote": quote, "field": None}],
                "sources": [{"doc_id": doc_id, "url": f"https://news.example/{doc_id}", "title": quote[:60],
                             "outlet": f"Outlet {telling}", "published": published.isoformat()}],
                "confidence": 0.8})
            article = Article(doc_id, text, f"synthetic:{n}", title=quote[:60], published=published,
                              url=f"https://news.example/{doc_id}", outlet=f"Outlet {telling}", language="en")
            yield incident, article, [record]


def ingest(db: str, n_events: int, batch_size: int, checkpoints: list[int] | None = None, at_checkpoint=None
           ) -> dict:
    """Write ``n_events`` incidents in batches; at each incident count in ``checkpoints`` close the store, print the
    ingest rate so far and since the last checkpoint, call ``at_checkpoint(events)`` (the API load), and go on."""
    from kroniek.store import open_store

    marks = sorted(c for c in (checkpoints or []) if 0 < c < n_events)
    docs, failures, elapsed = 0, 0, 0.0
    documents = synthetic_documents(n_events)
    pending = next(documents, None)
    counts = {"events": 0}
    for mark in [*marks, n_events]:
        seg_docs, seg_started = docs, elapsed
        with open_store(db) as store:
            started, batch = time.perf_counter(), []
            while pending is not None and pending[0] < mark:
                batch.append(pending[1:])
                pending = next(documents, None)
                if len(batch) == batch_size:
                    failures += len(store.add_documents(batch))
                    docs += len(batch)
                    batch = []
            if batch:
                failures += len(store.add_documents(batch))
                docs += len(batch)
            elapsed += time.perf_counter() - started
            counts = store.counts()
        if marks:
            point = {"checkpoint_incidents": mark, "documents": docs, "events": counts["events"],
                     "ingest_s": round(elapsed, 1), "documents_per_s": round(docs / elapsed, 1),
                     "segment_documents_per_s": round((docs - seg_docs) / (elapsed - seg_started), 1),
                     "load": machine_load()}
            print(json.dumps(point), flush=True)
            print(f"at {counts['events']:,} events: {docs:,} documents in {elapsed:.1f} s "
                  f"({docs / elapsed:.1f} documents/s; {point['segment_documents_per_s']} documents/s since the "
                  f"last checkpoint); {point['load']}", flush=True)
            if at_checkpoint is not None and mark != n_events:
                at_checkpoint(counts["events"])
    return {"documents": docs, "failures": failures, "events": counts["events"], "ingest_s": round(elapsed, 1),
            "documents_per_s": round(docs / elapsed, 1)}


def serve(db: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "kroniek.serve", "--db", db, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    for line in process.stdout:
        if line.startswith("Serving "):
            return process, line.split(" at ", 1)[1].split()[0].rstrip("/")
    raise SystemExit(f"kroniek serve did not start (exit {process.wait()})")


def load_api(db: str, clients: int, requests: int, seconds: float, mix: str, events: int | None = None) -> None:
    """`kroniek serve` on ``db``, loaded once with its cache on and once with every answer computed."""
    process, url = serve(db)
    try:
        for uncached in (False, True):
            before = machine_load()
            load = asyncio.run(run_load(url, clients, requests, seconds, uncached, "events"))
            print(json.dumps({**load, "mix": mix, "events": events, "load_before": before,
                              "load_after": machine_load()}), flush=True)
            print(f"{'' if events is None else f'at {events:,} events: '}{load['requests']} requests from "
                  f"{load['clients']} clients in {load['seconds']} s: {load['requests_per_s']} requests/s; "
                  f"p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, p99 {load['p99_ms']} ms; {load['errors']} "
                  f"errors ({'uncached' if uncached else 'cache on'}, {mix}; {machine_load()})", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an empty PostgreSQL database, or a new DuckDB file (default: a throwaway "
                                     "PostgreSQL server of our own)")
    parser.add_argument("--no-ingest", action="store_true", help="load the API only, on what --db holds")
    parser.add_argument("--mix", choices=["dashboard", "pages"], default="dashboard",
                        help="api_load.py's query mix, or its list pages only (no GeoJSON of 10,000 events)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--checkpoints", default="",
                        help="incident counts (comma-separated, e.g. 10000,20000) at which the ingest rate is "
                             "printed and the API loaded for --checkpoint-seconds, as the database grows")
    parser.add_argument("--checkpoint-seconds", type=float, default=10.0)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    checkpoints = [int(c) for c in args.checkpoints.split(",") if c.strip()]
    if not (1 <= args.events <= 1_000_000 and 1 <= args.clients <= 200 and 0 < args.seconds <= 300
            and 0 < args.checkpoint_seconds <= 300):
        parser.error("keep it bounded: at most 1,000,000 events, 200 clients and 300 seconds")
    if args.mix == "pages":
        full_mix = api_load.query_mix
        api_load.query_mix = lambda base, mix="events": [p for p in full_mix(base, mix) if "geojson" not in p]
    server = None
    if args.db:
        db = args.db
    else:
        from pg_server import PostgresServer, find_binaries

        bin_dir = find_binaries()
        if bin_dir is None:
            raise SystemExit("no PostgreSQL binaries (initdb, pg_ctl): give --db postgresql://…")
        server = PostgresServer(bin_dir)
        db = server.start()
    print(f"start: {machine_load()}", flush=True)
    try:
        from kroniek.store import is_postgres_url

        result = {"store": "postgresql" if is_postgres_url(db) else "duckdb"}
        if not args.no_ingest:
            result.update(ingest(db, args.events, args.batch_size, checkpoints,
                                 lambda events: load_api(db, args.clients, args.requests, args.checkpoint_seconds,
                                                         args.mix, events)))
            print(json.dumps(result), flush=True)
        load_api(db, args.clients, args.requests, args.seconds, args.mix, result.get("events"))
    finally:
        if server is not None:
            server.stop()
    if not args.no_ingest:
        print(f"{result['store']}: {result['documents']:,} documents → {result['events']:,} events in "
              f"{result['ingest_s']} s ({result['documents_per_s']} documents/s)")


if __name__ == "__main__":
    main()
