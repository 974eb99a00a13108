"""`kroniek eval corpus` and `kroniek eval seed`: the pipeline over articles with gold in the seed's format.

Scored by the rules of ../shared/tools/score_events.py and score_corpus.py (see gold_events.py), printing the same
figures, plus the field errors by name and the throughput.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..pipeline import event_to_dict, process_document, warm_up
from ..records import RawDocument, Rejected
from .gold_events import VIOLENT, DocumentScore, score_document

__all__ = ["command", "extra_commands", "CorpusResult", "evaluate_corpus"]

_KEYS = ("required", "found_required", "asserted", "correct_asserted", "checks_total", "checks_ok", "duplicates",
         "false_positives", "modality_errors", "evidence_errors")


@dataclass
class CorpusResult:
    articles: int
    totals: dict[str, int]
    distractors: int
    distractor_hits: int
    field_errors: dict[str, int]
    seconds: float
    field_totals: dict[str, int] | None = None

    def field_accuracy(self) -> dict[str, tuple[int, int]]:
        """Per field checked: (checks passed, checks made), over the matched required gold events."""
        totals = self.field_totals or {}
        return {k: (n - self.field_errors.get(k, 0), n) for k, n in sorted(totals.items())}

    @property
    def recall(self) -> float:
        return self.totals["found_required"] / self.totals["required"] if self.totals["required"] else 0.0

    @property
    def precision(self) -> float:
        return self.totals["correct_asserted"] / self.totals["asserted"] if self.totals["asserted"] else 0.0

    @property
    def fields(self) -> float:
        return self.totals["checks_ok"] / self.totals["checks_total"] if self.totals["checks_total"] else 0.0

    def figures(self) -> dict[str, float]:
        return {"recall": round(self.recall, 4), "precision": round(self.precision, 4),
                "fields": round(self.fields, 4), "modality_errors": self.totals["modality_errors"],
                "evidence_errors": self.totals["evidence_errors"]}


def _events(text: str, meta: dict[str, Any], origin: str) -> list[dict[str, Any]]:
    result = process_document(RawDocument(origin, text.encode("utf-8"), "text", meta))
    if isinstance(result, Rejected):
        return []
    return [event_to_dict(e) for e in result.events]


def evaluate_corpus(articles: list[dict[str, Any]], golds: list[dict[str, Any]], *, verbose: bool = False,
                    predictions: list[dict] | None = None, echo=click.echo,
                    hold_out: tuple[str, ...] = ()) -> CorpusResult | tuple[CorpusResult, CorpusResult]:
    """Run the pipeline on each article (dicts with id, text, published, language) and score against its gold.

    With `hold_out` (id prefixes), returns the results of the other articles and of the held-out ones apart, and
    `verbose` shows only the former: the held-out split is for checking a change, never for tuning one.
    """
    by_id = {a["id"]: a for a in articles}
    tuned, held = _Totals(), _Totals()
    warm_up()
    started = time.perf_counter()
    for gold in golds:
        article = by_id[gold["id"]]
        meta = {"published": article.get("published") or gold.get("published"),
                "language": article.get("language") or gold.get("language") or "nl", "url": f"nl:{article['id']}"}
        meta = {k: v for k, v in meta.items() if v}
        preds = _events(article["text"], meta, article["id"])
        if predictions is not None:
            predictions.extend(preds)
        r: DocumentScore = score_document(gold, article["text"], preds)
        is_held = gold["id"].startswith(hold_out) if hold_out else False
        (held if is_held else tuned).add(gold, r, preds)
        if verbose and r.lines and not is_held:
            echo(gold["id"])
            echo("\n".join(r.lines))
    seconds = time.perf_counter() - started
    if hold_out:
        return tuned.result(seconds), held.result(seconds)
    return tuned.result(seconds)


class _Totals:
    def __init__(self) -> None:
        self.articles = 0
        self.totals = dict.fromkeys(_KEYS, 0)
        self.field_errors: dict[str, int] = {}
        self.field_totals: dict[str, int] = {}
        self.distractors = self.distractor_hits = 0

    def add(self, gold: dict[str, Any], r: DocumentScore, preds: list[dict]) -> None:
        self.articles += 1
        for k in _KEYS:
            self.totals[k] += getattr(r, k)
        for name, n in r.field_errors.items():
            self.field_errors[name] = self.field_errors.get(name, 0) + n
        for name, n in r.field_totals.items():
            self.field_totals[name] = self.field_totals.get(name, 0) + n
        if not gold["events"]:
            self.distractors += 1
            self.distractor_hits += any(p.get("modality") == "asserted" and p.get("type") in VIOLENT for p in preds)

    def result(self, seconds: float) -> CorpusResult:
        return CorpusResult(self.articles, self.totals, self.distractors, self.distractor_hits, self.field_errors,
                            seconds, self.field_totals)


def _print(result: CorpusResult, label: str, throughput: bool = True, by_field: bool = False) -> None:
    t = result.totals
    click.echo(f"{label}: {result.articles} articles; required recall {result.recall:.2f} "
               f"({t['found_required']}/{t['required']}), precision {result.precision:.2f} "
               f"({t['correct_asserted']}/{t['asserted']}), fields {result.fields:.2f} "
               f"({t['checks_ok']}/{t['checks_total']}), duplicates {t['duplicates']}, "
               f"false positives {t['false_positives']}, modality errors {t['modality_errors']}, "
               f"evidence errors {t['evidence_errors']}, distractors with a violent event "
               f"{result.distractor_hits}/{result.distractors}")
    if result.field_errors:
        click.echo("field errors: " + ", ".join(f"{k} {v}" for k, v in sorted(result.field_errors.items(),
                                                                               key=lambda kv: -kv[1])))
    if by_field and result.field_totals:
        click.echo("fields right by name: " + ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in result.field_accuracy().items()))
    if throughput:
        click.echo(f"throughput: {result.articles / result.seconds:.1f} documents/s ({result.seconds:.2f} s)")


def _read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _write_predictions(path: str | None, predictions: list[dict]) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            for p in predictions:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")


@click.command("corpus")
@click.option("--articles", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSON Lines: id, text, published, (language).")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSON Lines of gold in the seed's format, one line per article.")
@click.option("--predictions", type=click.Path(dir_okay=False), help="Write the predicted events (JSON Lines).")
@click.option("-v", "--verbose", is_flag=True,
              help="Every article's matches and errors, each wrong field beside the gold's value (not of held-out "
                   "articles), and the checks passed per field.")
@click.option("--hold-out", "hold_out", multiple=True, metavar="PREFIX",
              help="Report articles whose id starts with PREFIX apart, as a split not tuned on (verbose hides them).")
def command(articles: str, gold: str, predictions: str | None, verbose: bool, hold_out: tuple[str, ...]) -> None:
    """Score the pipeline on articles with gold in the seed's format.

    \b
    Example:
        kroniek eval corpus --articles ../shared/data/dutch_news_dev/articles.jsonl \\
            --gold ../shared/data/dutch_news_dev/gold.jsonl --hold-out eventdna
    """
    preds: list[dict] = []
    result = evaluate_corpus(_read_jsonl(articles), _read_jsonl(gold), verbose=verbose, predictions=preds,
                             hold_out=tuple(hold_out))
    _write_predictions(predictions, preds)
    if hold_out:
        tuned, held = result
        _print(tuned, "tuned on", throughput=False, by_field=verbose)
        _print(held, f"held out ({', '.join(hold_out)})", throughput=False, by_field=verbose)
        click.echo(f"throughput: {(tuned.articles + held.articles) / tuned.seconds:.1f} documents/s "
                   f"({tuned.seconds:.2f} s)")
    else:
        _print(result, "corpus", by_field=verbose)


def _default_seed() -> Path | None:
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared"
        if (candidate / "gold" / "seed.gold.json").exists():
            return candidate
    return None


@click.command("seed")
@click.option("--text", "text_path", type=click.Path(exists=True, dir_okay=False),
              help="The seed article (default: ../shared/examples/seed/<document in the gold>).")
@click.option("--gold", "gold_path", type=click.Path(exists=True, dir_okay=False),
              help="Its gold (default: ../shared/gold/seed.gold.json).")
@click.option("--predictions", type=click.Path(dir_okay=False), help="Write the predicted events (JSON Lines).")
@click.option("-v", "--verbose", is_flag=True)
def seed_command(text_path: str | None, gold_path: str | None, predictions: str | None, verbose: bool) -> None:
    """Score the pipeline on the seed article (by the rules of score_events.py).

    \b
    Example:
        kroniek eval seed -v
    """
    shared = _default_seed()
    if gold_path is None:
        if shared is None:
            raise click.ClickException("no ../shared/gold/seed.gold.json here; pass --gold and --text")
        gold_path = str(shared / "gold" / "seed.gold.json")
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    if text_path is None:
        if shared is None:
            raise click.ClickException("pass --text: the seed article was not found")
        text_path = str(shared / "examples" / "seed" / gold["document"])
    meta_path = Path(text_path).with_name(Path(text_path).stem + ".meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    article = {"id": gold.get("document", "seed"), "text": Path(text_path).read_text(encoding="utf-8"),
               "published": meta.get("published"), "language": meta.get("language")}
    gold = dict(gold, id=article["id"])
    preds: list[dict] = []
    result = evaluate_corpus([article], [gold], verbose=verbose, predictions=preds)
    _write_predictions(predictions, preds)
    _print(result, "seed")


extra_commands = (seed_command,)
