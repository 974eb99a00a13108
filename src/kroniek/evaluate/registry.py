"""The registry of fast evaluations the quality gate runs: each measures one benchmark on the development data.

Each entry names the files it needs under the shared folder (absent: the evaluation is skipped, not failed) and a
function returning a flat dict of figures (``{"geo.acc161": 0.885, "geo.auc": 0.165}``) with its throughput. The
functions call the evaluation modules' own readers and scorers, so a figure here is the figure their
`kroniek eval` command prints. Each function imports its evaluation module when it runs, so a module that is
broken or still being written fails only its own entry. Floors and the command: :mod:`kroniek.evaluate.gate`.
"""
from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

__all__ = ["Measurement", "Evaluation", "GateRun", "REGISTRY", "run_registry"]


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
    needs: tuple[str, ...]        # files or folders, relative to the shared folder
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


def _measure_geowebnews(shared: Path) -> Measurement:
    from .geo import evaluate_geo

    report = evaluate_geo(shared / "data" / "geoparsing" / "GeoWebNews.xml.gz")
    figures = {"geo_gwn.acc161": _r(report.accuracy_161), "geo_gwn.auc": _r(report.auc),
               "geo_gwn.detection_f1": _r(report.detection_exact["f1"]),
               "geo_gwn.detection_overlap_f1": _r(report.detection_overlap["f1"])}
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


def _measure_eventdna_roles(shared: Path) -> Measurement:
    from ..pipeline import analyse_text, warm_up
    from .eventdna_entities import read_documents
    from .eventdna_roles import dropped_near_duplicates, evaluate

    path = shared / "data" / "eventdna_nl" / "dev.jsonl.gz"
    warm_up(("nl",))
    scores, scored, seconds = evaluate(read_documents(path), lambda text: analyse_text(text, language="nl"),
                                       dropped_near_duplicates(path))
    # Micro F1 of each rule only: precision and recall are printed by the command, not pinned, so a change that
    # trades one for the other at equal F1 is not a regression.
    figures = {f"eventdna_roles.{rule}_f1": _r(scores.micro(rule).f1) for rule in ("overlap", "head")}
    return Measurement(figures, scored, seconds)


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
    try:
        predict_roles("")                          # loads the weights
    except FileNotFoundError as exc:               # the model is not trained and shipped yet
        return Measurement(figures, len(records), seconds, {"muc4.learned": f"no weights: {exc}"})
    learned, _, _ = predict_documents(records, "learned", None, predict_roles)
    figures |= _muc4_figures("learned", score_documents(learned, golds), ROLES)
    # Throughput stays the pipeline's (the entry's command is `--system rules`); the learned model's own
    # speed is printed by `kroniek eval muc4 --system learned`.
    return Measurement(figures, len(records), seconds)


def _measure_case2021(shared: Path) -> Measurement:
    from ..pipeline import analyse_text, warm_up
    from .case2021 import evaluate_case2021, read_snippets

    snippets = read_snippets(shared / "data" / "case2021_task2_dev" / "dev.tsv")
    warm_up(("en",))
    result = evaluate_case2021(snippets, lambda text: analyse_text(text, language="en"))
    figures = {}
    for part, scores in (("", result.all), ("held_out.", result.held)):
        figures |= {f"case2021.{part}accuracy": _r(scores.accuracy), f"case2021.{part}weighted_f1": _r(scores.weighted_f1),
                    f"case2021.{part}macro_f1": _r(scores.macro_f1)}
    figures["case2021.coverage"] = _r(result.all.coverage)
    figures["case2021.unseen_violent"] = result.all.unseen_violent
    return Measurement(figures, len(snippets), result.seconds)


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
    Evaluation("seed", ("gold/seed.gold.json", "examples/seed"), _measure_seed, "kroniek eval seed"),
    Evaluation("geo", ("data/geoparsing/TR-News.xml.gz",), _measure_geo,
               "kroniek eval geo --xml ../shared/data/geoparsing/TR-News.xml.gz"),
    Evaluation("geo_gwn", ("data/geoparsing/GeoWebNews.xml.gz",), _measure_geowebnews,
               "kroniek eval geo --xml ../shared/data/geoparsing/GeoWebNews.xml.gz"),
    Evaluation("ner", ("data/conll2002_nl/ned.testa.utf8.gz",), _measure_ner,
               "kroniek eval ner --conll ../shared/data/conll2002_nl/ned.testa.utf8.gz"),
    Evaluation("timex", ("data/tempeval3/TBAQ-cleaned.tar.gz",), _measure_timex,
               "kroniek eval timex --tml ../shared/data/tempeval3/TBAQ-cleaned.tar.gz"),
    Evaluation("eventdna", ("data/eventdna_iaa_nl/iaa_set_dnaf.zip",), _measure_eventdna,
               "kroniek eval eventdna --zip ../shared/data/eventdna_iaa_nl/iaa_set_dnaf.zip"),
    Evaluation("eventdna_roles", ("data/eventdna_nl/dev.jsonl.gz",), _measure_eventdna_roles,
               "kroniek eval eventdna-roles --jsonl ../shared/data/eventdna_nl/dev.jsonl.gz"),
    Evaluation("case2021", ("data/case2021_task2_dev/dev.tsv",), _measure_case2021,
               "kroniek eval case2021 --tsv ../shared/data/case2021_task2_dev/dev.tsv"),
    Evaluation("muc4", ("data/muc4/dev.gtt.jsonl.gz",), _measure_muc4,
               "kroniek eval muc4 --docs ../shared/data/muc4/dev.gtt.jsonl.gz --system rules"),
)


def run_registry(shared: Path, only: Sequence[str] = (), registry: Sequence[Evaluation] = REGISTRY) -> GateRun:
    """Run every evaluation of ``registry`` whose data is under ``shared`` (or only those named in ``only``)."""
    run = GateRun()
    for evaluation in registry:
        if only and evaluation.name not in only:
            continue
        missing = [need for need in evaluation.needs if not (shared / need).exists()]
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
