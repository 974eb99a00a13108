#!/usr/bin/env python3
"""Speed of the actor and person finders on a ~600-word Dutch article (what tests/test_actors.py and
tests/test_persons.py once asserted with a clock; a test must not depend on the machine's load).

Usage:
    python benchmarks/finders.py [--runs 50]

Prints, per finder, the best-of-five mean milliseconds per article (wall clock and CPU time of this process)
and the spans found. The text repeats two sentences written for this benchmark (no corpus text) to 600 words;
the dictionaries load once before timing, as in the pipeline.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kroniek.annotate.actors import find_actors  # noqa: E402
from kroniek.annotate.persons import find_persons  # noqa: E402

SENTENCES = {
    "find_actors": ("De IS-strijders en het Iraakse leger vochten in Mosoel, waar burgers vluchtten terwijl de "
                    "internationale coalitie bombardeerde en de politie toekeek. "),
    "find_persons": ("Volgens woordvoerder Jan Jansen vluchtten burgers uit Mosoel, waar IS-strijders en het Iraakse "
                     "leger vochten; premier Haider al-Abadi sprak maandag. "),
}
FINDERS = {"find_actors": find_actors, "find_persons": find_persons}


def article(sentence: str, words: int = 600) -> str:
    return sentence * (words // len(sentence.split()) + 1)


def measure(finder, text: str, runs: int) -> tuple[float, float, int]:
    """Best-of-five mean (wall ms, CPU ms) per call, and the number of spans."""
    spans = len(finder(text, "nl"))   # loads the dictionaries
    best_wall = best_cpu = float("inf")
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(runs):
            finder(text, "nl")
        best_wall = min(best_wall, (time.perf_counter() - wall) / runs * 1000)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / runs * 1000)
    return best_wall, best_cpu, spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="calls per timing (default 50)")
    args = parser.parse_args()
    for name, finder in FINDERS.items():
        text = article(SENTENCES[name])
        wall, cpu, spans = measure(finder, text, args.runs)
        print(f"{name:<13} {len(text.split())} words: {wall:.2f} ms wall, {cpu:.2f} ms CPU per article "
              f"({spans} spans)")


if __name__ == "__main__":
    main()
