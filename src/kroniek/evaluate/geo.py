"""`kroniek eval geo`: place resolution on a geoparsing corpus in the XML schema of Gritta et al.

TR-News, LGL and GeoVirus share it: ``<article docid><text>…</text><toponyms><toponym><phrase/><start/><end/>
<gaztag geonameid><lat/><lon/></gaztag></toponym>…``. Two measurements:

- geocoding of the gold toponyms (each gold span resolved in its article's context, as CamCoder and CLAVIN
  are reported): accuracy within 161 km, mean and median error, and the AUC of the sorted ln(1 + error)
  curve normalised by ln(20039) (Gritta et al. 2018, "What's missing in geographical parsing?"; lower is
  better). A toponym Kroniek cannot resolve counts as 20039 km, the largest error on Earth.
- detection of toponyms by :func:`kroniek.places.find_places`: precision, recall and F1 on exact spans,
  and on overlapping spans.

Held-out split: a third of each corpus (:func:`is_held_out`, by a stable hash of the document id) is never
looked at while tuning; ``--split tuned`` restricts a run (and its ``--predictions``) to the other two thirds,
``--hold-out`` prints all, tuned and held-out rows.
"""
from __future__ import annotations

import gzip
import json
import statistics
import time
import zlib
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import click
import numpy as np

from ..errors import EvaluationError
from ..places import find_places, geocode_spans, haversine_km, load_gazetteer

__all__ = ["command", "GoldToponym", "GoldArticle", "read_corpus", "auc_of_errors", "evaluate_geo", "is_held_out",
           "SPLITS"]

MAX_ERROR_KM = 20039.0     # half the Earth's circumference: the worst possible error
ACCURACY_KM = 161.0        # 100 miles, the field's accuracy@k threshold
# Publication country from the web domain's country-code suffix (the pipeline has the outlet's URL too).
_TLD_COUNTRY = {"ca": "CA", "uk": "GB", "au": "AU", "nz": "NZ", "ie": "IE", "in": "IN", "za": "ZA", "sg": "SG",
                "nl": "NL", "be": "BE", "de": "DE", "fr": "FR", "tr": "TR", "ru": "RU", "ng": "NG", "ke": "KE",
                "pk": "PK", "ph": "PH", "my": "MY", "us": "US"}
HOLD_OUT_MODULUS = 3       # one document in three is held out
SPLITS = ("all", "tuned", "held-out")


def is_held_out(doc_id: str) -> bool:
    """Whether a document belongs to the held-out third: crc32 of its id (stable across runs and machines)."""
    return zlib.crc32(doc_id.encode("utf-8")) % HOLD_OUT_MODULUS == 0


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonames_id: int | None
    name: str | None


@dataclass(frozen=True)
class GoldArticle:
    doc_id: str
    text: str
    domain: str | None
    toponyms: tuple[GoldToponym, ...]
    misaligned: int = 0          # gold offsets that did not point at their phrase and were re-anchored
    dropped: int = 0             # gold phrases not found in the text at all


