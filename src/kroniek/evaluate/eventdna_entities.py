"""`kroniek eval eventdna-entities`: Kroniek's name finders against EventDNA's named entities (PER, ORG, LOC, MISC).

EventDNA (../shared/data/eventdna_nl, SOURCE.md there) annotates entity mentions at three levels: names (NAM),
nominals (NOM, "de schutter") and pronouns (PRON). Kroniek's place, person and actor finders look for names, so only
NAM mentions are gold here. A found span counts when its type is right and its tokens are exactly the gold's
(`exact`), or when it overlaps a gold name of its type (`overlap`, each gold and each found span used once).
Types come through the same crosswalk as `kroniek eval ner` (data/crosswalks/ner_labels.tsv). EventDNA files
demonyms ("Israëlische") as LOC; the crosswalk gives them MISC, as CoNLL-2002 does, so they count as misses.
"""
from __future__ import annotations

import gzip
import json
import time
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Mapping, Sequence

import click

from .ner import TYPES, Finder, NerScores, TypeScore, format_report, load_finders, predict_sentence

__all__ = ["read_documents", "gold_names", "score_documents", "command"]

LEVELS = ("NAM",)


def read_documents(path: str | Path) -> list[dict]:
    """The DNAF documents of a JSON Lines file (`{"id": ..., "dnaf": ...}` a line; .gz ok)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _token_offsets(text: str) -> tuple[list[int], list[int]]:
    starts, ends, position = [], [], 0
    for token in text.split(" "):
        starts.append(position)
        ends.append(position + len(token))
        position += len(token) + 1
    return starts, ends


def gold_names(dnaf: Mapping) -> set[tuple[int, int, str]]:
    """(first token, last token, type) of every named entity mention (NAM) of one document."""
    out = set()
    for entity in dnaf["doc"]["annotations"].get("entities", {}).values():
        features = entity["features"]
        span = features.get("span") or []
        if features.get("mention_level_type") in LEVELS and features.get("type") in TYPES and span:
            out.add((min(span), max(span), features["type"]))
    return out


def _predicted(text: str, finders: Mapping[str, Finder]) -> set[tuple[int, int, str]]:
    starts, ends = _token_offsets(text)
    out = set()
    for start, end, kind in predict_sentence(text, finders, "nl"):
        first = bisect_right(starts, start) - 1
        last = min(bisect_left(ends, end), len(ends) - 1)
        if first >= 0:
            out.add((first, last, kind))
    return out


def score_documents(documents: Sequence[Mapping], finders: Mapping[str, Finder]) -> tuple[NerScores, NerScores]:
    """Exact and overlap scores per type over the documents."""
    exact = NerScores({kind: TypeScore() for kind in TYPES})
    overlap = NerScores({kind: TypeScore() for kind in TYPES})
    for document in documents:
        dnaf = document["dnaf"]
        gold = gold_names(dnaf)
        found = _predicted(dnaf["doc"]["token_string"], finders)
        for kind in TYPES:
            g = {x for x in gold if x[2] == kind}
            f = {x for x in found if x[2] == kind}
            s = exact.by_type[kind]
            s.true_positives += len(g & f)
            s.false_positives += len(f - g)
            s.false_negatives += len(g - f)
            used: set = set()
            matched = 0
            for a in sorted(f):
                hit = next((b for b in sorted(g) if b not in used and a[0] <= b[1] and b[0] <= a[1]), None)
                if hit is not None:
                    used.add(hit)
                    matched += 1
            o = overlap.by_type[kind]
            o.true_positives += matched
            o.false_positives += len(f) - matched
            o.false_negatives += len(g) - matched
    return exact, overlap


@click.command("eventdna-entities")
@click.option("--jsonl", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="EventDNA documents, one DNAF a line (../shared/data/eventdna_nl/dev.jsonl.gz).")
@click.option("--names-model", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Add the learned name tagger with this model (from `kroniek train names`).")
def command(path: str, names_model: str | None) -> None:
    """Score the place, person and actor finders against EventDNA's named entities (NAM), per type.

    Example: kroniek eval eventdna-entities --jsonl ../shared/data/eventdna_nl/dev.jsonl.gz
    """
    documents = read_documents(path)
    finders = load_finders()
    if names_model:
        from kroniek.annotate.names import find_names, load_name_model
        model = load_name_model(names_model)
        finders["names"] = lambda text, lang: find_names(text, lang, model)
    predict_sentence("Warm-up in Gent.", finders, "nl")
    began = time.perf_counter()
    exact, overlap = score_documents(documents, finders)
    seconds = time.perf_counter() - began
    heading = f"EventDNA entities (NAM mentions): {len(documents)} documents; finders: {', '.join(sorted(finders))}"
    click.echo(format_report(exact, heading + "\nexact token spans"))
    click.echo(format_report(overlap, "overlapping spans"))
    click.echo(f"throughput: {len(documents) / max(seconds, 1e-9):.1f} documents/s ({seconds:.2f} s, one process)")
