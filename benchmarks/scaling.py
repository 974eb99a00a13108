#!/usr/bin/env python3
"""Does ingest slow down as the database grows? A generated corpus ingested batch after batch into one database.

    python benchmarks/scaling.py --articles 100000 --batch 1000 --checkpoints 10000,50000,100000
    python benchmarks/scaling.py --articles 6000 --batch 200 --checkpoints 2000,6000 --seconds 600   # a few minutes

Articles come from benchmarks/throughput.py's generator (unique texts, ~600 words, Dutch and English alternating,
published over 2015-2024 so that the database's blocking keys spread as real news does), with --filler sentences of
made-up words after every four template sentences (default 4). Without them two generated articles share word
5-grams as no two news articles do: 2.7 % of pairs of 200 generated articles share an LSH band against none of the
1,081 pairs of the Dutch dev articles (mean estimated Jaccard 0.107 against 0.0002), and the near-duplicate lookup then
compares each new article with a share of the whole database; with 4 filler sentences 0.015 % of pairs share a band.
`--filler 0` gives the corpus of earlier runs. Each batch goes through
`kroniek.pipeline.ingest_into` on one open store; its CPU time (this process, DuckDB's thread included) is recorded,
and the resident memory after it. With --reference K, every K-th batch's articles also go into an empty store
at once, and the ratio of the two costs is printed: this VM's speed drifts within a run (one batch into the same
10,000-article store cost 9.5 s of CPU, and 11.1-11.5 s 25 minutes later), which batch costs alone cannot tell
from growth. With --dates rolling (a feed: articles in publication order) add --window DAYS: the reference store
then first holds the articles of the DAYS days before the batch, everything the batch can merge with, so the ratio
is what the rest of the database costs. At each checkpoint the store is closed and `kroniek events` (a filtered
query) and `kroniek export` (JSON Lines, every event) run as separate processes; their CPU and wall-clock times are
printed.
The run stops early after --seconds of wall clock (it says how far it got). At the end: the mean cost of the first
and the last 10 batches and their ratio (goal ≤ 1.05), and memory first and last.
"""
from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from throughput import generate, machine_load  # noqa: E402

