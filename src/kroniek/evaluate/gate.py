"""`kroniek eval gate`: the fast evaluations on the development data, each figure held to a pinned floor.

The registry runs every evaluation whose shared data file is present (the others are skipped, never failed) and
returns a flat dict of figures such as ``{"geo.acc161": 0.885, "geo.auc": 0.165}``. ``quality/baseline.json``
pins a bound for each: a floor for figures where higher is better, a ceiling where lower is better (AUC, error
km, error counts). Floors only go up: ``--update`` raises them to today's figures (less a small tolerance) and
never lowers one; lowering a floor is a hand edit of the baseline file, visible in review.

Data lives in ``<repo>/../shared`` (override with ``KRONIEK_SHARED``); see docs/QUALITY.md for every figure.
"""
from __future__ import annotations

import json
import math
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import click

import kroniek

__all__ = [
    "command", "Measurement", "Evaluation", "GateRun", "REGISTRY", "default_shared", "default_baseline",
    "run_registry", "check_floors", "update_baseline", "load_baseline", "write_baseline",
]

HIGHER, LOWER = "higher", "lower"
DEFAULT_TOLERANCE = 0.01          # ratios in [0, 1]; deterministic evaluations, so this is a margin, not noise
# Figures where lower is better, with the tolerance `--update` leaves above today's value for new ceilings.
LOWER_IS_BETTER: dict[str, float] = {
    "geo.auc": 0.01, "geo.mean_error_km": 25.0,
    "corpus.evidence_errors": 0, "corpus.modality_errors": 1, "corpus.distractor_hits": 1,
    "seed.evidence_errors": 0,
}


@dataclass(frozen=True)
class Measurement:
    """One evaluation's figures (name -> value) and its throughput."""
    figures: dict[str, float]
    documents: int
    seconds: float
    skipped: dict[str, str] = field(default_factory=dict)     # parts not measured (name -> why)

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else float("nan")


@dataclass(frozen=True)
class Evaluation:
    """A fast evaluation: the files it needs under the shared folder and the function that measures it."""
    name: str
    needs: tuple[str, ...]
    measure: Callable[[Path], Measurement]
    command: str                  # the `kroniek eval` command that prints the same figures with their tables


@dataclass
class GateRun:
    """What a run of the registry measured, skipped (name -> why) and failed on (name -> error)."""
    figures: dict[str, float] = field(default_factory=dict)
    throughput: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _r(value: float) -> float:
    return round(float(value), 4)


def _measure_corpus(shared: Path) -> Measurement:
    from .corpus import evaluate_corpus

    folder = shared / "data" / "dutch_news_dev"
    result = evaluate_corpus(_read_jsonl(folder / "articles.jsonl"), _read_jsonl(folder / "gold.jsonl"),
                             echo=lambda *_: None)
    return Measurement(_corpus_figures("corpus", result) | {
        "corpus.modality_errors": result.totals["modality_errors"],
        "corpus.distractor_hits": result.distractor_hits}, result.articles, result.seconds)


def _measure_seed(shared: Path) -> Measurement:
    from .corpus import evaluate_corpus

    # As `kroniek eval seed` reads it: the gold names its document; the text's sidecar gives date and language.
    gold = json.loads((shared / "gold" / "seed.gold.json").read_text(encoding="utf-8"))
    text_path = shared / "examples" / "seed" / gold["document"]
    meta_path = text_path.with_name(text_path.stem + ".meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    article = {"id": gold["document"], "text": text_path.read_text(encoding="utf-8"),
               "published": meta.get("published"), "language": meta.get("language")}
    result = evaluate_corpus([article], [dict(gold, id=article["id"])], echo=lambda *_: None)
    return Measurement(_corpus_figures("seed", result), result.articles, result.seconds)


def _corpus_figures(prefix: str, result: Any) -> dict[str, float]:
    return {f"{prefix}.recall": _r(result.recall), f"{prefix}.precision": _r(result.precision),
            f"{prefix}.fields": _r(result.fields), f"{prefix}.evidence_errors": result.totals["evidence_errors"]}


