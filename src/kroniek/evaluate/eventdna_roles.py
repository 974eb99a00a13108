"""`kroniek eval eventdna-roles`: who, whom, where, when and with what, against EventDNA's event arguments.

EventDNA (../shared/data/eventdna_nl, SOURCE.md there) gives each event mention (a clause) its arguments: token
spans with a role (Attacker, Target, Victim, Agent, Person, Place, Time, Instrument, DemonstrateEntity, ...).
Kroniek's events become EventDNA mentions as in `kroniek eval eventdna` (crosswalks/eventdna.json: the trigger words
give Conflict.Attack / Life.Die / Justice.ArrestJail, the fatalities / injuries words give Life.Die / Life.Injure),
plus protests and riots as Conflict.Demonstrate (crosswalks/eventdna_roles.json). That file also maps each scored
type's roles to the record's fields: actors by role, targets, location, date, casualty words and weapon evidence.

A predicted argument is a span of the document: an actor's or target's words, a location's or date's words, or an
evidence span of that field, **in the sentence of the mention** (EventDNA's arguments stand in their event's
sentence: 7,841 of 7,854 in train). Scoring:

1. Predicted and gold mentions of one document are matched one-to-one by type and overlapping spans (maximum
   matching), as `kroniek eval eventdna` does.
2. Within a matched pair, the arguments of each role are matched one-to-one (maximum matching). An argument of an
   unmatched predicted mention is a false positive; one of an unmatched gold mention a miss.
3. Two rules. **overlap** (lenient): the token spans share a token. **head** (strict): the predicted span lies
   inside the gold span and holds the gold head, which is the head EventDNA gives the entity mention with exactly
   the argument's span; where no entity has that span (times, most places and instruments), the whole span is the
   head, so the rule asks for the exact span.

The figures are micro-averaged over the roles of the scored types, with a row per (type, role). Documents named
as the dev member of a train/dev pair in near_duplicates.tsv (beside the JSON Lines file) are dropped, as SOURCE.md
asks.
"""
from __future__ import annotations

import csv
import json
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import click
import numpy as np
from scipy.optimize import linear_sum_assignment

from .eventdna import Counts, _document_text, _get, load_crosswalk
from .eventdna_entities import read_documents

__all__ = ["RULES", "Argument", "RoleMention", "load_role_crosswalk", "gold_mentions",
           "predicted_mentions", "score_document", "RoleScores", "dropped_near_duplicates", "evaluate", "command"]

RULES = ("overlap", "head")


@dataclass(frozen=True, slots=True)
class Argument:
    role: str
    first: int                        # token indices, inclusive
    last: int
    head: tuple[int, int] | None = None   # gold only: (first, last) token of the head


@dataclass(frozen=True, slots=True)
class RoleMention:
    """An event mention (EventDNA type, first and last token) with its arguments: gold or predicted."""
    type: str
    first: int
    last: int
    arguments: tuple[Argument, ...]



@dataclass
class RoleScores:
    """Counts per (type, role) for each rule; ``events`` counts the mention matching."""
    by_role: dict[str, dict[tuple[str, str], Counts]] = field(default_factory=lambda: {r: {} for r in RULES})
    events: Counts = field(default_factory=Counts)
    # the same counts over matched mention pairs only: how good the roles are where the event is found
    matched_only: dict[str, dict[tuple[str, str], Counts]] = field(default_factory=lambda: {r: {} for r in RULES})

    def cell(self, rule: str, key: tuple[str, str]) -> Counts:
        return self.by_role[rule].setdefault(key, Counts())

    def micro(self, rule: str, role: str | None = None, matched_only: bool = False) -> Counts:
        total = Counts()
        for (_, r), counts in (self.matched_only if matched_only else self.by_role)[rule].items():
            if role is None or r == role:
                total.add(counts)
        return total


@lru_cache(maxsize=1)
def load_role_crosswalk() -> dict[str, Any]:
    """data/crosswalks/eventdna_roles.json, loaded once."""
    source = resources.files("kroniek") / "data" / "crosswalks" / "eventdna_roles.json"
    return json.loads(source.read_text(encoding="utf-8"))


def _scored_types() -> tuple[str, ...]:
    return tuple(load_role_crosswalk()["roles"])


# -- gold --------------------------------------------------------------------------------------------------------------

