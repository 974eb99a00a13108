#!/usr/bin/env python3
"""`kroniek ingest --jobs N` against `--jobs 1`, measured in CPU time so that a shared machine still gives a figure.

Usage:
    python benchmarks/jobs.py [--articles 1000] [--jobs 2] [--repeat 3]

Ingests benchmarks/throughput.py's generated articles (JSON Lines → DuckDB, as `kroniek ingest` does, through
`pipeline.ingest_into(..., jobs=N)`) with one process and with N processes (N - 1 workers and this one, which
writes the store and processes documents between its writes), and prints for each run the wall clock, the CPU
seconds of this process (reading, its share of the documents, the store's writes and consolidation: the one
writer) and of the workers.

On a machine with N free cores the wall clock of the parallel run would be at least the largest of: the writer's
CPU time, a worker's share (workers' CPU / (N - 1)) and all the CPU time spread over the cores; the printed
"speed-up on free cores at best" is the one-process CPU time over that bound. The wall clocks are measured: each
run's against the one-process run just before it, the median and range of those ratios. On a busy machine they
mean little.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import generate, machine_load  # noqa: E402


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from kroniek.ingest.sources import read_sources
    from kroniek.pipeline import ingest_into, warm_up
    from kroniek.store import Store

    print(f"before: {machine_load()}")
    articles = generate(args.articles, args.words)
    warm_up()
    cores = os.cpu_count() or 1
    results: dict[int, list[tuple[float, float, float]]] = {1: [], args.jobs: []}
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        feed.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
        for run in range(args.repeat):
            for jobs in (1, args.jobs):
                with Store.open(Path(tmp) / f"jobs{jobs}-{run}.duckdb") as store:
                    wall, own, workers = time.perf_counter(), _cpu(resource.RUSAGE_SELF), \
                        _cpu(resource.RUSAGE_CHILDREN)
                    report = ingest_into(store, read_sources([str(feed)]), jobs=jobs)
                    wall = time.perf_counter() - wall
                    own = _cpu(resource.RUSAGE_SELF) - own
                    workers = _cpu(resource.RUSAGE_CHILDREN) - workers
                results[jobs].append((wall, own, workers))
                print(f"  run {run + 1}, --jobs {jobs}: {wall:.1f} s wall, writer {own:.1f} s CPU, workers "
                      f"{workers:.1f} s CPU; {report.documents} stored, {report.events} events")
    one = statistics.median(own + workers for _, own, workers in results[1])
    bounds = [max(own, workers / max(1, args.jobs - 1), (own + workers) / min(cores, args.jobs))
              for _, own, workers in results[args.jobs]]
    # each run's one-process CPU time over the bound of the parallel run right after it (the load changes)
    speedups = sorted((own + workers) / bound for (_, own, workers), bound in zip(results[1], bounds))
    total = statistics.median(own + workers for _, own, workers in results[args.jobs])
    print(f"articles: {args.articles}; {args.repeat} runs each, median (range)")
    print(f"--jobs 1: {one:.1f} s CPU; --jobs {args.jobs}: {total:.1f} s CPU in all "
          f"(writer {statistics.median(o for _, o, _ in results[args.jobs]):.1f}, workers "
          f"{statistics.median(w for _, _, w in results[args.jobs]):.1f})")
    print(f"speed-up on {min(cores, args.jobs)} free cores at best (from CPU time): "
          f"{statistics.median(speedups):.2f} ({speedups[0]:.2f}–{speedups[-1]:.2f})")
    walls = [statistics.median(w for w, _, _ in results[j]) for j in (1, args.jobs)]
    ratios = sorted(one[0] / many[0] for one, many in zip(results[1], results[args.jobs]))
    print(f"wall clock on this machine: {walls[0]:.1f} s and {walls[1]:.1f} s; --jobs {args.jobs} against --jobs 1 run "
          f"by run: {statistics.median(ratios):.2f}× ({ratios[0]:.2f}–{ratios[-1]:.2f})")
    print(f"after: {machine_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
