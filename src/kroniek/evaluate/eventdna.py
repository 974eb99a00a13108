"""`kroniek eval eventdna`: Dutch event triggers and types against each EventDNA annotator.

EventDNA (LT3, Ghent) marks an event as a whole clause ("Vrouwen en kinderen met IS-banden
mishandeld in Iraakse kampen"), not as a trigger word, so a predicted trigger matches a gold event
when their character spans **overlap** (the lenient rule, the headline figure). The **strict** rule
asks that the predicted trigger lie wholly inside the gold span. Exact span match would be
meaningless against clause-long spans and is not reported. Predictions and gold events are
matched one-to-one (maximum matching), so two triggers inside one gold clause count once.

Scored types: Conflict.Attack, Life.Die, Life.Injure, Justice.ArrestJail. Kroniek's events map to
them through ``data/crosswalks/eventdna.json``: an attack, clash or strike gives Conflict.Attack at
its trigger; a ``killing`` gives Life.Die at its trigger; and an event's fatalities / injuries
evidence gives Life.Die / Life.Injure at the casualty words ("drie doden"), because EventDNA files a
death or injury as an event of its own. Annotator agreement is the same measure between each
pair of annotators (F1 of i against j), averaged over pairs.

The text given to the pipeline is EventDNA's tokenisation: tokens joined by spaces, sentences by
newlines, so character offsets map back to tokens exactly.
"""
from __future__ import annotations

import itertools
import json
import time
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import click
import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = [
    "command", "GoldDocument", "Mention", "load_eventdna", "spans_match", "count_matches",
    "events_to_mentions", "Counts", "score_against", "annotator_agreement",
]

RULES = ("overlap", "strict")


@dataclass(frozen=True, slots=True)
class Mention:
    """An event mention: character span and EventDNA type ("Conflict.Attack")."""
    start: int
    end: int
    type: str


@dataclass(frozen=True, slots=True)
class GoldDocument:
    doc_id: str
    text: str
    annotators: Mapping[str, tuple[Mention, ...]]     # annotator -> their scored-type events


@dataclass
class Counts:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: "Counts") -> None:
        self.matched += other.matched
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@lru_cache(maxsize=1)
def load_crosswalk() -> dict[str, Any]:
    """The Kroniek -> EventDNA crosswalk (data/crosswalks/eventdna.json), loaded once."""
    source = resources.files("kroniek") / "data" / "crosswalks" / "eventdna.json"
    return json.loads(source.read_text(encoding="utf-8"))