def _measure_geo(shared: Path) -> Measurement:
    from .geo import evaluate_geo

    report = evaluate_geo(shared / "data" / "geoparsing" / "TR-News.xml.gz")
    figures = {"geo.acc161": _r(report.accuracy_161), "geo.auc": _r(report.auc),
               "geo.mean_error_km": round(report.mean_error_km, 1),
               "geo.detection_f1": _r(report.detection_exact["f1"]),
               "geo.detection_overlap_f1": _r(report.detection_overlap["f1"])}
    # evaluate_geo times find_places in CPU seconds; its documents/s is the throughput it prints.
    seconds = report.documents / report.documents_per_second if report.documents_per_second else 0.0
    return Measurement(figures, report.documents, seconds)


def _measure_ner(shared: Path) -> Measurement:
    from .ner import load_finders, predict_sentence, read_conll, score_tags, spans_to_tags

    sentences = read_conll(shared / "data" / "conll2002_nl" / "ned.testa.utf8.gz")
    finders = load_finders()
    for finder in finders.values():               # load indexes before the clock starts, as the command does
        finder("Warm-up", "nl")
    started = time.perf_counter()
    predicted = [spans_to_tags(s, predict_sentence(s.text, finders, "nl")) for s in sentences]
    seconds = time.perf_counter() - started
    scores = score_tags([s.gold for s in sentences], predicted)
    overall = scores.overall
    figures = {"ner.precision": _r(overall.precision), "ner.recall": _r(overall.recall), "ner.f1": _r(overall.f1)}
    figures |= {f"ner.{kind}_f1": _r(score.f1) for kind, score in sorted(scores.by_type.items())}
    return Measurement(figures, len({s.doc for s in sentences}), seconds)


def _measure_timex(shared: Path) -> Measurement:
    from ..annotate.dates import find_timexes
    from .timex import iter_documents, score

    documents = list(iter_documents(shared / "data" / "tempeval3" / "TBAQ-cleaned.tar.gz"))
    find_timexes("", "en", None)
    started = time.process_time()
    predicted = [find_timexes(d.text, "en", d.creation_time) for d in documents]
    seconds = time.process_time() - started
    scores = score(list(zip(documents, predicted)))
    figures = {"timex.strict_f1": _r(scores.strict.f1), "timex.relaxed_f1": _r(scores.relaxed.f1),
               "timex.value_f1": _r(scores.value.f1), "timex.type_f1": _r(scores.type.f1)}
    return Measurement(figures, len(documents), seconds)


def _measure_eventdna(shared: Path) -> Measurement:
    from ..pipeline import analyse_text, warm_up
    from .eventdna import load_eventdna, predict_documents, score_against

    documents = load_eventdna(shared / "data" / "eventdna_iaa_nl" / "iaa_set_dnaf.zip")
    warm_up(("nl",))
    predictions, seconds = predict_documents(documents, lambda text: analyse_text(text, language="nl"))
    annotators = sorted({a for doc in documents for a in doc.annotators})

    def mean_f1(rule: str, typed: bool) -> float:
        # The command's table has one column per annotator; the gate holds their mean.
        return _r(statistics.fmean(score_against(predictions, documents, a, rule, typed).f1 for a in annotators))

    figures = {"eventdna.trigger_f1": mean_f1("overlap", False), "eventdna.typed_f1": mean_f1("overlap", True),
               "eventdna.strict_typed_f1": mean_f1("strict", True)}
    return Measurement(figures, len(documents), seconds)


def _measure_muc4(shared: Path) -> Measurement:
    from ..pipeline import analyse_text, warm_up
    from .muc4 import load_records, predict_documents
    from .muc4_metric import ROLES, gold_entities, incident_accuracy, incident_types, score_documents

    records = load_records(shared / "data" / "muc4" / "dev.gtt.jsonl.gz")
    golds = {r["docid"]: gold_entities(r) for r in records}
    gold_types = {r["docid"]: t for r in records if (t := incident_types(r)) is not None}
    warm_up(("en",))
    fillers, types, seconds = predict_documents(records, "rules", lambda t: analyse_text(t, language="en"), None)
    figures = _muc4_figures("rules", score_documents(fillers, golds), ROLES)
    correct, total = incident_accuracy(types, gold_types)
    figures["muc4.incident_accuracy"] = _r(correct / total) if total else 0.0
    predict_roles = _learned_roles()
    if predict_roles is None:
        return Measurement(figures, len(records), seconds,
                           {"muc4.learned": "kroniek.roles.predict_role_fillers is not importable"})
    predict_roles("")                              # load the weights before the clock starts
    learned, _, learned_seconds = predict_documents(records, "learned", None, predict_roles)
    figures |= _muc4_figures("learned", score_documents(learned, golds), ROLES)
    return Measurement(figures, len(records), seconds + learned_seconds)


