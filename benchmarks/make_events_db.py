#!/usr/bin/env python3
"""A database of many stored events for the read-side benchmarks (api_load.py --db, kroniek events/export timing).

    python benchmarks/make_events_db.py --events 100000 --db /tmp/events100k.duckdb

How: a few generated articles (benchmarks/throughput.py's generator) go through the real pipeline once; their
events are the templates. Each stored event is a template with a new id, a date drawn from 2010-2024, one of the
templates' places, and its own document (every EVENTS_PER_DOCUMENT events share one, whose text is the template
article's), written through the store's own row shapes (`event_columns`, the `reports` and `documents` tables),
so every reader sees what an ingest would have stored. Consolidation across documents is not run: the events are
distinct by construction. Seeded: the same arguments give the same database.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from throughput import generate  # noqa: E402

EVENTS_PER_DOCUMENT = 20
FIRST_DAY, DAYS = date(2010, 1, 1), 15 * 365


def template_events(n_articles: int):
    """(article, events) of `n_articles` generated articles through the pipeline."""
    from kroniek.pipeline import process_document
    from kroniek.records import RawDocument

    out = []
    for a in generate(n_articles, 400, seed=11):
        raw = RawDocument(a["url"], a["text"].encode("utf-8"), "text",
                          {"language": a["language"], "published": a["published"], "url": a["url"]})
        done = process_document(raw)
        if done.events:
            out.append((done.article, done.events))
    return out


def build(db_path: Path, n_events: int, seed: int = 5, chunk: int = 10_000) -> None:
    from kroniek.eventjson import encode_event
    from kroniek.records import Source
    from kroniek.store import Store
    from kroniek.store.columns import event_columns

    rng = random.Random(seed)
    templates = template_events(24)
    events = [e for _, evs in templates for e in evs]
    places = [e.location for e in events if e.location is not None]
    now = datetime(2025, 1, 1)
    with Store.open(db_path) as store:
        documents, rows, reports = [], [], []

        def flush() -> None:
            store._insert("documents", documents)
            store._insert("events", rows)
            store._insert("reports", reports)
            documents.clear(), rows.clear(), reports.clear()

        for i in range(n_events):
            article, own = templates[(i // EVENTS_PER_DOCUMENT) % len(templates)]
            doc_id = f"doc_{hashlib.sha1(f'doc{i // EVENTS_PER_DOCUMENT}'.encode()).hexdigest()[:16]}"
            day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            if i % EVENTS_PER_DOCUMENT == 0:
                documents.append({"doc_id": doc_id, "origin": f"generated:{i // EVENTS_PER_DOCUMENT}",
                                  "url": f"https://example.org/{doc_id}", "title": f"Generated report {i}",
                                  "published": day, "language": article.language, "text": article.text,
                                  "ingested_at": now})
            template = own[i % len(own)]
            event_id = f"evt_{hashlib.sha1(f'event{i}'.encode()).hexdigest()[:16]}"
            when = template.date
            if when is not None:
                when = msgspec.structs.replace(when, start=day, end=day + (when.end - when.start))
            event = msgspec.structs.replace(
                template, id=event_id, date=when, location=rng.choice(places) if template.location else None,
                sources=(Source(doc_id, f"https://example.org/{doc_id}", f"Generated report {i}", "generated", day),),
                evidence=tuple(msgspec.structs.replace(e, doc_id=doc_id) for e in template.evidence),
                triggers=tuple(msgspec.structs.replace(t, doc_id=doc_id) for t in template.triggers), related=())
            record = encode_event(event)
            rows.append(event_columns(event, record))
            reports.append({"report_id": event_id, "doc_id": doc_id, "event_id": event_id,
                            "record": record.decode("utf-8")})
            if len(rows) >= chunk:
                flush()
        flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", type=Path, required=True)
    args = ap.parse_args()
    if args.db.exists():
        ap.error(f"{args.db} exists: give a new file name")
    t0, c0 = time.perf_counter(), time.process_time()
    build(args.db, args.events)
    print(f"{args.events} events in {args.db} ({args.db.stat().st_size / 1e6:.0f} MB) in "
          f"{time.process_time() - c0:.1f} s CPU ({time.perf_counter() - t0:.1f} s wall clock); peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
