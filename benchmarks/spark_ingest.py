#!/usr/bin/env python3
"""`kroniek spark ingest` on 1 and 2 local cores beside the single-process `kroniek ingest` into DuckDB, over one
generated corpus.

Usage:
    python benchmarks/spark_ingest.py [--articles 2000] [--words 300] [--cores 1,2] [--partitions 8]

The corpus is benchmarks/throughput.py's generator (seeded, so every run gets the same articles): articles of about
`--words` words, Dutch and English alternating, built from sentence templates with attacks, arrests, air strikes,
claims and calls in twelve cities, each article unique, published on random days of 2019; one JSON Lines file.
Then, each timed on the wall clock from the start to the last file written:
  - single: `kroniek ingest` in this process (read JSONL → pipeline → consolidate → DuckDB), also in CPU seconds;
  - spark local[N] for each N in --cores: a fresh SparkSession (its JVM start is timed too, and given apart),
    read → stages in mapPartitions → consolidation as Spark jobs → Parquet; also in CPU seconds of the whole
    process tree (the JVM and its Python workers, from Linux's /proc).
It prints articles/s for each, the load average before and after each run, and checks that every run gives the
same event ids. On a shared or small machine the
wall clock is what the other processes leave: compare the rows of one run, not runs on different days.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from throughput import generate, machine_load  # noqa: E402


def single(feed: Path, tmp: Path) -> tuple[float, float, set[str]]:
    from kroniek.ingest.sources import read_sources
    from kroniek.pipeline import ingest_into
    from kroniek.store import EventQuery, Store

    t0, c0 = time.perf_counter(), time.process_time()
    with Store.open(tmp / "single.duckdb") as store:
        ingest_into(store, read_sources([str(feed)]))
        ids = {e.id for e in store.iter_events(EventQuery(limit=10**9))}
    return time.perf_counter() - t0, time.process_time() - c0, ids


def tree_cpu() -> float | None:
    """CPU seconds of this process and every process under it (the JVM, Python workers; those already ended and
    waited for are in their parent's figures), from Linux's /proc; None elsewhere."""
    try:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as handle:
                        fields = handle.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
        tree, grown = {os.getpid()}, True
        while grown:
            grown = False
            for pid, (ppid, _) in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grown = True
        return sum(parents[p][1] for p in tree if p in parents) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


def spark(feed: Path, tmp: Path, cores: int, partitions: int) -> tuple[float, float, float | None, set[str]]:
    import pyarrow.parquet as pq

    from kroniek.spark.job import spark_ingest
    from kroniek.spark.session import spark_session

    t0, c0 = time.perf_counter(), tree_cpu()
    session = spark_session(f"local[{cores}]", partitions, app_name="kroniek-bench")
    started = time.perf_counter() - t0
    try:
        spark_ingest(session, [str(feed)], str(tmp / f"spark{cores}"), partitions=partitions)
        c1 = tree_cpu()   # before the JVM and its workers stop
    finally:
        session.stop()
    wall = time.perf_counter() - t0
    cpu = c1 - c0 if c0 is not None and c1 is not None else None
    ids = set(pq.read_table(tmp / f"spark{cores}" / "events", columns=["id"]).column("id").to_pylist())
    return wall, started, cpu, ids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--cores", default="1,2", help="local[N] for each N (comma-separated; '' for none: the single "
                                                  "process alone)")
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--no-single", action="store_true", help="skip the single-process run")
    args = ap.parse_args()

    print(f"start: {machine_load()}", flush=True)
    articles = generate(args.articles, args.words)
    n = len(articles)
    mean_words = sum(len(a["text"].split()) for a in articles) / n
    print(f"articles: {n} (mean {mean_words:.0f} words, nl and en alternating; benchmarks/throughput.py generate)")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        feed = tmp / "feed.jsonl"
        feed.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
        reference = None
        if not args.no_single:
            print(f"single, before: {machine_load()}", flush=True)
            wall, cpu, reference = single(feed, tmp)
            print(f"single process, kroniek ingest → DuckDB: {n / wall:.1f} articles/s wall ({wall:.1f} s; "
                  f"{n / cpu:.1f}/s of CPU), {len(reference)} events; after: {machine_load()}", flush=True)
        for cores in (int(c) for c in args.cores.split(",") if c.strip()):
            print(f"local[{cores}], before: {machine_load()}", flush=True)
            wall, started, cpu, ids = spark(feed, tmp, cores, args.partitions)
            same = "same ids as single" if reference is not None and ids == reference else \
                ("ids DIFFER from single" if reference is not None else "")
            print(f"spark local[{cores}], {args.partitions} partitions → Parquet: {n / wall:.1f} articles/s wall "
                  f"({wall:.1f} s, of which {started:.1f} s starting Spark; "
                  f"{'' if cpu is None else f'{cpu:.0f} s of CPU in all its processes, {n / cpu:.1f}/s of CPU'}), "
                  f"{len(ids)} events {same}; "
                  f"after: {machine_load()}", flush=True)
            if reference is None:
                reference = ids
    return 0


if __name__ == "__main__":
    sys.exit(main())
