"""The long fuzz run: many more mutated inputs than tests/test_fuzz.py, through `kroniek ingest` itself (a real
process, JSON Lines and plain files), analyse_text, and the HTTP API; prints failures (a crash, an internal error
K120/K121, a 500, an input over 10 s) and the slowest inputs.

    python benchmarks/fuzz.py --seed 1 --n 2000        # about a minute per 1,000 inputs on one core
"""
from __future__ import annotations

import argparse
import datetime
import json
import random
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from kroniek import fuzzinputs
from kroniek.pipeline import analyse_text, warm_up

warnings.filterwarnings("ignore", message=".*httpx.*")
SLOW_S = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--n", type=int, default=2000, help="inputs per target")
    args = parser.parse_args()
    failures: list[str] = []
    slowest: list[tuple[float, str]] = []
    rng = random.Random(args.seed)
    warm_up()

    def timed(label: str, call, limit_s: float = SLOW_S) -> None:
        t = time.perf_counter()
        try:
            problem = call()
        except Exception as exc:   # noqa: BLE001 - a crash is what we look for
            problem = f"raised {exc.__class__.__name__}: {str(exc)[:200]}"
        elapsed = time.perf_counter() - t
        slowest.append((elapsed, label))
        if elapsed > limit_s:
            problem = (problem or "") + f" took {elapsed:.1f} s"
        if problem:
            failures.append(f"{label}: {problem}")

    for i in range(args.n):
        text = fuzzinputs.mutated_text(rng)
        timed(f"analyse_text seed={args.seed} #{i}",
              lambda: (analyse_text(text, language=("nl", "en")[i % 2], published=datetime.date(2016, 12, 20)), None)[1])

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        lines = [fuzzinputs.mutated_jsonl_line(rng) for _ in range(args.n)]
        (folder / "feed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
        for i in range(min(args.n, 300)):
            (folder / f"doc{i}.txt").write_bytes(fuzzinputs.mutated_bytes(rng))
            if i % 3 == 0:
                (folder / f"doc{i}.meta.json").write_bytes(fuzzinputs.mutated_jsonl_line(rng))
            if i % 5 == 0:
                (folder / f"page{i}.html").write_bytes(b"<p>" + fuzzinputs.mutated_bytes(rng) + b"</p>")
        db = Path(tmp) / "fuzz.duckdb"

        def ingest() -> str | None:
            done = subprocess.run([sys.executable, "-c", "from kroniek.cli import main; main()", "ingest", str(folder), "--db", str(db), "-q"],
                                  capture_output=True, text=True, errors="replace", timeout=3600)
            if "Traceback" in done.stderr or done.returncode not in (0, 1):
                return f"exit {done.returncode}: {done.stderr[-500:]}"
            internal = [line for line in done.stderr.splitlines() if "[K120]" in line or "[K121]" in line]
            return "; ".join(internal[:5]) or None
        t = time.perf_counter()
        inputs = len(lines) + min(args.n, 300) * 2
        timed(f"kroniek ingest (a folder of {inputs} inputs)", ingest, limit_s=SLOW_S * inputs)
        print(f"kroniek ingest of {len(lines)} JSON Lines records and {min(args.n, 300)} files: "
              f"{time.perf_counter() - t:.1f} s", flush=True)

        from fastapi.testclient import TestClient

        from kroniek.serve.app import create_app
        from kroniek.store import Store

        with Store.open(Path(tmp) / "api.duckdb") as store:
            client = TestClient(create_app(store=store, ingest_token="fuzz"), raise_server_exceptions=False)
            client.post("/api/ingest", json={"articles": [{"text": fuzzinputs.SEEDS[0]}]},   # loads what it needs
                        headers={"Authorization": "Bearer fuzz"})
            for i in range(args.n // 4):
                body = fuzzinputs.mutated_api_body(rng)

                def post() -> str | None:
                    r = client.post("/api/ingest", content=body, headers={"Authorization": "Bearer fuzz"})
                    if r.status_code >= 500:
                        return f"{r.status_code} {r.text[:200]}"
                    if r.status_code == 200 and any(x["code"] in ("K120", "K121") for x in r.json()["rejects"]):
                        return json.dumps(r.json()["rejects"])[:300]
                    return None
                timed(f"POST /api/ingest seed={args.seed} #{i}", post)
            for i in range(args.n):
                path = rng.choice(("/api/events", "/api/export", "/api/stats"))
                query = fuzzinputs.mutated_query(rng)
                timed(f"GET {path}?{query[:80]}", lambda: (lambda r: f"{r.status_code} {r.text[:200]}"
                                                          if r.status_code >= 500 else None)(
                    client.get(f"{path}?{query}")))

    slowest.sort(reverse=True)
    print(f"{len(slowest)} inputs, {len(failures)} failures; slowest: "
          + ", ".join(f"{label} {s:.2f} s" for s, label in slowest[:3]))
    for failure in failures[:50]:
        print("FAIL", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