def _open(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _anchor(text: str, phrase: str, start: int) -> int | None:
    """The start of ``phrase`` in ``text`` nearest to the given offset (some corpora's offsets drift)."""
    best = None
    position = text.find(phrase)
    while position != -1:
        if best is None or abs(position - start) < abs(best - start):
            best = position
        position = text.find(phrase, position + 1)
    return best


def read_corpus(path: Path) -> Iterator[GoldArticle]:
    """Articles with their gold toponyms; offsets that miss their phrase are moved to its nearest occurrence."""
    try:
        with _open(path) as handle:
            root = ET.parse(handle).getroot()
    except (OSError, ET.ParseError, EOFError) as exc:
        raise EvaluationError(f"{path}: not a readable geoparsing XML file ({exc}); pass e.g. TR-News.xml.gz") from exc
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        toponyms, misaligned, dropped = [], 0, 0
        for node in article.iter("toponym"):
            phrase = (node.findtext("phrase") or "").strip()
            start, end = int(node.findtext("start") or 0), int(node.findtext("end") or 0)
            if not phrase:
                continue
            if text[start:end] != phrase:
                anchored = _anchor(text, phrase, start)
                if anchored is None:
                    dropped += 1
                    continue
                misaligned += 1
                start, end = anchored, anchored + len(phrase)
            tag = node.find("gaztag")
            lat = lon = None
            geonames_id, name = None, None
            if tag is not None and tag.findtext("lat") and tag.findtext("lon"):
                lat, lon = float(tag.findtext("lat")), float(tag.findtext("lon"))
                geonames_id = int(tag.get("geonameid")) if (tag.get("geonameid") or "").isdigit() else None
                name = tag.findtext("name")
            toponyms.append(GoldToponym(start, end, phrase, lat, lon, geonames_id, name))
        yield GoldArticle(article.get("docid") or str(len(toponyms)), text, article.findtext("domain"),
                          tuple(toponyms), misaligned, dropped)


def auc_of_errors(errors_km: list[float]) -> float:
    """Area under the sorted ln(1 + error) curve, normalised to [0, 1] by ln(20039) (Gritta et al. 2018)."""
    if len(errors_km) < 2:
        return float("nan")
    curve = np.log(np.sort(np.asarray(errors_km, dtype=float)) + 1.0)
    return float(np.trapezoid(curve) / (np.log(MAX_ERROR_KM) * (len(errors_km) - 1)))


def _publisher_country(domain: str | None) -> str | None:
    if not domain:
        return None
    host = urlparse(domain if "//" in domain else f"//{domain}").hostname or domain
    return _TLD_COUNTRY.get(host.rsplit(".", 1)[-1].lower())


@dataclass
class GeoReport:
    documents: int = 0
    gold_geocodable: int = 0
    resolved: int = 0
    accuracy_161: float = 0.0
    mean_error_km: float = 0.0
    median_error_km: float = 0.0
    auc: float = 0.0
    detection_exact: dict = field(default_factory=dict)
    detection_overlap: dict = field(default_factory=dict)
    documents_per_second: float = 0.0
    mentions_per_second: float = 0.0
    gazetteer_load_seconds: float = 0.0
    misaligned_offsets: int = 0
    dropped_toponyms: int = 0


def _prf(true_positive: int, predicted: int, gold: int) -> dict:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "true_positive": true_positive, "predicted": predicted, "gold": gold}


def evaluate_geo(path: Path, language: str = "en", use_publisher: bool = True,
                 predictions: Path | None = None, split: str = "all", fallback: bool = True) -> GeoReport:
    """Run both measurements over a corpus file (or one split of it: ``SPLITS``) and return the figures."""
    if split not in SPLITS:
        raise EvaluationError(f"split {split!r} is none of {', '.join(SPLITS)}")
    started = time.perf_counter()
    load_gazetteer()
    report = GeoReport(gazetteer_load_seconds=round(time.perf_counter() - started, 3))
    articles = list(read_corpus(path))
    if not articles:
        raise EvaluationError(f"{path}: no <article> elements; is this a geoparsing corpus?")
    if split != "all":
        articles = [a for a in articles if is_held_out(a.doc_id) == (split == "held-out")]
    errors: list[float] = []
    exact = overlap_hits = predicted_total = gold_total = 0
    detect_seconds = 0.0
    detected_mentions = 0
    sink = predictions.open("w", encoding="utf-8") if predictions else None
    try:
        for article in articles:
            report.documents += 1
            report.misaligned_offsets += article.misaligned
            report.dropped_toponyms += article.dropped
            publisher = _publisher_country(article.domain) if use_publisher else None
            tick = time.process_time()   # CPU time: the figure does not depend on what else the machine runs
            spans = find_places(article.text, language, publisher_country=publisher)
            detect_seconds += time.process_time() - tick
            detected_mentions += len(spans)
            gold_spans = {(t.start, t.end) for t in article.toponyms}
            predicted_spans = {(s.start, s.end) for s in spans}
            predicted_total += len(predicted_spans)
            gold_total += len(gold_spans)
            exact += len(gold_spans & predicted_spans)
            overlap_hits += sum(1 for g in gold_spans if any(p[0] < g[1] and g[0] < p[1] for p in predicted_spans))

            geocodable = [t for t in article.toponyms if t.lat is not None]
            places = geocode_spans(article.text, [(t.start, t.end) for t in geocodable], language,
                                   publisher_country=publisher, fallback=fallback)
            records = []
            for toponym, place in zip(geocodable, places):
                error = MAX_ERROR_KM
                if place is not None and place.lat is not None:
                    error = haversine_km(toponym.lat, toponym.lon, place.lat, place.lon)
                    report.resolved += 1
                errors.append(error)
                records.append({"start": toponym.start, "end": toponym.end, "text": toponym.phrase,
                                "gold": {"name": toponym.name, "lat": toponym.lat, "lon": toponym.lon,
                                         "geonames_id": toponym.geonames_id},
                                "predicted": asdict(place) if place else None, "error_km": round(error, 1)})
            if sink:
                sink.write(json.dumps({"doc_id": article.doc_id, "publisher_country": publisher,
                                       "toponyms": records,
                                       "detected": [{"start": s.start, "end": s.end, "text": s.text, "label": s.label,
                                                     "place": asdict(s.value)} for s in spans]},
                                      ensure_ascii=False) + "\n")
    finally:
        if sink:
            sink.close()
    report.gold_geocodable = len(errors)
    report.accuracy_161 = round(sum(e < ACCURACY_KM for e in errors) / len(errors), 4) if errors else 0.0
    report.mean_error_km = round(statistics.fmean(errors), 1) if errors else 0.0
    report.median_error_km = round(statistics.median(errors), 1) if errors else 0.0
    report.auc = round(auc_of_errors(errors), 4)
    report.detection_exact = _prf(exact, predicted_total, gold_total)
    report.detection_overlap = _prf(overlap_hits, predicted_total, gold_total)
    report.documents_per_second = round(report.documents / detect_seconds, 1) if detect_seconds else 0.0
    report.mentions_per_second = round(detected_mentions / detect_seconds, 1) if detect_seconds else 0.0
    return report


