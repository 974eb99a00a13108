"""`kroniek eval geo`: corpus reading, the metrics, the command; a quality floor on TR-News when present."""
from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from kroniek.evaluate.geo import auc_of_errors, command, evaluate_geo, is_held_out, read_corpus

TR_NEWS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "geoparsing" / "TR-News.xml.gz"

TEXT_ONE = "Police in Mosul said the attack near Aleppo killed five. Iraq closed its border."
TEXT_TWO = "Snow fell on Edmonton, Alberta, and on Heavytown."


def _toponym(text: str, phrase: str, lat: float, lon: float, *, shift: int = 0, geonames_id: int = 1) -> str:
    start = text.index(phrase) + shift
    return (f"<toponym><phrase>{phrase}</phrase><start>{start}</start><end>{start + len(phrase)}</end>"
            f"<gaztag geonameid=\"{geonames_id}\"><name>{phrase}</name><lat>{lat}</lat><lon>{lon}</lon></gaztag>"
            "</toponym>")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    one = "".join([_toponym(TEXT_ONE, "Mosul", 36.335, 43.119), _toponym(TEXT_ONE, "Aleppo", 36.201, 37.161),
                   _toponym(TEXT_ONE, "Iraq", 33.0, 44.0, shift=3)])          # offset off by three: re-anchored
    two = "".join([_toponym(TEXT_TWO, "Edmonton", 53.55, -113.469), _toponym(TEXT_TWO, "Alberta", 52.283, -117.469),
                   _toponym(TEXT_TWO, "Heavytown", 10.0, 10.0)])           # no such place: the worst error
    xml = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><articles>"
           f"<article docid=\"a1\"><domain>www.example.com</domain><text><![CDATA[{TEXT_ONE}]]></text>"
           f"<toponyms>{one}</toponyms></article>"
           f"<article docid=\"a2\"><domain>www.example.ca</domain><text><![CDATA[{TEXT_TWO}]]></text>"
           f"<toponyms>{two}</toponyms></article></articles>")
    path = tmp_path / "tiny.xml.gz"
    path.write_bytes(gzip.compress(xml.encode("utf-8")))
    return path


def test_auc_of_errors_follows_gritta_et_al():
    assert auc_of_errors([0.0, 0.0, 0.0]) == 0.0
    assert auc_of_errors([20039.0] * 4) == pytest.approx(math.log(20040) / math.log(20039))
    # Sorted ln(1 + e) under the trapezoidal rule: (ln 1 + ln 101) / 2 / ln 20039 for two points.
    assert auc_of_errors([100.0, 0.0]) == pytest.approx(math.log(101) / 2 / math.log(20039))
    assert math.isnan(auc_of_errors([5.0]))


def test_read_corpus_reanchors_drifting_offsets(corpus: Path):
    articles = list(read_corpus(corpus))
    assert [a.doc_id for a in articles] == ["a1", "a2"]
    iraq = articles[0].toponyms[2]
    assert TEXT_ONE[iraq.start:iraq.end] == "Iraq"
    assert articles[0].misaligned == 1 and articles[1].misaligned == 0


def test_evaluate_geo_counts_and_writes_predictions(corpus: Path, tmp_path: Path):
    out = tmp_path / "predictions.jsonl"
    report = evaluate_geo(corpus, predictions=out)
    assert report.documents == 2 and report.gold_geocodable == 6
    # Mosul, Aleppo, Iraq and Edmonton are right; Heavytown is in no gazetteer: it takes the article's focus
    # (Edmonton, the finest place named), some 12,000 km from the (made-up) gold point.
    assert report.resolved == 6
    assert 4 / 6 <= report.accuracy_161 <= 5 / 6
    assert report.median_error_km < 161
    assert 0 < report.auc < 1
    assert report.detection_exact["gold"] == 6
    assert report.detection_exact["true_positive"] >= 5   # everything but Heavytown
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["doc_id"] for line in lines] == ["a1", "a2"]
    assert lines[1]["publisher_country"] == "CA"
    heavytown = lines[1]["toponyms"][2]
    assert heavytown["predicted"]["name"] == "Edmonton" and 10_000 < heavytown["error_km"] < 20039.0
    assert heavytown["predicted"]["confidence"] <= 0.3
    # Without the fallback, Heavytown stays unresolved and counts as the largest error on Earth.
    strict = evaluate_geo(corpus, fallback=False)
    assert strict.resolved == 5 and strict.accuracy_161 == report.accuracy_161
    assert strict.mean_error_km > report.mean_error_km
    assert lines[0]["toponyms"][0]["predicted"]["name"] == "Mosul"


def test_held_out_third_is_fixed_by_the_document_id(corpus: Path):
    # crc32("gwn-0") % 3 == 1, crc32("a1") % 3 == 2: tuned; a document whose crc32 is divisible by 3 is held out.
    assert not is_held_out("gwn-0") and not is_held_out("a1") and not is_held_out("a2")
    assert is_held_out("a7") and is_held_out("gwn-4")
    assert evaluate_geo(corpus, split="tuned").documents == 2
    assert evaluate_geo(corpus, split="held-out").documents == 0
    result = CliRunner().invoke(command, ["--xml", str(corpus), "--hold-out", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert sorted(rows) == ["all", "held-out", "tuned"]
    assert rows["all"]["documents"] == 2 and rows["tuned"]["documents"] == 2 and rows["held-out"]["documents"] == 0


def test_command_prints_the_figures(corpus: Path):
    result = CliRunner().invoke(command, ["--xml", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "accuracy@161km" in result.output and "AUC" in result.output
    assert "documents/s" in result.output and "F1" in result.output
    as_json = CliRunner().invoke(command, ["--xml", str(corpus), "--json"])
    assert json.loads(as_json.output)["documents"] == 2


def test_command_rejects_a_file_that_is_not_a_corpus(tmp_path: Path):
    bad = tmp_path / "bad.xml"
    bad.write_text("not xml at all", encoding="utf-8")
    result = CliRunner().invoke(command, ["--xml", str(bad)])
    assert result.exit_code != 0
    assert "not a readable geoparsing XML file" in result.output


def test_tr_news_quality_floor():
    """The figures in docs/PLACES.md: floors only go up."""
    if not TR_NEWS.exists():
        pytest.skip("TR-News is not in ../shared/data/geoparsing")
    report = evaluate_geo(TR_NEWS)
    assert report.accuracy_161 >= 0.90          # 0.911 measured on branch geo (issue 11)
    assert report.auc <= 0.16
    assert report.detection_exact["f1"] >= 0.80
    # The held-out third (never tuned on) keeps its own floor.
    held = evaluate_geo(TR_NEWS, split="held-out")
    assert held.documents == 38 and held.accuracy_161 >= 0.90