def gold_mentions(dnaf: Mapping[str, Any]) -> list[RoleMention]:
    """The document's event mentions of the scored types, with their arguments of the scored roles."""
    doc = dnaf["doc"]
    roles = load_role_crosswalk()["roles"]
    heads: dict[tuple[int, int], tuple[int, int]] = {}
    for entity in doc["annotations"].get("entities", {}).values():
        features = entity["features"]
        span = features.get("span") or []
        head = ((features.get("head") or {}).get("features") or {}).get("span") or []
        if span and head:
            heads[(min(span), max(span))] = (min(head), max(head))
    out = []
    for event in doc["annotations"].get("events", {}).values():
        features = event["features"]
        kind = f"{features.get('type')}.{features.get('subtype')}"
        if kind not in roles or not features.get("span"):
            continue
        arguments = []
        for argument in features.get("arguments") or ():
            role = argument["features"].get("argument_role")
            span = argument["features"].get("span") or []
            if role in roles[kind] and span:
                first, last = min(span), max(span)
                arguments.append(Argument(role, first, last, heads.get((first, last), (first, last))))
        out.append(RoleMention(kind, min(features["span"]), max(features["span"]), tuple(sorted(set(arguments),
                               key=lambda a: (a.role, a.first, a.last)))))
    return sorted(out, key=lambda m: (m.first, m.last, m.type))


# -- predictions -------------------------------------------------------------------------------------------------------

