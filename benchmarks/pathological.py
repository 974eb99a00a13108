"""Time of each pipeline stage on pathological documents at growing sizes: near-linear means the time per byte
stays flat as the size doubles (issue 16, item 9).

    python benchmarks/pathological.py                 # sizes 100 KB .. 800 KB, every case
    python benchmarks/pathological.py --sizes 1e6,2e6,5e6 --cases long_line

Cases: one long line of Dutch clauses (no full stop), one word repeated, 100,000-style nested <a> tags, many
ordinary sentences, an English list without stops. A document over the per-document budget is rejected (K123):
that is reported, and the time it took to say so.
"""
from __future__ import annotations

import argparse
import time

from kroniek.clean import clean_document
from kroniek.langid import identify_language
from kroniek.pipeline import events_of_article, process_document, warm_up
from kroniek.records import RawDocument, Rejected

NL = "Gisteren reed een vrachtwagen in op een kerstmarkt in Keulen. Daarbij kwamen twaalf mensen om het leven. "
EN = "a gunman opened fire at a mosque in Quebec City, killing six people and wounding eight others; "


def make(case: str, size: int) -> tuple[bytes, str, str]:
    if case == "long_line":
        return (NL.replace(". ", ", ") * (size // len(NL))).encode(), "text", "nl"
    if case == "one_word":
        return ("aanslag " * (size // 8)).encode(), "text", "nl"
    if case == "nested_a":
        n = size // 16
        return ("<html><body>" + "<a href='x'>" * n + NL + "</a>" * n + "</body></html>").encode(), "html", "nl"
    if case == "sentences":
        return (NL * (size // len(NL))).encode(), "text", "nl"
    if case == "en_list":
        return (EN * (size // len(EN))).encode(), "text", "en"
    raise SystemExit(f"unknown case {case}")


CASES = ("long_line", "one_word", "nested_a", "sentences", "en_list")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1e5,2e5,4e5,8e5")
    parser.add_argument("--cases", default=",".join(CASES))
    args = parser.parse_args()
    warm_up()
    print(f"{'case':10} {'bytes':>10} {'clean':>7} {'langid':>7} {'rest':>7} {'total':>7} {'µs/byte':>8}  result")
    for case in args.cases.split(","):
        for size in (int(float(s)) for s in args.sizes.split(",")):
            content, media_type, language = make(case, size)
            raw = RawDocument(case, content, media_type, {"language": language, "published": "2016-12-20"})
            t0 = time.perf_counter()
            article = clean_document(raw)
            t1 = time.perf_counter()
            rest = t2 = t1
            result = "rejected " + article.code if isinstance(article, Rejected) else ""
            if not result:
                article = identify_language(article)
                t2 = time.perf_counter()
                outcome = process_document(raw)     # the whole path again, with the budget, as ingest runs it
                if isinstance(outcome, Rejected):
                    result = "rejected " + outcome.code
                else:
                    t2b = time.perf_counter()
                    events = events_of_article(article)
                    rest = time.perf_counter() - t2b
                    result = f"{len(events)} events"
            total = (t1 - t0) + (t2 - t1) + (rest if isinstance(rest, float) and rest < 1e6 and rest != t1 else 0)
            print(f"{case:10} {len(content):>10,} {t1 - t0:7.2f} {t2 - t1:7.2f} {rest if rest != t1 else 0:7.2f} "
                  f"{total:7.2f} {total / len(content) * 1e6:8.2f}  {result}", flush=True)


if __name__ == "__main__":
    main()
