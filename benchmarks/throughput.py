#!/usr/bin/env python3
"""Whole-pipeline throughput: generated ~600-word Dutch and English articles through ingest into DuckDB.

Usage:
    python benchmarks/throughput.py [--articles 1000] [--words 600] [--batch-size 64]

Prints articles/s for the pipeline alone and with the store, and the peak resident memory. One process, one core
(no pool). Rates are given per second of CPU time (what one core delivers, robust when the machine is busy) and
per second of wall clock; each figure is measured --repeat times (default 3) and printed as the median
with its range, with the load average before and after. DuckDB may use a second thread for its writes; that time is counted in the CPU figure. The articles are generated from sentence templates with events, places, dates and figures, so every
stage has work to do; each article is unique, so nothing is skipped as already stored.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

NL = [
    "Gisteren reed een vrachtwagen in op een markt in {city_nl}, waarbij minstens {n} doden vielen.",
    "De politie heeft {weekday_nl} {m} verdachten aangehouden in {city_nl}.",
    "Islamitische Staat heeft de aanslag opgeëist via een eigen persbureau.",
    "Bij een luchtaanval op {city_nl} kwamen volgens ooggetuigen {n} burgers om het leven.",
    "Het Iraakse leger probeert al weken de stad {city_nl} in te nemen.",
    "Op sociale media werden aanhangers opgeroepen om nieuwe aanslagen te plegen.",
    "De kans op nieuwe aanslagen blijft groot, zeggen deskundigen.",
    "Volgens de burgemeester is de rust in de wijk inmiddels teruggekeerd.",
    "De minister van Justitie zei dat het onderzoek nog in volle gang is.",
    "In de binnenstad werden tientallen mensen gewond door rondvliegend glas.",
    "De verdachte, een {age}-jarige man uit {city_nl}, zou banden hebben met een extremistische groep.",
    "Het kabinet vergadert morgen over extra beveiliging van evenementen.",
]
EN = [
    "A gunman opened fire outside a mosque in {city_en} on {weekday_en}, killing {n} people.",
    "Police arrested {m} suspects in {city_en} after a raid early on Tuesday.",
    "The Islamic State group claimed responsibility for the bombing in a statement.",
    "An air strike on {city_en} killed at least {n} civilians, a monitoring group said.",
    "Government forces have been trying to recapture {city_en} for weeks.",
    "Supporters were urged on messaging channels to carry out further attacks.",
    "Experts warned that the risk of new attacks remains high.",
    "The mayor said calm had returned to the neighbourhood by the evening.",
    "The justice minister said the investigation was still under way.",
    "Dozens of people were wounded by flying glass in the city centre.",
    "The suspect, a {age}-year-old man from {city_en}, is believed to have links to an extremist group.",
    "Officials will meet tomorrow to discuss extra security at public events.",
]
CITIES = [("Berlijn", "Berlin"), ("Parijs", "Paris"), ("Brussel", "Brussels"), ("Mosoel", "Mosul"),
          ("Aleppo", "Aleppo"), ("Kabul", "Kabul"), ("Londen", "London"), ("Utrecht", "Utrecht"),
          ("Bamako", "Bamako"), ("Nice", "Nice"), ("Istanboel", "Istanbul"), ("Bagdad", "Baghdad")]
WEEKDAYS = [("maandag", "Monday"), ("dinsdag", "Tuesday"), ("woensdag", "Wednesday"), ("zaterdag", "Saturday")]


# Filler words: three syllables each, lower case (no name, place or event word), 12^3 of them.
SYLLABLES = ("ka", "lo", "mi", "ve", "ru", "sa", "de", "no", "pi", "te", "bo", "la")


def filler_sentence(rng: random.Random, words: int = 10) -> str:
    """A sentence of made-up lower-case words: text no lexicon knows, unique to its article."""
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(words)) + "."


def generate(n_articles: int, words: int, seed: int = 7, start: int = 0, years: tuple[int, ...] = (2019,),
             filler: int = 0) -> list[dict]:
    """Articles number `start` to `start + n_articles - 1` (unique texts), published in `years`. With `filler`,
    that many sentences of made-up words follow every four template sentences, so that two articles share about as
    few word 5-grams as two real news articles do (benchmarks/scaling.py)."""
    rng = random.Random(seed)
    articles = []
    for i in range(start, start + n_articles):
        language = "nl" if i % 2 == 0 else "en"
        templates = NL if language == "nl" else EN
        paragraphs, count = [], 0
        while count < words:
            city_nl, city_en = rng.choice(CITIES)
            wd_nl, wd_en = rng.choice(WEEKDAYS)
            sentences = [rng.choice(templates).format(city_nl=city_nl, city_en=city_en, weekday_nl=wd_nl,
                                                      weekday_en=wd_en, n=rng.randint(2, 90), m=rng.randint(2, 9),
                                                      age=rng.randint(18, 60)) for _ in range(4)]
            sentences += [filler_sentence(rng) for _ in range(filler)]
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        paragraphs.append(f"(Artikel {i})" if language == "nl" else f"(Article {i})")
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        year = years[0] if len(years) == 1 else rng.choice(years)
        articles.append({"text": "\n\n".join(paragraphs), "language": language,
                         "published": f"{year}-{month:02d}-{day:02d}", "url": f"bench:{i}"})
    return articles


def machine_load() -> str:
    """The load average and how many cores are free (cores minus the 1-minute load), for the figures' context."""
    one, five, fifteen = os.getloadavg()
    cores = os.cpu_count() or 1
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}; {cores} cores, {max(0.0, cores - one):.1f} free"