def _document_text(doc: Mapping[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    tokens = doc["token_string"].split(" ")
    offsets: list[tuple[int, int] | None] = [None] * len(tokens)
    parts: list[str] = []
    position = 0
    sentences = sorted(doc["sentences"].values(), key=lambda s: s["token_ids"][0] if s["token_ids"] else 0)
    for number, sentence in enumerate(sentences):
        if number:
            parts.append("\n")
            position += 1
        for k, token_id in enumerate(sentence["token_ids"]):
            if k:
                parts.append(" ")
                position += 1
            offsets[token_id] = (position, position + len(tokens[token_id]))
            parts.append(tokens[token_id])
            position += len(tokens[token_id])
    if any(o is None for o in offsets):
        raise ValueError("a token belongs to no sentence")
    return "".join(parts), offsets  # type: ignore[return-value]


def load_eventdna(path: str | Path, scored_types: Iterable[str] | None = None) -> list[GoldDocument]:
    """Read EventDNA's IAA zip (``<doc>/eventdna_anno_N.dnaf.json``): one GoldDocument per folder."""
    scored = frozenset(scored_types or load_crosswalk()["scored_types"])
    by_doc: dict[str, dict[str, Any]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".dnaf.json"):
                continue
            folder, annotator = name.rsplit("/", 1)[-2:] if "/" in name else ("", name)
            by_doc.setdefault(folder, {})[annotator.removesuffix(".dnaf.json")] = json.loads(archive.read(name))
    documents = []
    for doc_id, files in sorted(by_doc.items()):
        first = next(iter(files.values()))["doc"]
        text, offsets = _document_text(first)
        annotators = {}
        for annotator, raw in sorted(files.items()):
            events = []
            for event in raw["doc"]["annotations"]["events"].values():
                features = event["features"]
                kind = f"{features.get('type')}.{features.get('subtype')}"
                if kind not in scored or not features.get("span"):
                    continue
                span = features["span"]
                events.append(Mention(offsets[min(span)][0], offsets[max(span)][1], kind))
            annotators[annotator] = tuple(sorted(set(events), key=lambda m: (m.start, m.end, m.type)))
        documents.append(GoldDocument(doc_id, text, annotators))
    return documents


def spans_match(predicted: Mention, gold: Mention, rule: str = "overlap") -> bool:
    """Overlap: the spans share a character. Strict: the prediction lies wholly inside the gold span."""
    if rule == "overlap":
        return predicted.start < gold.end and gold.start < predicted.end
    if rule == "strict":
        return gold.start <= predicted.start and predicted.end <= gold.end
    raise ValueError(f"unknown rule {rule!r}; use one of {RULES}")


def count_matches(predicted: Sequence[Mention], gold: Sequence[Mention], rule: str = "overlap",
                  typed: bool = True) -> Counts:
    """One-to-one matches (maximum matching) between predicted and gold mentions of one document."""
    counts = Counts(0, len(predicted), len(gold))
    if predicted and gold:
        fits = np.array([[spans_match(p, g, rule) and (not typed or p.type == g.type) for p in predicted]
                         for g in gold], dtype=float)
        rows, cols = linear_sum_assignment(-fits)
        counts.matched = int(fits[rows, cols].sum())
    return counts


def _get(record: Any, name: str, default: Any = None) -> Any:
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def events_to_mentions(events: Iterable[Any]) -> list[Mention]:
    """Kroniek events -> EventDNA mentions through the crosswalk (see the module docstring)."""
    crosswalk = load_crosswalk()
    trigger_fields = crosswalk["trigger_fields"]
    mentions: set[Mention] = set()
    for event in events:
        evidence = list(_get(event, "evidence", ()) or ())
        rule = next((r for r in crosswalk["events"] if r["type"] == _get(event, "type")
                     and r["subtype"] in ("*", _get(event, "subtype"))), None)
        # The words that name each mention of the event (Event.triggers); older records only have evidence.
        named = list(_get(event, "triggers", ()) or ())
        if rule and named:
            for t in named:
                mentions.add(Mention(_get(t, "start"), _get(t, "end"), rule["eventdna"]))
            named = True
        triggers = [e for e in evidence if _get(e, "field") in trigger_fields]
        if rule and triggers and named is not True:
            narrowest = min(triggers, key=lambda e: _get(e, "end") - _get(e, "start"))
            mentions.add(Mention(_get(narrowest, "start"), _get(narrowest, "end"), rule["eventdna"]))
        for field, kind in crosswalk["casualties"].items():
            for e in evidence:
                if _get(e, "field") == field:
                    mentions.add(Mention(_get(e, "start"), _get(e, "end"), kind))
    return sorted(mentions, key=lambda m: (m.start, m.end, m.type))


def score_against(predictions: Mapping[str, Sequence[Mention]], documents: Sequence[GoldDocument],
                  annotator: str, rule: str, typed: bool, kind: str | None = None) -> Counts:
    """Predictions against one annotator over all documents; ``kind`` restricts to one type."""
    total = Counts()
    for doc in documents:
        gold = [m for m in doc.annotators.get(annotator, ()) if kind is None or m.type == kind]
        predicted = [m for m in predictions.get(doc.doc_id, ()) if kind is None or m.type == kind]
        total.add(count_matches(predicted, gold, rule, typed))
    return total


def annotator_agreement(documents: Sequence[GoldDocument], rule: str, typed: bool,
                        kind: str | None = None) -> float:
    """Mean F1 of annotator i against annotator j over all ordered pairs (symmetric for overlap)."""
    names = sorted({a for doc in documents for a in doc.annotators})
    scores = []
    for first, second in itertools.permutations(names, 2):
        predictions = {doc.doc_id: doc.annotators.get(first, ()) for doc in documents}
        scores.append(score_against(predictions, documents, second, rule, typed, kind).f1)
    return sum(scores) / len(scores) if scores else 0.0


def _report(predictions: Mapping[str, Sequence[Mention]], documents: Sequence[GoldDocument]) -> list[str]:
    names = sorted({a for doc in documents for a in doc.annotators})
    kinds = load_crosswalk()["scored_types"]
    lines = []
    for rule in RULES:
        lines.append(f"rule: {rule}" + ("  (spans overlap)" if rule == "overlap" else "  (trigger inside the gold span)"))
        header = f"  {'measure':<28}" + "".join(f"{n.removeprefix('eventdna_'):>16}" for n in names) + f"{'annotators agree':>18}"
        lines.append(header)
        rows = [("trigger (any scored type)", False, None), ("trigger + type", True, None)]
        rows += [(f"  {k}", True, k) for k in kinds]
        for label, typed, kind in rows:
            cells = []
            for name in names:
                c = score_against(predictions, documents, name, rule, typed, kind)
                cells.append(f"{100 * c.f1:6.1f} ({c.matched}/{c.predicted}/{c.gold})".rjust(16))
            agreement = annotator_agreement(documents, rule, typed, kind)
            lines.append(f"  {label:<28}" + "".join(cells) + f"{100 * agreement:18.1f}")
    lines.append("cells: F1 (matched / predicted / gold) against each annotator; agreement: mean pairwise F1")
    return lines


def predict_documents(documents: Sequence[GoldDocument], analyse: Callable[[str], Sequence[Any]]
                      ) -> tuple[dict[str, list[Mention]], float]:
    """Run ``analyse`` (text -> events) on every document; returns mentions and seconds spent."""
    started = time.perf_counter()
    predictions = {doc.doc_id: events_to_mentions(analyse(doc.text)) for doc in documents}
    return predictions, time.perf_counter() - started


@click.command("eventdna")
@click.option("--zip", "zip_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="EventDNA's iaa_set_dnaf.zip.")
def command(zip_path: str) -> None:
    """Dutch triggers and types (Attack, Die, Injure, ArrestJail) against each EventDNA annotator.

    Example: kroniek eval eventdna --zip ../shared/data/eventdna_iaa_nl/iaa_set_dnaf.zip
    """
    try:
        documents = load_eventdna(zip_path)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise click.ClickException(f"{zip_path}: not an EventDNA DNAF zip ({exc})") from exc
    try:
        from kroniek.pipeline import analyse_text
    except ImportError:
        raise click.ClickException("the pipeline (kroniek.pipeline.analyse_text) is not available yet") from None
    predictions, seconds = predict_documents(documents, lambda text: analyse_text(text, language="nl"))
    click.echo(f"EventDNA IAA set: {len(documents)} Dutch documents")
    for line in _report(predictions, documents):
        click.echo(line)
    click.echo(f"throughput: {len(documents) / max(seconds, 1e-9):.1f} documents/s "
               f"({len(documents)} documents in {seconds:.2f} s, one process)")
