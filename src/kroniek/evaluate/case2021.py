"""`kroniek eval case2021`: ACLED sub-event types of English news snippets (CASE 2021 shared task 2).

Each snippet has one gold type, a CASE code for one of ACLED's 25 sub-event types ("seen") or one of five types
outside ACLED ("unseen": organised crime, disasters, diplomacy, attributions). The pipeline reads the snippet as an
English article; the snippet's predicted type is the ACLED sub-event type of its chosen event (:func:`snippet_type`),
mapped to a CASE code through ``data/crosswalks/acled.tsv``; no event with an ACLED type is no prediction.

Figures as the shared task scores subtask 1: over the snippets whose gold type is seen, accuracy and F1 per type,
then their mean weighted by gold support (weighted F1, the task's headline) and unweighted (macro F1), over the 25
types. Coverage: the share of seen snippets with any prediction. Unseen snippets are reported apart: how many got a
violent event (they should get none).

The file is all there is to tune on, so a fixed part of it is held out by a hash of the snippet's id
(:func:`held_out`): report the tuned and the held-out rows, and change nothing for the held-out row.
"""
from __future__ import annotations

import csv
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import click

from ..errors import CODES
from ..ontology import ACLED_CASE_CODES

__all__ = ["command", "Snippet", "Scores", "read_snippets", "held_out", "case_codes", "acled_to_case",
           "snippet_type", "score", "evaluate_case2021"]

HOLD_OUT_MODULUS = 3      # one snippet in three (by the hash of its id) is held out from tuning


@dataclass(frozen=True, slots=True)
class Snippet:
    id: str
    text: str
    gold: str


def case_codes() -> tuple[str, ...]:
    """The 25 seen CASE codes, in the crosswalk's order."""
    return tuple(ACLED_CASE_CODES.values())


def acled_to_case() -> dict[str, str]:
    """ACLED sub-event type name -> CASE code."""
    return dict(ACLED_CASE_CODES)


