"""Benchmark place resolution: index build time, cached load time, memory, mentions/s and documents/s.

Run: python benchmarks/places.py [--xml ../shared/data/geoparsing/TR-News.xml.gz] [--repeat 3]
Texts: the articles of the given geoparsing corpus, or (without one) built-in Dutch and English paragraphs.
All figures are for one core (this process); the build runs in a temporary cache directory.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLES = (
    ("nl", "Bij een aanslag in Oost-Mosoel zijn zeker twaalf doden gevallen, meldt de Iraakse regering in "
           "Bagdad. IS-strijders trokken zich terug naar Tal-Afar, vlak bij de Syrische grens. In Berlijn en "
           "Brussel werd de beveiliging opgevoerd; ook Den Haag en 's-Hertogenbosch namen maatregelen. Het "
           "Westen reageerde geschokt, net als landen in het Midden-Oosten. Volgens de Turkse president in "
           "Ankara was de aanslag in Aleppo, Syrië, een wraakactie. België en Nederland stuurden hulp."),
    ("en", "WASHINGTON — A suicide bomber killed at least 20 people in eastern Mosul on Monday, Iraqi officials "
           "said. Kurdish forces near Erbil and Kirkuk were put on alert, while Turkish troops crossed into "
           "northern Syria near Aleppo. In Paris, Texas, and in Paris, France, vigils were held. President "
           "Washington's statue in London was vandalised; George Washington University in Washington, D.C., "
           "cancelled classes. The attack drew condemnation across the Middle East and Europe."),
)


_LOAD_PROBE = """
import os, time
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
from kroniek.places import load_gazetteer
before = rss(); tick, cpu = time.perf_counter(), time.process_time()
load_gazetteer()
print(time.perf_counter() - tick, time.process_time() - cpu, before, rss())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xml", type=Path, default=None, help="a geoparsing corpus (TR-News) to time on")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the texts (median reported)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["KRONIEK_CACHE"] = scratch
        from kroniek.places import gazetteer as gazetteer_module
        tick = time.perf_counter()
        gazetteer_module.load_gazetteer()
        build_seconds = time.perf_counter() - tick
        size_mb = gazetteer_module.cache_path().stat().st_size / 2**20
        gazetteer_module.load_gazetteer.cache_clear()

        # Load time and memory in a fresh process: after a build, freed memory would hide the index's size.
        probe = subprocess.run([sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True, check=True,
                               env={**os.environ, "KRONIEK_CACHE": scratch})
        load_seconds, load_cpu, rss_before, rss_after = map(float, probe.stdout.split())
        gazetteer = gazetteer_module.load_gazetteer()

        from kroniek.places import find_places
        if args.xml and args.xml.exists():
            from kroniek.evaluate.geo import read_corpus
            texts = [("en", article.text) for article in read_corpus(args.xml)]
        else:
            texts = list(SAMPLES) * 50
        words = sum(len(text.split()) for _, text in texts)
        timings, cpu_timings, mentions = [], [], 0
        for _ in range(args.repeat):
            tick, cpu = time.perf_counter(), time.process_time()
            mentions = sum(len(find_places(text, language)) for language, text in texts)
            timings.append(time.perf_counter() - tick)
            cpu_timings.append(time.process_time() - cpu)
        seconds, cpu_seconds = statistics.median(timings), statistics.median(cpu_timings)

    print(f"index build (cold, one core): {build_seconds:.1f} s; cache file {size_mb:.1f} MiB; "
          f"{len(gazetteer)} entries, {len(gazetteer.index)} names")
    print(f"index load from cache (fresh process): {load_seconds:.3f} s wall, {load_cpu:.3f} s CPU; resident "
          f"memory +{rss_after - rss_before:.0f} MiB (process {rss_before:.0f} -> {rss_after:.0f} MiB)")
    print(f"texts: {len(texts)} documents, {words} words, {mentions} place mentions per pass")
    print(f"speed (CPU time, immune to other processes): {mentions / cpu_seconds:,.0f} mentions/s, "
          f"{len(texts) / cpu_seconds:,.0f} documents/s, {1000 * cpu_seconds / len(texts):.2f} ms/document, "
          f"{1000 * cpu_seconds / words * 600:.2f} ms per 600 words (median of {args.repeat} passes)")
    print(f"speed (wall clock): {mentions / seconds:,.0f} mentions/s, {len(texts) / seconds:,.0f} documents/s")


if __name__ == "__main__":
    main()
