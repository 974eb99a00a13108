#!/usr/bin/env python3
"""Watching feeds: passes of `poll_feeds` against a local site whose feeds gain new items every pass.

Usage:
    python benchmarks/watch.py [--feeds 5] [--new 10] [--passes 20]

A site on 127.0.0.1 serves FEEDS feeds; before each pass every feed gains NEW items (pages with an attack in
Dutch or English; a feed lists its 50 newest items, as news feeds do). Each pass is one `poll_feeds` over the
same store and fetcher, as `kroniek watch` runs them for weeks. Prints, per pass, pages fetched, articles
stored, wall-clock time and the resident memory, so that growth over passes shows (it should level off once
lexicons and DuckDB's caches are loaded). Politeness delays are off (host_delay_s=0): this measures Kroniek,
not the sites.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from local_site import LocalSite, article_html, rss  # noqa: E402

from kroniek.follow.watch import poll_feeds  # noqa: E402
from kroniek.ingest.fetch import Fetcher, FetchSettings  # noqa: E402
from kroniek.ingest.web import WebReader  # noqa: E402
from kroniek.store import Store  # noqa: E402
from kroniek.store.follow import FollowTables  # noqa: E402

CITIES = [("Keulen", "Cologne"), ("Parijs", "Paris"), ("Brussel", "Brussels"), ("Londen", "London"),
          ("Berlijn", "Berlin"), ("Madrid", "Madrid"), ("Wenen", "Vienna"), ("Rome", "Rome")]


def _page(n: int) -> str:
    nl, en = CITIES[n % len(CITIES)]
    if n % 2:
        return article_html(f"Aanslag in {nl} ({n})", [
            f"Gisteravond reed een vrachtwagen in op een markt in {nl}. Er vielen minstens {n % 9 + 2} doden en "
            f"tientallen gewonden. De politie heeft een verdachte aangehouden. Artikel {n}."], "2016-12-20")
    return article_html(f"Gunman kills {n % 9 + 2} in {en} ({n})", [
        f"A gunman opened fire on a crowd in {en} on Saturday, killing {n % 9 + 2} people and wounding seven, "
        f"police said. The suspect was arrested an hour later. Report {n}."], "2016-10-02")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=5)
    parser.add_argument("--new", type=int, default=10, help="new items per feed per pass")
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--python-heap", action="store_true",
                        help="also print the Python heap (tracemalloc; slower): what Kroniek's own objects hold, "
                             "apart from DuckDB's buffer cache, which grows with the database")
    args = parser.parse_args()
    if args.python_heap:
        import tracemalloc
        tracemalloc.start()
    items: dict[int, list] = {f: [] for f in range(args.feeds)}
    counter = 0
    with LocalSite() as site, tempfile.TemporaryDirectory() as tmp:
        for f in range(args.feeds):
            site.routes[f"/feed{f}.xml"] = (lambda f: lambda request, count: __import__("local_site").Answer(
                200, rss(f"Feed {f}", items[f][-50:]).encode(), {"Content-Type": "application/rss+xml"}))(f)
        store = Store.open(Path(tmp) / "watch.duckdb")
        follow = FollowTables(store.cursor())
        for f in range(args.feeds):
            follow.add_feed(f"{site.url}/feed{f}.xml", f"feed{f}", datetime(2024, 1, 1))
        reader = WebReader(Fetcher(FetchSettings(allow_private_hosts=True, host_delay_s=0, per_host=4)))
        print(f"{'pass':>4} {'fetched':>8} {'stored':>7} {'seconds':>8} {'peak MB':>8}"
              + (f" {'heap MB':>8}" if args.python_heap else ""))
        for p in range(args.passes):
            for f in range(args.feeds):
                for _ in range(args.new):
                    counter += 1
                    site.page(f"/a/{counter}", _page(counter))
                    items[f].append((f"i{counter}", f"{site.url}/a/{counter}", None))
            site.clear_log()
            started = time.perf_counter()
            report = poll_feeds(store, follow, reader, now=datetime(2024, 1, 1) + timedelta(minutes=15 * p),
                                on_line=lambda line: None)
            seconds = time.perf_counter() - started
            pages = sum(1 for path in site.paths() if path.startswith("/a/"))
            heap = ""
            if args.python_heap:
                import gc
                import tracemalloc
                gc.collect()
                heap = f" {tracemalloc.get_traced_memory()[0] / 2**20:>8.1f}"
            print(f"{p + 1:>4} {pages:>8} {report.documents:>7} {seconds:>8.2f} {_peak_mb():>8.0f}{heap}")
        reader.close()
        store.close()


if __name__ == "__main__":
    main()