KRONIEK = [sys.executable, "-c", "from kroniek.cli import main; main()"]
YEARS = tuple(range(2015, 2025))
FIRST_DAY = date(2015, 1, 1)     # --dates rolling


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def timed_command(args: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall-clock seconds) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(KRONIEK + args, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime), wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=1000, help="articles per batch")
    ap.add_argument("--checkpoints", default="10000,50000,100000", help="article counts at which to time the readers")
    ap.add_argument("--seconds", type=float, default=3600, help="stop after this much wall clock")
    ap.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    ap.add_argument("--profile", metavar="FILE", help="write a cProfile of the last batch to FILE")
    ap.add_argument("--start", type=int, default=0, help="the first START generated articles are in --db already "
                                                         "(an earlier run's, with the same --filler): go on from there")
    ap.add_argument("--reference", type=int, default=0, metavar="K",
                    help="every K batches, ingest the same articles into an empty store (with --window: a store of "
                         "the days before them) as well and print the ratio of the two costs: growth measured at one "
                         "moment, whatever the machine's speed does")
    ap.add_argument("--dates", choices=("spread", "rolling"), default="spread",
                    help="spread: published at random over 2015-2024 (an archive filled in no order; the stored "
                         "reports that share a blocking key grow with the database); rolling: in order, --per-day "
                         "articles a day from 2015-01-01 (a feed: each day's news reports that day's events)")
    ap.add_argument("--per-day", type=int, default=200, help="articles a day with --dates rolling")
    ap.add_argument("--window", type=int, default=0, metavar="DAYS",
                    help="with --dates rolling and --reference: the reference store first holds the articles of the "
                         "DAYS days before the batch (not timed), so that both stores hold every report the batch can "
                         "merge with and the ratio shows what the rest of the database costs. The generated articles "
                         "date their events up to 6 days before publication (a weekday, 'yesterday'), so 8 days "
                         "hold all of them")
    ap.add_argument("--filler", type=int, default=4, help="sentences of made-up words after every four template "
                                                          "sentences (0: the templates alone)")
    args = ap.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(",") if c and int(c) > args.start)
    if args.window and (args.dates != "rolling" or not args.reference):
        ap.error("--window needs --dates rolling and --reference")
    if args.start and args.db is None:
        ap.error("--start needs --db: the database that holds the first START articles")

    from kroniek.pipeline import ingest_into, warm_up
    from kroniek.store import Store

    print(f"before: {machine_load()}")
    warm_up()
    started = time.perf_counter()
    costs: list[float] = []
    memory: list[float] = []
    ratios: list[float] = []      # --reference: cost into the database / cost into an empty store, same articles
    done = args.start
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "scaling.duckdb"
        store = Store.open(db)
        try:
            while done < args.articles and time.perf_counter() - started < args.seconds:
                n = min(args.batch, args.articles - done)
                raws = articles_from(done, n, args)
                profiler = None
                if args.profile and done + n >= args.articles:
                    import cProfile
                    profiler = cProfile.Profile()
                    profiler.enable()
                c0 = time.process_time()
                report = ingest_into(store, raws, batch_size=64)
                costs.append(time.process_time() - c0)
                if profiler is not None:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
                memory.append(rss_mb())
                done += n
                print(f"batch {len(costs)}: {done} articles, {report.documents} stored, {costs[-1]:.2f} s CPU "
                      f"({1000 * costs[-1] / n:.1f} ms/article), memory {memory[-1]:.0f} MB", flush=True)
                if args.reference and len(costs) % args.reference == 0:
                    first = done - n                # the batch's first article
                    # --window: the batches of this run before it that hold the window's days (whole batches: a
                    # batch's articles depend on where it starts)
                    window_start = max(0, (first // args.per_day - args.window) * args.per_day)
                    held = max(0, first - math.ceil((first - window_start) / args.batch) * args.batch) \
                        if args.window else first
                    with tempfile.TemporaryDirectory() as ref_dir, Store.open(Path(ref_dir) / "ref.duckdb") as ref:
                        for start in range(held, first, args.batch):
                            ingest_into(ref, articles_from(start, min(args.batch, first - start), args),
                                        batch_size=64)
                        c0 = time.process_time()
                        ingest_into(ref, raws, batch_size=64)
                        alone = time.process_time() - c0
                    ratios.append(costs[-1] / alone)
                    holding = f"a store of the {first - held} articles before them" if args.window else \
                        "an empty store"
                    print(f"  the same {n} articles into {holding}: {alone:.2f} s CPU: ×{ratios[-1]:.2f}",
                          flush=True)
                if checkpoints and done >= checkpoints[0]:
                    checkpoints.pop(0)
                    store.close()
                    events = store_counts(db)
                    cpu_q, wall_q = timed_command(["events", "--db", str(db), "--type", "attack", "--country", "IQ",
                                                   "--limit", "50"])
                    cpu_e, wall_e = timed_command(["export", "--db", str(db), "-o", os.devnull])
                    print(f"at {done} articles ({events} events): `kroniek events --type attack --country IQ "
                          f"--limit 50` {cpu_q:.2f} s CPU ({wall_q:.2f} s wall clock); `kroniek export -o "
                          f"/dev/null` {cpu_e:.2f} s CPU ({wall_e:.2f} s wall clock)", flush=True)
                    store = Store.open(db)
        finally:
            store.close()
    print(f"ingested {done} of {args.articles} articles in {len(costs)} batches "
          f"({time.perf_counter() - started:.0f} s wall clock)")
    if len(costs) >= 2:
        k = min(10, len(costs) // 2)
        first, last = statistics.fmean(costs[:k]), statistics.fmean(costs[-k:])
        print(f"batch cost: first {k} {first:.2f} s CPU, last {k} {last:.2f} s CPU: ×{last / first:.2f}; "
              f"memory after the first batch {memory[0]:.0f} MB, after the last {memory[-1]:.0f} MB, "
              f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if len(ratios) >= 2:
        k = min(5, len(ratios) // 2)
        against = f"a store of the last {args.window} days" if args.window else "an empty store"
        print(f"against {against} at the same moment: first {k} ×{statistics.fmean(ratios[:k]):.2f}, "
              f"last {k} ×{statistics.fmean(ratios[-k:]):.2f}")
    print(f"after: {machine_load()}")
    return 0


def articles_from(start: int, n: int, args: argparse.Namespace) -> list:
    """Generated articles number `start` to `start + n - 1`, as raw documents (the same ones in every run)."""
    from kroniek.records import RawDocument

    articles = generate(n, 600, seed=start + 1, start=start, years=YEARS, filler=args.filler)
    if args.dates == "rolling":
        for number, article in enumerate(articles, start=start):
            article["published"] = (FIRST_DAY + timedelta(days=number // args.per_day)).isoformat()
    return [RawDocument(a["url"], a["text"].encode("utf-8"), "text",
                        {"language": a["language"], "published": a["published"], "url": a["url"]})
            for a in articles]


def store_counts(db: Path) -> int:
    from kroniek.store import Store

    with Store.open(db, read_only=True) as store:
        return store.counts()["events"]


if __name__ == "__main__":
    sys.exit(main())