def read_snippets(path: Path) -> list[Snippet]:
    """The rows of a CASE task 2 TSV (`id`, `EventSnippet`, `SubType`; tab-separated, no quoting)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"id", "EventSnippet", "SubType"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"no column {', '.join(sorted(missing))}")
        return [Snippet(row["id"], row["EventSnippet"] or "", (row["SubType"] or "").strip()) for row in reader]


def held_out(snippet_id: str) -> bool:
    """Whether a snippet is in the held-out part: a fixed hash of its id, so the split never changes."""
    return int(hashlib.sha256(snippet_id.encode("utf-8")).hexdigest(), 16) % HOLD_OUT_MODULUS == 0


def snippet_type(events: Sequence) -> str | None:
    """The ACLED sub-event type a snippet reports: of its events that have one, an asserted one before any other,
    then the first in the text."""
    coded = [e for e in events if e.acled_sub_event_type]
    if not coded:
        return None
    best = min(coded, key=lambda e: (e.modality != "asserted", min((ev.start for ev in e.evidence), default=0)))
    return best.acled_sub_event_type


@dataclass
class Scores:
    snippets: int = 0
    correct: int = 0
    covered: int = 0
    per_type: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)   # code -> P, R, F1, n
    weighted_f1: float = 0.0
    macro_f1: float = 0.0
    unseen: int = 0
    unseen_violent: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.snippets if self.snippets else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.snippets if self.snippets else 0.0


def score(pairs: Iterable[tuple[str, str | None, bool]], codes: Sequence[str]) -> Scores:
    """Scores from (gold code, predicted code or None, whether a violent event was found) triples."""
    seen = set(codes)
    out = Scores()
    tp = {c: 0 for c in codes}
    predicted = {c: 0 for c in codes}
    gold = {c: 0 for c in codes}
    for g, p, violent in pairs:
        if g not in seen:
            out.unseen += 1
            out.unseen_violent += bool(violent)
            continue
        out.snippets += 1
        gold[g] += 1
        out.covered += p is not None
        if p in predicted:
            predicted[p] += 1
        if p == g:
            tp[g] += 1
            out.correct += 1
    f1s = []
    for c in codes:
        precision = tp[c] / predicted[c] if predicted[c] else 0.0
        recall = tp[c] / gold[c] if gold[c] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.per_type[c] = (precision, recall, f1, gold[c])
        f1s.append(f1)
    total = sum(gold.values())
    out.weighted_f1 = sum(out.per_type[c][2] * gold[c] for c in codes) / total if total else 0.0
    out.macro_f1 = sum(f1s) / len(f1s) if f1s else 0.0
    return out


@dataclass
class Result:
    all: Scores
    tuned: Scores
    held: Scores
    predictions: list[tuple[Snippet, str | None]]
    seconds: float


def evaluate_case2021(snippets: Sequence[Snippet], analyse: Callable[[str], Sequence]) -> Result:
    from ..ontology import VIOLENT_TYPES

    names = acled_to_case()
    codes = case_codes()
    rows, predictions = [], []
    started = time.process_time()
    for s in snippets:
        events = analyse(s.text)
        acled = snippet_type(events)
        code = names.get(acled) if acled else None
        violent = any(e.type in VIOLENT_TYPES and e.modality == "asserted" for e in events)
        rows.append((s, code, violent))
        predictions.append((s, code))
    seconds = time.process_time() - started
    triple = lambda keep: [(s.gold, c, v) for s, c, v in rows if keep(s)]       # noqa: E731
    return Result(score(triple(lambda s: True), codes), score(triple(lambda s: not held_out(s.id)), codes),
                  score(triple(lambda s: held_out(s.id)), codes), predictions, seconds)


def _summary(name: str, s: Scores) -> str:
    return (f"{name:<9} {s.snippets:>4} {100 * s.accuracy:>6.1f} {100 * s.weighted_f1:>8.1f} {100 * s.macro_f1:>6.1f}"
            f" {100 * s.coverage:>6.1f}   {s.unseen_violent}/{s.unseen}")


@click.command("case2021")
@click.option("--tsv", "tsv", required=True, type=click.Path(exists=True, dir_okay=False),
              help="A CASE 2021 task 2 TSV with gold types (id, EventSnippet, SubType).")
@click.option("--errors", is_flag=True, help="Also list each wrong snippet's id with gold and predicted type.")
def command(tsv: str, errors: bool) -> None:
    """ACLED sub-event types of English snippets: accuracy, weighted and macro F1 over the 25 types, coverage.

    Example: kroniek eval case2021 --tsv ../shared/data/case2021_task2_dev/dev.tsv
    """
    from ..pipeline import analyse_text, warm_up

    try:
        snippets = read_snippets(Path(tsv))
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"K250 {tsv}: {CODES['K250']} ({exc})") from exc
    warm_up(("en",))
    result = evaluate_case2021(snippets, lambda text: analyse_text(text, language="en"))
    click.echo(f"CASE 2021 task 2: {len(snippets)} snippets ({result.all.snippets} of a seen ACLED type); "
               f"held out by hash of id: {sum(held_out(s.id) for s in snippets)}")
    click.echo(f"{'part':<9} {'n':>4} {'acc':>6} {'wF1':>8} {'mF1':>6} {'cover':>6}   unseen with violence")
    for name, s in (("all", result.all), ("tuned", result.tuned), ("held-out", result.held)):
        click.echo(_summary(name, s))
    click.echo("")
    click.echo(f"{'type (all)':<30} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for code, (p, r, f, n) in result.all.per_type.items():
        click.echo(f"{code:<30} {100 * p:>6.1f} {100 * r:>6.1f} {100 * f:>6.1f} {n:>4}")
    if errors:
        click.echo("")
        for s, code in result.predictions:
            if code != s.gold:
                click.echo(f"{s.id}\t{s.gold}\t{code or '-'}\t{'held-out' if held_out(s.id) else 'tuned'}")
    click.echo(f"throughput: {len(snippets) / max(result.seconds, 1e-9):.1f} snippets/s (CPU, one process)")
