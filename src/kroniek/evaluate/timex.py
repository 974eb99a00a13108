"""`kroniek eval timex`: time expressions on TimeML (TempEval-3), scored as TempEval-3 scores them.

Kroniek's reader is :func:`kroniek.annotate.dates.find_timexes`, run on the text inside each document's <TEXT>
with the document creation time (the TIMEX3 with functionInDocument="CREATION_TIME") as publication date. That
TIMEX3 is the anchor, not a mention, and is not scored (as in TempEval-3).

Measures (UzZaman et al. 2013, TempEval-3 task A):
    strict   a system timex with exactly the gold extent (here: the same character offsets)
    relaxed  a system timex that overlaps a gold one
    P = matched system timexes / system timexes, R = matched gold timexes / gold timexes, F1 their harmonic mean
    value F1 (and type F1): attribute precision = relaxed-matched system timexes whose value equals their gold
        timex's value / system timexes; attribute recall = the same count / gold timexes. A gold timex is paired
        with the system timex that overlaps it most.
The official scorer matches tokens; matching characters is stricter by the odd trailing punctuation only.
"""
from __future__ import annotations

import json
import tarfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator, Sequence

import click

from ..annotate.dates import Timex, find_timexes
from ..errors import EvaluationError

__all__ = ["command", "TimemlDocument", "GoldTimex", "read_timeml", "iter_documents", "score", "Scores"]


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class TimemlDocument:
    name: str
    text: str                        # the content of <TEXT>, tags removed; offsets refer to it
    creation_time: date | None
    timexes: tuple[GoldTimex, ...]


