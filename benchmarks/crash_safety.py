"""Crash safety of `kroniek ingest`: SIGKILL it at a random moment, run it again to the end, and compare the
database with one a clean run made (documents, reports, events with their records, rejects' origins and codes).

    python benchmarks/crash_safety.py --trials 100 --seed 1

The corpus is the demo corpus shipped with Kroniek (src/kroniek/data/demo), ingested with --batch-size 4 so that
kills land inside and between transactions. A trial fails when the re-run exits with an error or its database
differs from the clean one in anything but ingest timestamps. Prints the failures out of N trials.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

KRONIEK = [sys.executable, "-c", "from kroniek.cli import main; main()"]
CORPUS = Path(__file__).resolve().parents[1] / "src" / "kroniek" / "data" / "demo"


def ingest(db: Path, *, kill_after: float | None = None) -> tuple[int, str]:
    process = subprocess.Popen([*KRONIEK, "ingest", str(CORPUS), "--db", str(db), "--batch-size", "4", "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if kill_after is not None:
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
    out, err = process.communicate(timeout=600)
    return process.returncode, out + err


def snapshot(db: Path) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "documents": con.execute("SELECT doc_id, origin, duplicate_of, text FROM documents ORDER BY doc_id").fetchall(),
            "reports": con.execute("SELECT report_id, doc_id, event_id, record FROM reports ORDER BY report_id").fetchall(),
            "events": con.execute("SELECT event_id, record FROM events ORDER BY event_id").fetchall(),
            "report_keys": con.execute("SELECT block_key, report_id FROM report_keys ORDER BY ALL").fetchall(),
            "document_bands": con.execute("SELECT band_key, doc_id FROM document_bands ORDER BY ALL").fetchall(),
            "rejects": sorted(set(con.execute("SELECT origin, code FROM rejects").fetchall())),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        clean_db = Path(tmp) / "clean.duckdb"
        t = time.perf_counter()
        code, output = ingest(clean_db)
        clean_s = time.perf_counter() - t
        if code != 0:
            raise SystemExit(f"the clean run failed: {output[-500:]}")
        clean = snapshot(clean_db)
        print(f"clean run: {len(clean['documents'])} documents, {len(clean['events'])} events in {clean_s:.1f} s",
              flush=True)
        failures = killed = 0
        recent = [clean_s]   # how long whole runs take now: kills are drawn over that (the machine's load changes)
        for trial in range(args.trials):
            db = Path(tmp) / f"trial{trial}.duckdb"
            moment = rng.uniform(0.0, sorted(recent)[len(recent) // 2])
            first, _ = ingest(db, kill_after=moment)
            killed += first == -signal.SIGKILL
            t = time.perf_counter()
            code, output = ingest(db)
            if first == -signal.SIGKILL:   # killed at `moment`: the re-run did the rest
                recent = (recent + [time.perf_counter() - t + moment])[-5:]
            problem = None
            if code != 0:
                problem = f"re-run exit {code}: {output.strip().splitlines()[-1:]}"
            else:
                got = snapshot(db)
                differing = [k for k in clean if got[k] != clean[k] and k != "rejects"]
                if differing or not set(got["rejects"]) >= set(clean["rejects"]):
                    problem = f"differs in {differing or ['rejects']}"
            if problem:
                failures += 1
                print(f"trial {trial} (kill after {moment:.2f} s): FAIL {problem}", flush=True)
            for path in Path(tmp).glob(f"trial{trial}.duckdb*"):
                path.unlink()
            if (trial + 1) % 10 == 0:
                print(f"  {trial + 1} trials, {killed} killed mid-run, {failures} failures", flush=True)
        print(f"{failures} failures out of {args.trials} trials ({killed} killed before the ingest ended; "
              f"seed {args.seed})")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