def _learned_roles() -> Callable[[str], Any] | None:
    """The learned role model (kroniek.roles), or None while it is not importable."""
    try:
        from ..roles import predict_role_fillers
    except ImportError:
        return None
    return lambda text: predict_role_fillers(text, language="en")


def _muc4_figures(system: str, scores: Mapping[str, Any], roles: Sequence[str]) -> dict[str, float]:
    micro = scores["micro"]
    figures = {f"muc4.{system}.micro_precision": _r(micro.precision),
               f"muc4.{system}.micro_recall": _r(micro.recall), f"muc4.{system}.micro_f1": _r(micro.f1)}
    figures |= {f"muc4.{system}.{role}_f1": _r(scores[role].f1) for role in roles}
    return figures


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


REGISTRY: tuple[Evaluation, ...] = (
    Evaluation("corpus", ("data/dutch_news_dev/articles.jsonl", "data/dutch_news_dev/gold.jsonl"), _measure_corpus,
               "kroniek eval corpus --articles ../shared/data/dutch_news_dev/articles.jsonl "
               "--gold ../shared/data/dutch_news_dev/gold.jsonl"),
    Evaluation("seed", ("gold/seed.gold.json",), _measure_seed, "kroniek eval seed"),
    Evaluation("geo", ("data/geoparsing/TR-News.xml.gz",), _measure_geo,
               "kroniek eval geo --xml ../shared/data/geoparsing/TR-News.xml.gz"),
    Evaluation("ner", ("data/conll2002_nl/ned.testa.utf8.gz",), _measure_ner,
               "kroniek eval ner --conll ../shared/data/conll2002_nl/ned.testa.utf8.gz"),
    Evaluation("timex", ("data/tempeval3/TBAQ-cleaned.tar.gz",), _measure_timex,
               "kroniek eval timex --tml ../shared/data/tempeval3/TBAQ-cleaned.tar.gz"),
    Evaluation("eventdna", ("data/eventdna_iaa_nl/iaa_set_dnaf.zip",), _measure_eventdna,
               "kroniek eval eventdna --zip ../shared/data/eventdna_iaa_nl/iaa_set_dnaf.zip"),
    Evaluation("muc4", ("data/muc4/dev.gtt.jsonl.gz",), _measure_muc4,
               "kroniek eval muc4 --docs ../shared/data/muc4/dev.gtt.jsonl.gz --system rules"),
)


def default_shared() -> Path:
    """The shared folder: ``$KRONIEK_SHARED``, else ``<repository>/../shared``."""
    if os.environ.get("KRONIEK_SHARED"):
        return Path(os.environ["KRONIEK_SHARED"])
    return Path(kroniek.__file__).resolve().parents[2].parent / "shared"


def default_baseline() -> Path:
    """``<repository>/quality/baseline.json``."""
    return Path(kroniek.__file__).resolve().parents[2] / "quality" / "baseline.json"


def run_registry(shared: Path, only: Sequence[str] = (), registry: Sequence[Evaluation] = REGISTRY) -> GateRun:
    """Run every evaluation of ``registry`` whose data is under ``shared`` (or only those named in ``only``)."""
    run = GateRun()
    for evaluation in registry:
        if only and evaluation.name not in only:
            continue
        missing = [need for need in evaluation.needs if not (shared / need).is_file()]
        if missing:
            run.skipped[evaluation.name] = f"{shared / missing[0]} not found"
            continue
        try:
            measurement = evaluation.measure(shared)
        except Exception as exc:   # a broken evaluation fails the gate with its reason, the others still run
            run.errors[evaluation.name] = f"{type(exc).__name__}: {exc}"
            continue
        run.figures.update(measurement.figures)
        run.skipped.update(measurement.skipped)
        run.throughput[evaluation.name] = measurement.documents_per_second
    return run


