"""`kroniek eval ner`: Kroniek's mention finders scored as a named-entity recogniser on CoNLL-2002 Dutch.

Each sentence's text is rebuilt from its tokens (joined by single spaces) and run through the finders Kroniek
uses on articles: :func:`kroniek.annotate.actors.find_actors`, :func:`kroniek.annotate.persons.find_persons`
and, when it can be imported, :func:`kroniek.places.find_places`. Their labels map to LOC/ORG/PER/MISC through
``data/crosswalks/ner_labels.tsv``; where mentions overlap, the longest wins (places, then persons, then
actors on a tie). Scoring follows conlleval: a chunk counts only with its exact tokens and type; precision,
recall and F1 per type, and micro-averaged over all.
"""
from __future__ import annotations

import gzip
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import click

from kroniek.annotate.entity_types import Finder, entity_type, load_finders, predict_sentence
from kroniek.annotate.persons import find_persons
from kroniek.errors import EvaluationError

__all__ = [
    "command", "Sentence", "TypeScore", "NerScores", "read_conll", "chunks", "score_tags", "spans_to_tags",
    "predict_sentence", "load_finders", "entity_type", "Finder",   # the last four: kroniek.annotate.entity_types
]

TYPES = ("LOC", "MISC", "ORG", "PER")
# On equal length, a place beats a person beats an actor ("Verenigde Staten" is LOC in CoNLL, not ORG).

@dataclass(frozen=True, slots=True)
class Sentence:
    """One CoNLL sentence: its tokens, gold IOB tags, and the document it belongs to."""
    doc: int
    tokens: tuple[str, ...]
    gold: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def offsets(self) -> tuple[list[int], list[int]]:
        """Character start and end of every token in :attr:`text`."""
        starts, ends, position = [], [], 0
        for token in self.tokens:
            starts.append(position)
            ends.append(position + len(token))
            position += len(token) + 1
        return starts, ends


@dataclass(slots=True)
class TypeScore:
    """Chunk counts for one entity type."""
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class NerScores:
    """Per-type chunk counts; :attr:`overall` sums them (micro average, as conlleval reports)."""
    by_type: dict[str, TypeScore] = field(default_factory=dict)

    @property
    def overall(self) -> TypeScore:
        total = TypeScore()
        for score in self.by_type.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total


def read_conll(path: str | Path) -> list[Sentence]:
    """Sentences of a CoNLL-2002 file (``word POS tag`` per line, ``.gz`` allowed); raises EvaluationError."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    doc = 0
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                cells = line.split()
                if not cells or cells[0] == "-DOCSTART-":
                    if tokens:
                        sentences.append(Sentence(doc, tuple(tokens), tuple(tags)))
                        tokens, tags = [], []
                    if cells:
                        doc += 1
                    continue
                if len(cells) < 2 or not (cells[-1] == "O" or cells[-1][:2] in ("B-", "I-", "E-", "S-")):
                    raise EvaluationError(f"{path}:{number}: expected 'word ... IOB-tag', got {line.strip()!r}")
                tokens.append(cells[0])
                tags.append(cells[-1])
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise EvaluationError(f"{path}: cannot read it as CoNLL text ({exc})") from exc
    if tokens:
        sentences.append(Sentence(doc, tuple(tokens), tuple(tags)))
    if not sentences:
        raise EvaluationError(f"{path}: no sentences found; is it a CoNLL file?")
    return sentences


def _split(tag: str) -> tuple[str, str]:
    if tag == "O" or "-" not in tag:
        return "O", ""
    prefix, _, kind = tag.partition("-")
    return prefix, kind


def chunks(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Chunks (first token, last token + 1, type) of one tag sequence, by conlleval's start/end rules."""
    found: set[tuple[int, int, str]] = set()
    start: int | None = None
    prev_tag, prev_type = "O", ""
    for index, tag in enumerate([*tags, "O"]):
        cur_tag, cur_type = _split(tag)
        if start is not None and _chunk_ends(prev_tag, cur_tag, prev_type, cur_type):
            found.add((start, index, prev_type))
            start = None
        if _chunk_starts(prev_tag, cur_tag, prev_type, cur_type):
            start = index
        prev_tag, prev_type = cur_tag, cur_type
    return found


def _chunk_ends(prev_tag: str, tag: str, prev_type: str, kind: str) -> bool:
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", "O"):
        return True
    return prev_tag != "O" and prev_type != kind


def _chunk_starts(prev_tag: str, tag: str, prev_type: str, kind: str) -> bool:
    if tag in ("B", "S"):
        return True
    if prev_tag in ("E", "S", "O") and tag in ("E", "I"):
        return True
    return tag != "O" and prev_type != kind


