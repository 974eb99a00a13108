#!/usr/bin/env python3
"""CPU time of the `kroniek` commands that only print (help, version): what a researcher waits for on every call.

Usage:
    python benchmarks/cli_startup.py [--runs 5] [--kroniek PATH]

Runs each command in a fresh process and prints the median user+system CPU seconds (from the resource module's
accounting of finished children) and wall seconds. The goal is under 0.3 s of CPU: subcommands in other packages
(serve, eval, train) are imported only when they run (kroniek.lazycommands). The same figures come from
`/usr/bin/time -f %U+%S kroniek --help`.

With --db DEMO (a database made by `kroniek demo --no-serve --db DEMO`) it also times the commands that do work:
`kroniek events` on that database (goal 0.5 s of CPU) and `kroniek ingest` of one short document into a new
database each run (goal 1.5 s of CPU: the lexicons, gazetteer and models load on first need).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = (["--help"], ["--version"], ["events", "--help"], ["serve", "--help"], ["eval", "--help"])
GOAL_CPU_S = 0.3
WORK_GOALS_CPU_S = {"events": 0.5, "ingest": 1.5}
ONE_DOCUMENT = ("Bij een aanslag op een markt in Berlijn zijn gisteren twaalf mensen om het leven gekomen. De politie "
                "heeft een verdachte aangehouden. Islamitische Staat eiste de aanslag op.\n")


def cpu_and_wall(command: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per command (default 5)")
    parser.add_argument("--kroniek", default=None,
                        help="the kroniek executable (default: the one beside this Python, else on PATH)")
    parser.add_argument("--db", help="a demo database: also time `kroniek events` on it and a one-document ingest")
    args = parser.parse_args()
    beside = os.path.join(os.path.dirname(sys.executable), "kroniek")
    kroniek = args.kroniek or (beside if os.path.exists(beside) else shutil.which("kroniek"))
    if not kroniek:
        sys.exit("no `kroniek` executable found; pip install -e . first or pass --kroniek")
    print(f"{kroniek}, median of {args.runs} processes (goal: under {GOAL_CPU_S} s of CPU)")
    for arguments in COMMANDS:
        runs = [cpu_and_wall([kroniek, *arguments]) for _ in range(args.runs)]
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        print(f"  kroniek {' '.join(arguments):<16} {cpu:.3f} s CPU  {wall:.3f} s wall"
              f"{'' if cpu < GOAL_CPU_S else '  (over the goal)'}")
    if args.db:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            document = os.path.join(tmp, "one.txt")
            with open(document, "w", encoding="utf-8") as handle:
                handle.write(ONE_DOCUMENT)
            work = {"events": lambda i: [kroniek, "events", "--db", args.db],
                    "ingest": lambda i: [kroniek, "ingest", document, "--db", os.path.join(tmp, f"one{i}.duckdb"),
                                         "--published", "2016-12-20", "--language", "nl", "-q"]}
            for name, command in work.items():
                runs = [cpu_and_wall(command(i)) for i in range(args.runs)]
                cpu = statistics.median(r[0] for r in runs)
                wall = statistics.median(r[1] for r in runs)
                print(f"  kroniek {name:<16} {cpu:.3f} s CPU ({min(r[0] for r in runs):.3f}–"
                      f"{max(r[0] for r in runs):.3f})  {wall:.3f} s wall  (goal {WORK_GOALS_CPU_S[name]} s)")


if __name__ == "__main__":
    main()