def read_timeml(name: str, content: str | bytes) -> TimemlDocument:
    """One TimeML document: its <TEXT> as plain text, the TIMEX3s in it, and the creation time."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise EvaluationError(f"{name}: not well-formed TimeML ({exc}); pass TempEval-3 .tml files") from exc
    creation = None
    for element in root.iter("TIMEX3"):
        if element.get("functionInDocument") == "CREATION_TIME":
            creation = _parse_date(element.get("value", ""))
            break
    body = root.find(".//TEXT")
    if body is None:
        raise EvaluationError(f"{name}: no <TEXT> element; pass TempEval-3 .tml files")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    _walk(body, parts, 0, timexes)
    text = "".join(parts)
    return TimemlDocument(name, text, creation, tuple(
        GoldTimex(t.start, t.end, text[t.start:t.end], t.type, t.value) for t in timexes))


def _walk(element: ET.Element, parts: list[str], offset: int, timexes: list[GoldTimex]) -> int:
    """Append element's text (not its tail) to parts; record TIMEX3 extents; return the new offset."""
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _walk(child, parts, offset, timexes)
        if child.tag == "TIMEX3" and child.get("functionInDocument") != "CREATION_TIME":
            timexes.append(GoldTimex(start, offset, "", child.get("type", ""), child.get("value", "")))
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def iter_documents(path: str | Path) -> Iterator[TimemlDocument]:
    """TimeML documents from a directory (searched recursively for *.tml) or a .tar.gz / .tgz / .tar of them,
    read in place (nothing is extracted), in name order."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.rglob("*.tml"))
        if not files:
            raise EvaluationError(f"{path}: no .tml files in this directory")
        for file in files:
            yield read_timeml(str(file.relative_to(path)), file.read_bytes())
        return
    try:
        archive = tarfile.open(path)
    except (tarfile.TarError, OSError) as exc:
        raise EvaluationError(f"{path}: not a directory or a readable tar archive ({exc})") from exc
    with archive:
        members = sorted((m for m in archive.getmembers() if m.isfile() and m.name.endswith(".tml")),
                         key=lambda m: m.name)
        if not members:
            raise EvaluationError(f"{path}: the archive holds no .tml files")
        for member in members:
            handle = archive.extractfile(member)
            if handle is not None:
                yield read_timeml(member.name, handle.read())


@dataclass(frozen=True, slots=True)
class Counts:
    """Matched counts of one measure: (system side, gold side) out of (system total, gold total)."""
    system_matched: int
    gold_matched: int
    system_total: int
    gold_total: int

    @property
    def precision(self) -> float:
        return self.system_matched / self.system_total if self.system_total else 0.0

    @property
    def recall(self) -> float:
        return self.gold_matched / self.gold_total if self.gold_total else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Scores:
    strict: Counts
    relaxed: Counts
    value: Counts
    type: Counts
    value_accuracy: float            # correct values among relaxed-matched gold timexes


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Extent without surrounding white space (some gold extents end in a space or newline)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def score(pairs: Sequence[tuple[TimemlDocument, Sequence[Timex]]]) -> Scores:
    """TempEval-3 extent and attribute scores over documents and their predicted timexes."""
    totals = {"strict": [0, 0], "relaxed": [0, 0], "value": [0, 0], "type": [0, 0]}
    n_system = n_gold = 0
    for document, predicted in pairs:
        gold = [(_trim(document.text, g.start, g.end), g) for g in document.timexes]
        system = [(_trim(document.text, *p.timeml_span), p) for p in predicted]
        n_system += len(system)
        n_gold += len(gold)
        for span, _ in system:
            totals["strict"][0] += any(span == g for g, _ in gold)
            totals["relaxed"][0] += any(_overlap(span, g) > 0 for g, _ in gold)
        for span, _ in gold:
            totals["strict"][1] += any(span == s for s, _ in system)
            totals["relaxed"][1] += any(_overlap(span, s) > 0 for s, _ in system)
        # attribute pairs: each gold timex with the system timex overlapping it most
        used: set[int] = set()
        for span, gold_timex in gold:
            best, best_overlap = None, 0
            for index, (system_span, _) in enumerate(system):
                overlap = _overlap(span, system_span)
                if overlap > best_overlap and index not in used:
                    best, best_overlap = index, overlap
            if best is None:
                continue
            used.add(best)
            predicted_timex = system[best][1]
            if predicted_timex.timeml_value == gold_timex.value:
                totals["value"][0] += 1
                totals["value"][1] += 1
            if predicted_timex.timeml_type == gold_timex.type:
                totals["type"][0] += 1
                totals["type"][1] += 1
    counts = {name: Counts(s, g, n_system, n_gold) for name, (s, g) in totals.items()}
    matched_gold = counts["relaxed"].gold_matched
    return Scores(counts["strict"], counts["relaxed"], counts["value"], counts["type"],
                  counts["value"].gold_matched / matched_gold if matched_gold else 0.0)


def format_report(scores: Scores, heading: str) -> str:
    """The scores as a small table (percentages)."""
    lines = [heading, f"{'measure':16} {'P':>7} {'R':>7} {'F1':>7}"]
    for name, counts in (("strict match", scores.strict), ("relaxed match", scores.relaxed),
                         ("value", scores.value), ("type", scores.type)):
        lines.append(f"{name:16} {100 * counts.precision:7.2f} {100 * counts.recall:7.2f} {100 * counts.f1:7.2f}")
    lines.append(f"value accuracy on relaxed matches: {100 * scores.value_accuracy:.2f}")
    lines.append(f"gold timexes: {scores.relaxed.gold_total}, system timexes: {scores.relaxed.system_total}")
    return "\n".join(lines)


@click.command("timex")
@click.option("--tml", "tml_path", required=True, type=click.Path(exists=True),
              help="TimeML data: a directory of .tml files (searched recursively) or a .tar.gz of them.")
@click.option("--language", type=click.Choice(["en", "nl"]), default="en", show_default=True,
              help="Language of the documents (TempEval-3 is English).")
@click.option("--predictions", "predictions_out", type=click.Path(dir_okay=False), default=None,
              help="Write one JSON line per document: its predicted and gold timexes.")
@click.option("--limit", type=int, default=None, help="Only the first N documents (in name order).")
def command(tml_path: str, language: str, predictions_out: str | None, limit: int | None) -> None:
    """Score time expressions (extent, TIMEX3 type and value) with TempEval-3's measures.

    Example: kroniek eval timex --tml ../shared/data/tempeval3/TBAQ-cleaned.tar.gz
    """
    try:
        documents = list(iter_documents(tml_path))
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from exc
    documents = documents[:limit] if limit else documents
    find_timexes("", language, None)            # load the lexicon before the clock starts
    started = time.process_time()
    predicted = [find_timexes(d.text, language, d.creation_time) for d in documents]
    seconds = time.process_time() - started
    pairs = list(zip(documents, predicted))
    if predictions_out:
        with open(predictions_out, "w", encoding="utf-8") as out:
            for document, timexes in pairs:
                out.write(json.dumps({
                    "document": document.name,
                    "creation_time": document.creation_time.isoformat() if document.creation_time else None,
                    "predicted": [{"start": t.timeml_span[0], "end": t.timeml_span[1],
                                   "text": document.text[t.timeml_span[0]:t.timeml_span[1]], "kind": t.kind,
                                   "type": t.timeml_type, "value": t.timeml_value} for t in timexes],
                    "gold": [{"start": g.start, "end": g.end, "text": g.text, "type": g.type, "value": g.value}
                             for g in document.timexes],
                }, ensure_ascii=False) + "\n")
    click.echo(format_report(score(pairs), f"TempEval-3 timex: {len(documents)} documents from {tml_path}"))
    if not any(d.timexes for d in documents):
        click.echo("note: these documents have no gold TIMEX3 in <TEXT> (events only?): nothing to score against")
    words = sum(len(d.text.split()) for d in documents)
    click.echo(f"throughput: {len(documents) / max(seconds, 1e-9):.0f} documents/s, "
               f"{words / max(seconds, 1e-9) / 1000:.0f}k words/s ({len(documents)} documents, {words} words, "
               f"{1000 * seconds:.0f} ms CPU, one process)")