def spread(values: list[float]) -> str:
    """'median (min–max)' of a figure measured several times."""
    return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (median and range are printed)")
    ap.add_argument("--profile", metavar="FILE", help="write a cProfile of one whole ingest to FILE")
    args = ap.parse_args()

    from kroniek.ingest.sources import read_sources
    from kroniek.pipeline import ingest_into, process_document, warm_up
    from kroniek.records import RawDocument
    from kroniek.store import Store

    print(f"before: {machine_load()}")
    articles = generate(args.articles, args.words)
    mean_words = sum(len(a["text"].split()) for a in articles) / len(articles)
    t0, c0 = time.perf_counter(), time.process_time()
    warm_up()
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0

    raws = [RawDocument(a["url"], a["text"].encode("utf-8"), "text",
                        {"language": a["language"], "published": a["published"], "url": a["url"]}) for a in articles]
    n = len(articles)
    pipeline_cpu, pipeline_wall, total_cpu, total_wall = [], [], [], []
    events = 0
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        feed.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
        for run in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            events = sum(len(process_document(r).events) for r in raws)
            pipeline_wall.append(n / (time.perf_counter() - t0))
            pipeline_cpu.append(n / (time.process_time() - c0))
            with Store.open(Path(tmp) / f"bench{run}.duckdb") as store:
                t0, c0 = time.perf_counter(), time.process_time()
                report = ingest_into(store, read_sources([str(feed)]), batch_size=args.batch_size)
                total_wall.append(n / (time.perf_counter() - t0))
                total_cpu.append(n / (time.process_time() - c0))
        if args.profile:   # one more ingest, profiled (not counted in the figures)
            import cProfile
            with Store.open(Path(tmp) / "profiled.duckdb") as store:
                profiler = cProfile.Profile()
                profiler.enable()
                ingest_into(store, read_sources([str(feed)]), batch_size=args.batch_size)
                profiler.disable()
                profiler.dump_stats(args.profile)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {n} (mean {mean_words:.0f} words, nl and en alternating); {args.repeat} runs, median (range)")
    print(f"load (lexicons, gazetteer, language models): {load_cpu:.2f} s CPU ({load_s:.2f} s wall clock)")
    print(f"pipeline only (clean → consolidate): {spread(pipeline_cpu)} articles/s of CPU time "
          f"(wall clock {spread(pipeline_wall)}/s), {events} events")
    print(f"whole ingest (read JSONL → DuckDB): {spread(total_cpu)} articles/s of CPU time "
          f"(wall clock {spread(total_wall)}/s; {report.documents} stored, {report.events} events, "
          f"{len(report.rejects)} rejected)")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    print(f"after: {machine_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