def _bound(name: str, entry: Mapping[str, Any]) -> tuple[str, float]:
    direction = entry.get("direction")
    key = {HIGHER: "floor", LOWER: "ceiling"}.get(direction)
    if key is None or key not in entry:
        raise ValueError(f"baseline entry {name!r} needs direction 'higher' with a floor or 'lower' with a ceiling")
    return direction, float(entry[key])


def check_floors(figures: Mapping[str, float], baseline: Mapping[str, Any]) -> list[str]:
    """One readable line per figure that breaks its pinned bound; figures not measured (no data) are skipped.

    ``baseline`` is the loaded baseline file: ``{"figures": {name: {"direction": "higher", "floor": x} or
    {"direction": "lower", "ceiling": x}}}``.
    """
    violations = []
    for name, entry in sorted(baseline["figures"].items()):
        if name not in figures:
            continue
        direction, bound = _bound(name, entry)
        value = figures[name]
        if value is None or math.isnan(value):
            violations.append(f"{name} is not a number ({value}); its {'floor' if direction == HIGHER else 'ceiling'}"
                              f" is {bound:g}")
        elif direction == HIGHER and value < bound:
            violations.append(f"{name} {value:g} is below its floor {bound:g} (higher is better)")
        elif direction == LOWER and value > bound:
            violations.append(f"{name} {value:g} is above its ceiling {bound:g} (lower is better)")
    return violations