def score_tags(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]) -> NerScores:
    """Conlleval's chunk scores of predicted against gold tag sequences (one pair per sentence)."""
    scores = NerScores({kind: TypeScore() for kind in TYPES})
    for gold_tags, predicted_tags in zip(gold, predicted, strict=True):
        if len(gold_tags) != len(predicted_tags):
            raise EvaluationError(f"{len(predicted_tags)} predicted tags for {len(gold_tags)} tokens")
        gold_chunks, predicted_chunks = chunks(gold_tags), chunks(predicted_tags)
        for chunk in gold_chunks | predicted_chunks:
            score = scores.by_type.setdefault(chunk[2], TypeScore())
            if chunk in gold_chunks and chunk in predicted_chunks:
                score.true_positives += 1
            elif chunk in predicted_chunks:
                score.false_positives += 1
            else:
                score.false_negatives += 1
    return scores


def spans_to_tags(sentence: Sentence, typed: Sequence[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for character spans (start, end, type) over a sentence's text.

    A span that cuts a token is widened to the whole token, as a token tagger would have to; overlapping
    spans are resolved beforehand (:func:`predict_sentence`), later ones here are dropped.
    """
    starts, ends = sentence.offsets()
    tags = ["O"] * len(sentence.tokens)
    for start, end, kind in typed:
        first = bisect_right(starts, start) - 1
        last = bisect_left(ends, end)
        if first < 0 or last >= len(tags) or any(t != "O" for t in tags[first:last + 1]):
            continue
        tags[first] = f"B-{kind}"
        for index in range(first + 1, last + 1):
            tags[index] = f"I-{kind}"
    return tags


def format_report(scores: NerScores, heading: str) -> str:
    """A conlleval-like table: counts and P/R/F1 per type, then overall (micro)."""
    lines = [heading, f"{'type':<8}{'gold':>7}{'found':>7}{'correct':>9}{'P':>8}{'R':>8}{'F1':>8}"]
    rows = [(kind, scores.by_type[kind]) for kind in sorted(scores.by_type)] + [("overall", scores.overall)]
    for kind, s in rows:
        lines.append(f"{kind:<8}{s.true_positives + s.false_negatives:>7}{s.true_positives + s.false_positives:>7}"
                     f"{s.true_positives:>9}{100 * s.precision:>8.2f}{100 * s.recall:>8.2f}{100 * s.f1:>8.2f}")
    return "\n".join(lines)


def _write_predictions(path: str, sentences: Sequence[Sentence], predicted: Sequence[Sequence[str]]) -> None:
    """CoNLL lines ``word gold predicted`` (conlleval's input), blank line between sentences."""
    lines: list[str] = []
    doc = None
    for sentence, tags in zip(sentences, predicted):
        if sentence.doc != doc:
            doc = sentence.doc
            lines += ["-DOCSTART- O O", ""]
        lines += [f"{t} {g} {p}" for t, g, p in zip(sentence.tokens, sentence.gold, tags)]
        lines.append("")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


@click.command("ner")
@click.option("--conll", "conll_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="CoNLL-2002 file (word POS IOB-tag per line; .gz ok).")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of the sentences, passed to the finders.")
@click.option("--predictions", "predictions_out", type=click.Path(dir_okay=False), default=None,
              help="Write 'word gold predicted' lines here (conlleval's input format).")
@click.option("--without-places", is_flag=True, help="Do not run kroniek.places even when it is importable.")
@click.option("--limit", type=int, default=None, help="Only the first N documents.")
@click.option("--names-model", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Add the learned name tagger with this model (from `kroniek train names`).")
@click.option("--names-only", is_flag=True, help="With --names-model: score the learned tagger alone.")
def command(conll_path: str, language: str, predictions_out: str | None, without_places: bool,
            limit: int | None, names_model: str | None = None, names_only: bool = False) -> None:
    """Score Kroniek's place, person and actor finders as NER (exact span and type, conlleval rules).

    Example: kroniek eval ner --conll ../shared/data/conll2002_nl/ned.testa.utf8.gz
    """
    try:
        sentences = read_conll(conll_path)
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from exc
    if limit:
        sentences = [s for s in sentences if s.doc < limit]
    finders = load_finders(not without_places)
    if names_model:
        from kroniek.annotate.names import find_names, load_name_model
        model = load_name_model(names_model)
        finders = {} if names_only else finders
        finders["names"] = lambda text, lang: find_names(text, lang, model)
    for finder_name, finder in finders.items():      # load indexes before the clock starts
        if finder_name != "persons":
            finder("Warm-up", language)
    if "persons" in finders:
        find_persons("Warm-up", language)
    predicted: list[list[str]] = []
    began = time.perf_counter()
    for sentence in sentences:
        predicted.append(spans_to_tags(sentence, predict_sentence(sentence.text, finders, language)))
    seconds = time.perf_counter() - began
    if predictions_out:
        _write_predictions(predictions_out, sentences, predicted)
    documents = len({s.doc for s in sentences})
    heading = (f"CoNLL NER: {len(sentences)} sentences, {documents} documents, "
               f"{sum(len(s.tokens) for s in sentences)} tokens; finders: {', '.join(sorted(finders))}")
    click.echo(format_report(score_tags([s.gold for s in sentences], predicted), heading))
    click.echo(f"throughput: {len(sentences) / max(seconds, 1e-9):.0f} sentences/s, "
               f"{documents / max(seconds, 1e-9):.1f} documents/s ({seconds:.2f} s, one process)")