@click.command("geo")
@click.option("--xml", "xml_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Corpus in the Gritta et al. XML schema (TR-News, LGL, GeoVirus), plain or .gz.")
@click.option("--language", default="en", show_default=True, type=click.Choice(["en", "nl"]),
              help="Language of the articles.")
@click.option("--publisher/--no-publisher", default=True, show_default=True,
              help="Use the country of the article's web domain (.ca, .co.uk, ...) as the publisher's country.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write one JSON line per article: gold toponyms with predictions and errors, detected places.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--split", default="all", show_default=True, type=click.Choice(SPLITS),
              help="Measure one part: 'tuned' (two thirds by a hash of the document id) or 'held-out' (the rest).")
@click.option("--fallback/--no-fallback", default=True, show_default=True,
              help="Place a gold toponym the gazetteer lacks by a name inside it or the article's focus "
                   "(geocode_spans); --no-fallback leaves it unresolved (20,039 km).")
@click.option("--hold-out", "hold_out", is_flag=True,
              help="Print the tuned and held-out rows beside the whole corpus (--predictions: tuned part only).")
def command(xml_path: Path, language: str, publisher: bool, predictions: Path | None, as_json: bool,
            split: str, fallback: bool, hold_out: bool) -> None:
    """Measure place resolution: accuracy@161km, mean/median error, AUC, detection P/R/F1, documents/s.

    Example: kroniek eval geo --xml ../shared/data/geoparsing/TR-News.xml.gz --hold-out --predictions geo.jsonl
    """
    try:
        if hold_out:
            rows = {part: evaluate_geo(xml_path, language, publisher, predictions if part == "tuned" else None, part,
                                       fallback) for part in SPLITS}
        else:
            rows = {split: evaluate_geo(xml_path, language, publisher, predictions, split, fallback)}
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps({part: asdict(r) for part, r in rows.items()} if hold_out else asdict(rows[split])))
        return
    for part, report in rows.items():
        if part != "all":
            click.echo(f"[{part}]")
        _print_report(xml_path, report)


def _print_report(xml_path: Path, report: GeoReport) -> None:
    exact, overlap = report.detection_exact, report.detection_overlap
    click.echo(f"corpus: {xml_path} ({report.documents} documents, {report.gold_geocodable} gold toponyms "
               f"with coordinates; {report.misaligned_offsets} offsets re-anchored, "
               f"{report.dropped_toponyms} phrases not in text)")
    click.echo(f"geocoding of gold toponyms: accuracy@161km {report.accuracy_161:.1%}  AUC {report.auc:.3f}  "
               f"mean error {report.mean_error_km:.0f} km  median error {report.median_error_km:.0f} km  "
               f"(resolved {report.resolved}/{report.gold_geocodable})")
    click.echo(f"detection, exact spans: P {exact['precision']:.3f}  R {exact['recall']:.3f}  F1 {exact['f1']:.3f}")
    click.echo(f"detection, overlapping spans: P {overlap['precision']:.3f}  R {overlap['recall']:.3f}  "
               f"F1 {overlap['f1']:.3f}")
    click.echo(f"throughput: {report.documents_per_second:.0f} documents/s, {report.mentions_per_second:.0f} "
               f"place mentions/s (find_places, one core, CPU time; gazetteer load "
               f"{report.gazetteer_load_seconds:.2f} s)")
    click.echo("published anchors (accuracy@161km LGL / GeoVirus): CamCoder 76% / 82%, CLAVIN 71% / 79%")