class _Tokens:
    """Character offsets of the DNAF text as built by eventdna._document_text, back to token indices."""

    def __init__(self, offsets: Sequence[tuple[int, int]], sentences: Sequence[tuple[int, int]]):
        order = sorted(range(len(offsets)), key=lambda i: offsets[i][0])
        self.starts = [offsets[i][0] for i in order]
        self.ends = [offsets[i][1] for i in order]
        self.ids = order
        self.sentences = sentences            # character (start, end) of each sentence line

    def tokens(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last token overlapping [start, end), None if none does."""
        hits = [self.ids[k] for k in range(max(0, bisect_right(self.starts, start) - 1), len(self.starts))
                if self.starts[k] < end and start < self.ends[k]]
        return (min(hits), max(hits)) if hits else None

    def sentence_of(self, offset: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= offset <= end:
                return start, end
        return self.sentences[-1]


def _sentence_lines(text: str) -> list[tuple[int, int]]:
    lines, position = [], 0
    for line in text.split("\n"):
        lines.append((position, position + len(line)))
        position += len(line) + 1
    return lines


def _find_all(text: str, words: str, start: int, end: int) -> list[tuple[int, int]]:
    """Occurrences of ``words`` in text[start:end], case-sensitive ones first, else case-insensitive."""
    if not words:
        return []
    for haystack, needle in ((text, words), (text.lower(), words.lower())):
        found, at = [], haystack.find(needle, start, end)
        while at != -1:
            found.append((at, at + len(needle)))
            at = haystack.find(needle, at + 1, end)
        if found:
            return found
    return []


def _event_rule(event: Any) -> str | None:
    rules = list(load_crosswalk()["events"]) + list(load_role_crosswalk()["extra_events"])
    rule = next((r for r in rules if r["type"] == _get(event, "type") and r["subtype"] in ("*", _get(event, "subtype"))),
                None)
    return rule["eventdna"] if rule else None


def _field_spans(event: Any, source: str, text: str, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    """Character spans in ``sentence`` that the record's ``source`` (crosswalk notation) names."""
    start, end = sentence
    spans: list[tuple[int, int]] = []
    if source.startswith("actor:"):
        role = source.split(":", 1)[1]
        for actor in _get(event, "actors", ()) or ():
            if _get(actor, "role") == role:
                spans += _find_all(text, _get(actor, "text") or _get(actor, "name") or "", start, end)
        return spans
    if source == "targets":
        for target in _get(event, "targets", ()) or ():
            spans += _find_all(text, target, start, end)
        return spans
    value = {"location": _get(event, "location"), "date": _get(event, "date"), "fatalities": _get(event, "fatalities"),
             "injuries": _get(event, "injuries")}.get(source)
    if value is not None and _get(value, "text"):
        spans += _find_all(text, _get(value, "text"), start, end)
    for e in _get(event, "evidence", ()) or ():
        if _get(e, "field") == source and start <= _get(e, "start") and _get(e, "end") <= end:
            spans.append((_get(e, "start"), _get(e, "end")))
    return spans


def predicted_mentions(events: Iterable[Any], text: str, offsets: Sequence[tuple[int, int]]) -> list[RoleMention]:
    """Kroniek events -> EventDNA mentions with their arguments (see the module docstring)."""
    tokens = _Tokens(offsets, _sentence_lines(text))
    roles = load_role_crosswalk()["roles"]
    casualty_types = load_crosswalk()["casualties"]
    out: set[RoleMention] = set()
    for event in events:
        anchors: list[tuple[str, int, int]] = []
        kind = _event_rule(event)
        if kind:
            named = list(_get(event, "triggers", ()) or ())
            if not named:      # older records: the narrowest evidence that locates the event itself
                fields = load_crosswalk()["trigger_fields"]
                located = [e for e in _get(event, "evidence", ()) or () if _get(e, "field") in fields]
                named = [min(located, key=lambda e: _get(e, "end") - _get(e, "start"))] if located else []
            anchors += [(kind, _get(t, "start"), _get(t, "end")) for t in named]
        for field_name, casualty_kind in casualty_types.items():
            anchors += [(casualty_kind, _get(e, "start"), _get(e, "end")) for e in _get(event, "evidence", ()) or ()
                        if _get(e, "field") == field_name]
        for mention_kind, start, end in anchors:
            if mention_kind not in roles:
                continue
            span = tokens.tokens(start, end)
            if span is None:
                continue
            sentence = tokens.sentence_of(start)
            arguments = set()
            for role, sources in roles[mention_kind].items():
                for source in sources:
                    for s, e in _field_spans(event, source, text, sentence):
                        token_span = tokens.tokens(s, e)
                        if token_span is not None:
                            arguments.add(Argument(role, *token_span))
            out.add(RoleMention(mention_kind, span[0], span[1],
                                     tuple(sorted(arguments, key=lambda a: (a.role, a.first, a.last)))))
    return sorted(out, key=lambda m: (m.first, m.last, m.type))


# -- scoring -----------------------------------------------------------------------------------------------------------

def _argument_fits(predicted: Argument, gold: Argument, rule: str) -> bool:
    if predicted.role != gold.role:
        return False
    if rule == "overlap":
        return predicted.first <= gold.last and gold.first <= predicted.last
    if rule == "head":
        head = gold.head or (gold.first, gold.last)
        return gold.first <= predicted.first and predicted.last <= gold.last \
            and predicted.first <= head[0] and head[1] <= predicted.last
    raise ValueError(f"unknown rule {rule!r}; use one of {RULES}")


def _max_matching(fits: np.ndarray) -> list[tuple[int, int]]:
    if not fits.size:
        return []
    rows, cols = linear_sum_assignment(-fits)
    return [(r, c) for r, c in zip(rows, cols) if fits[r, c] > 0]


def score_document(predicted: Sequence[RoleMention], gold: Sequence[RoleMention], scores: RoleScores) -> None:
    """Add one document's counts to ``scores`` (both rules)."""
    fits = np.array([[float(p.type == g.type and p.first <= g.last and g.first <= p.last) for g in gold]
                     for p in predicted], dtype=float).reshape(len(predicted), len(gold))
    pairs = _max_matching(fits)
    scores.events.add(Counts(len(pairs), len(predicted), len(gold)))
    partner = dict(pairs)
    gold_partner = {g: p for p, g in pairs}
    for rule in RULES:
        for i, p in enumerate(predicted):
            g = gold[partner[i]] if i in partner else None
            for role in sorted({a.role for a in p.arguments} | ({a.role for a in g.arguments} if g else set())):
                mine = [a for a in p.arguments if a.role == role]
                theirs = [a for a in g.arguments if a.role == role] if g else []
                arg_fits = np.array([[float(_argument_fits(a, b, rule)) for b in theirs] for a in mine],
                                    dtype=float).reshape(len(mine), len(theirs))
                counts = Counts(len(_max_matching(arg_fits)), len(mine), len(theirs))
                scores.cell(rule, (p.type, role)).add(counts)
                if g is not None:
                    scores.matched_only[rule].setdefault((p.type, role), Counts()).add(counts)
        for j, g in enumerate(gold):
            if j not in gold_partner:
                for a in g.arguments:
                    scores.cell(rule, (g.type, a.role)).add(Counts(0, 0, 1))


def dropped_near_duplicates(path: str | Path) -> frozenset[str]:
    """The dev members of the train/dev pairs in the near_duplicates.tsv beside ``path`` (none if it is absent)."""
    table = Path(path).with_name("near_duplicates.tsv")
    if not table.exists():
        return frozenset()
    dropped = set()
    with table.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            splits = {row["split_a"], row["split_b"]}
            if splits == {"train", "dev"}:
                dropped.add(row["id_a"] if row["split_a"] == "dev" else row["id_b"])
    return frozenset(dropped)


def evaluate(documents: Sequence[Mapping[str, Any]], analyse: Callable[[str], Sequence[Any]],
             drop: Iterable[str] = ()) -> tuple[RoleScores, int, float]:
    """Score ``analyse`` (text -> events) on the DNAF documents; returns scores, documents scored and seconds."""
    skip = frozenset(drop)
    scores = RoleScores()
    scored, seconds = 0, 0.0
    for document in documents:
        if document.get("id") in skip:
            continue
        doc = document["dnaf"]["doc"]
        text, offsets = _document_text(doc)
        started = time.perf_counter()
        events = analyse(text)
        seconds += time.perf_counter() - started
        score_document(predicted_mentions(events, text, offsets), gold_mentions(document["dnaf"]), scores)
        scored += 1
    return scores, scored, seconds


def _cell(c: Counts) -> str:
    return f"{100 * c.precision:5.1f} {100 * c.recall:5.1f} {100 * c.f1:5.1f} {f'({c.matched}/{c.predicted}/{c.gold})':>13}"


def report(scores: RoleScores) -> list[str]:
    width = 42
    lines = [f"event mentions matched (type + overlapping span): P R F1 {_cell(scores.events)}",
             f"{'type / role':<{width}}" + "".join(f"{rule + ': P R F1 (m/p/g)':>33}" for rule in RULES)]
    for kind, roles in load_role_crosswalk()["roles"].items():
        for role in roles:
            cells = [_cell(scores.by_role[rule].get((kind, role), Counts())) for rule in RULES]
            lines.append(f"{kind + ' / ' + role:<{width}}" + "".join(f"{c:>33}" for c in cells))
    all_roles = sorted({r for rs in load_role_crosswalk()["roles"].values() for r in rs})
    for role in all_roles:
        lines.append(f"{'all types / ' + role:<{width}}"
                     + "".join(f"{_cell(scores.micro(rule, role)):>33}" for rule in RULES))
    lines.append(f"{'micro (all roles)':<{width}}" + "".join(f"{_cell(scores.micro(rule)):>33}" for rule in RULES))
    lines.append(f"{'micro, matched mentions only':<{width}}"
                 + "".join(f"{_cell(scores.micro(rule, matched_only=True)):>33}" for rule in RULES))
    return lines


@click.command("eventdna-roles")
@click.option("--jsonl", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="EventDNA documents, one DNAF a line (../shared/data/eventdna_nl/dev.jsonl.gz).")
def command(path: str) -> None:
    """Argument roles (Attacker, Target, Victim, Agent, Person, Place, Time, ...) against EventDNA, P/R/F1.

    Example: kroniek eval eventdna-roles --jsonl ../shared/data/eventdna_nl/dev.jsonl.gz
    """
    try:
        documents = read_documents(path)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{path}: not EventDNA JSON Lines ({exc})") from exc
    from kroniek.pipeline import analyse_text, warm_up
    warm_up(("nl",))
    drop = dropped_near_duplicates(path)
    scores, scored, seconds = evaluate(documents, lambda text: analyse_text(text, language="nl"), drop)
    click.echo(f"EventDNA argument roles: {scored} documents ({len(documents) - scored} near-duplicates of train "
               f"dropped); scored types: {', '.join(_scored_types())}")
    for line in report(scores):
        click.echo(line)
    click.echo("cells: precision recall F1 (matched / predicted / gold); overlap = spans share a token, head = inside "
               "the gold span and holding its head")
    click.echo(f"throughput: {scored / max(seconds, 1e-9):.1f} documents/s ({seconds:.2f} s in the pipeline, one process)")