def update_baseline(figures: Mapping[str, float], baseline: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Raise floors (lower ceilings) to today's figures less their tolerance; never loosen one.

    Returns the new baseline and one line per change. A figure without an entry gets one (direction from
    :data:`LOWER_IS_BETTER`, tolerance 0.01 for ratios).
    """
    updated = json.loads(json.dumps(baseline))
    entries = updated.setdefault("figures", {})
    changes = []
    for name, value in sorted(figures.items()):
        if value is None or math.isnan(value):
            continue
        entry = entries.get(name)
        if entry is None:
            lower = name in LOWER_IS_BETTER
            tolerance = LOWER_IS_BETTER[name] if lower else DEFAULT_TOLERANCE
            bound = _ceiling_of(value, tolerance) if lower else _floor_of(value, tolerance)
            entries[name] = {"direction": LOWER if lower else HIGHER, "ceiling" if lower else "floor": bound,
                             "tolerance": tolerance, "measured": value}
            changes.append(f"added {name}: {'ceiling' if lower else 'floor'} {bound:g} (measured {value:g})")
            continue
        direction, bound = _bound(name, entry)
        tolerance = float(entry.get("tolerance", DEFAULT_TOLERANCE))
        if direction == HIGHER and _floor_of(value, tolerance) > bound:
            entry["floor"], entry["measured"] = _floor_of(value, tolerance), value
            changes.append(f"raised {name} floor {bound:g} -> {entry['floor']:g} (measured {value:g})")
        elif direction == LOWER and _ceiling_of(value, tolerance) < bound:
            entry["ceiling"], entry["measured"] = _ceiling_of(value, tolerance), value
            changes.append(f"lowered {name} ceiling {bound:g} -> {entry['ceiling']:g} (measured {value:g})")
    return updated, changes


def _floor_of(value: float, tolerance: float) -> float:
    # Bounds keep four decimals, as the figures do; no figure here is below zero.
    return max(0.0, round(value - tolerance, 4))


def _ceiling_of(value: float, tolerance: float) -> float:
    return round(value + tolerance, 4)


RULE = ("Floors only go up. Each figure of `kroniek eval gate` is held to a floor (direction 'higher': figure >= "
        "floor) or a ceiling (direction 'lower', for AUC, error km and error counts: figure <= ceiling). "
        "`kroniek eval gate --update` raises floors and lowers ceilings to today's figures less their tolerance and "
        "never loosens one; loosening a bound is a hand edit of this file, with its reason in the commit, seen in "
        "review. See docs/QUALITY.md.")


def load_baseline(path: Path) -> dict[str, Any]:
    """The baseline file; a missing file is an empty baseline (every figure unpinned)."""
    if not path.exists():
        return {"_rule": RULE, "figures": {}}
    baseline = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(baseline.get("figures"), dict):
        raise ValueError(f"{path}: no 'figures' object")
    return baseline


def write_baseline(path: Path, baseline: Mapping[str, Any]) -> None:
    """Write the baseline, one figure a line in name order (a raised floor is a one-line diff), atomically."""
    header = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
              for key, value in baseline.items() if key != "figures"]
    figures = [f"    {json.dumps(name)}: {json.dumps(entry)}" for name, entry in sorted(baseline["figures"].items())]
    text = "{\n" + "".join(line + ",\n" for line in header) + '  "figures": {\n' + ",\n".join(figures) + "\n  }\n}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _print_run(run: GateRun, baseline: Mapping[str, Any]) -> None:
    """Each evaluation's command, then its figures beside their bounds; skips and throughput last."""
    entries = baseline["figures"]
    for evaluation in REGISTRY:
        names = sorted(n for n in run.figures.keys() | entries.keys() if n.split(".")[0] == evaluation.name)
        if evaluation.name not in run.throughput:          # skipped, failed, or not asked for
            continue
        click.echo(f"{evaluation.name}: {evaluation.command}  ({run.throughput[evaluation.name]:.1f} documents/s)")
        for name in names:
            entry, value = entries.get(name), run.figures.get(name)
            if value is None:
                click.echo(f"  {name:<34}{'-':>10}   not measured")
            elif entry is None:
                click.echo(f"  {name:<34}{value:>10g}   (no floor pinned)")
            else:
                direction, bound = _bound(name, entry)
                ok = not check_floors({name: value}, {"figures": {name: entry}})
                click.echo(f"  {name:<34}{value:>10g}  {'>=' if direction == HIGHER else '<='} {bound:<10g}"
                           f"{'ok' if ok else 'FAIL'}")
    for name, reason in run.skipped.items():
        click.echo(f"skipped {name}: {reason}")


@click.command("gate")
@click.option("--shared", "shared_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The shared folder holding data/ (default: $KRONIEK_SHARED, else ../shared beside the repo).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The pinned floors (default: quality/baseline.json in the repository).")
@click.option("--only", multiple=True, type=click.Choice([e.name for e in REGISTRY]),
              help="Run only this evaluation (repeatable).")
@click.option("--update", is_flag=True, help="Raise floors to today's figures (never lowers one) and write them.")
@click.pass_context
def command(ctx: click.Context, shared_path: Path | None, baseline_path: Path | None, only: tuple[str, ...], update: bool) -> None:
    """Run the fast evaluations on the development data; exit 1 when a figure is below its pinned floor.

    Evaluations whose data is absent are skipped, not failed.

    \b
    Example:
        kroniek eval gate
        kroniek eval gate --only geo --only timex
        kroniek eval gate --update      # after an improvement: raise the floors, commit quality/baseline.json
    """
    shared = shared_path or default_shared()
    baseline_path = baseline_path or default_baseline()
    try:
        baseline = load_baseline(baseline_path)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{baseline_path}: cannot read the baseline ({exc})") from exc
    click.echo(f"quality gate: data {shared}, baseline {baseline_path}")
    run = run_registry(shared, only)
    _print_run(run, baseline)
    if update:
        baseline, changes = update_baseline(run.figures, baseline)
        write_baseline(baseline_path, baseline)
        click.echo("\n".join(changes) if changes else "no floor raised")
    violations = check_floors(run.figures, baseline)
    violations += [f"{name} failed: {error}" for name, error in run.errors.items()]
    if violations:
        click.echo(f"FAILED: {len(violations)} problem(s)", err=True)
        for line in violations:
            click.echo(f"  {line}", err=True)
        ctx.exit(1)
    click.echo(f"passed: {len(run.figures)} figures measured, "
               f"{sum(name in run.figures for name in baseline['figures'])} held to a floor")
