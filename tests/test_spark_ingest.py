"""`kroniek spark ingest` in local mode (a real local[2] Spark, no mocks) against `kroniek ingest` into DuckDB: the same
input gives the same events (every column and the record, byte for byte) and the same ids; bad input items give the
same one-line errors and the job goes on; without Java or pyspark the command says so in one line."""
from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from kroniek.cli import main
from kroniek.datafiles import data_path
from kroniek.eventjson import encode_event
from kroniek.export import DOCUMENT_COLUMNS, parquet_schema, write_events
from kroniek.ingest.sources import read_sources
from kroniek.pipeline import ingest_into
from kroniek.records import Article
from kroniek.store import EventQuery, Store

REPO = Path(__file__).resolve().parents[1]
DEMO = data_path("demo")
DEMO_TEXTS = sorted(str(p) for p in DEMO.glob("*.txt"))        # what `kroniek demo` ingests
ALL = EventQuery(limit=1_000_000, order="id")


@pytest.fixture(scope="module")
def spark():
    from kroniek.spark.session import SparkUnavailable, spark_session

    try:
        session = spark_session("local[2]", partitions=4, app_name="kroniek-tests")
    except SparkUnavailable as exc:
        pytest.skip(f"Spark cannot run here: {exc}")
    yield session
    session.stop()


def _duckdb(paths: list[str], tmp: Path) -> tuple[dict[str, dict], list[tuple]]:
    """`kroniek ingest PATHS` then `kroniek export --format parquet`: rows by id, and the documents."""
    with Store.open(str(tmp / "single.duckdb")) as store:
        ingest_into(store, read_sources(paths))
        write_events(store, ALL, "parquet", str(tmp / "single.parquet"))
        documents = store.cursor().execute("SELECT doc_id, origin, duplicate_of, text IS NULL FROM documents "
                                           "ORDER BY doc_id").fetchall()
    table = pq.read_table(tmp / "single.parquet")
    assert table.schema.equals(parquet_schema())
    return {row["id"]: row for row in table.to_pylist()}, documents


def _spark(spark, paths: list[str], tmp: Path):
    from kroniek.spark.job import spark_ingest

    out = tmp / "spark-out"
    report = spark_ingest(spark, paths, str(out), partitions=4)
    events = pq.read_table(out / "events")
    documents = pq.read_table(out / "documents")
    assert events.schema.equals(parquet_schema())          # exactly the export's columns and types
    assert documents.schema.names == list(DOCUMENT_COLUMNS)
    rows = {row["id"]: row for row in events.to_pylist()}
    docs = sorted((d["doc_id"], d["origin"], d["duplicate_of"], d["text"] is None) for d in documents.to_pylist())
    return report, rows, docs


def _assert_same(single: dict[str, dict], distributed: dict[str, dict]) -> None:
    assert sorted(distributed) == sorted(single)
    for event_id, row in single.items():
        assert distributed[event_id] == row, event_id


def test_the_demo_corpus_gives_the_events_and_ids_of_kroniek_ingest(spark, tmp_path):
    single, documents = _duckdb(DEMO_TEXTS, tmp_path)
    report, distributed, docs = _spark(spark, DEMO_TEXTS, tmp_path)
    _assert_same(single, distributed)
    assert docs == documents
    assert report.documents == 28 and report.rejects == []
    # written out: the Berlin attack, told in Dutch and in English, is one event with both sources
    berlin = [r for r in distributed.values() if r["type"] == "attack" and r["date_start"] is not None
              and r["date_start"].isoformat() == "2016-12-19" and r["country"] == "DE"]
    assert len(berlin) == 1 and berlin[0]["n_sources"] >= 2


@pytest.mark.parametrize("target", ["duckdb", "postgresql"])
def test_to_a_database_stores_what_kroniek_ingest_stores_there(spark, tmp_path, request, target):
    from kroniek.spark.job import spark_ingest
    from kroniek.store import open_store

    db = str(tmp_path / "loaded.duckdb") if target == "duckdb" else request.getfixturevalue("pg_url")
    report = spark_ingest(spark, DEMO_TEXTS, str(tmp_path / "out"), partitions=4, to=db)
    assert report.loaded.documents == 28 and report.loaded.rejects == []
    with Store.open(str(tmp_path / "single.duckdb")) as store:
        ingest_into(store, read_sources(DEMO_TEXTS))
        write_events(store, ALL, "jsonl", str(tmp_path / "single.jsonl"))
    store = open_store(db)
    try:
        write_events(store, ALL, "jsonl", str(tmp_path / "loaded.jsonl"))
        # the database goes on as any other: the same texts again are all already stored
        again = ingest_into(store, read_sources(DEMO_TEXTS[:3]))
    finally:
        store.close()
    single = (tmp_path / "single.jsonl").read_bytes()
    assert single.count(b"\n") > 50
    assert (tmp_path / "loaded.jsonl").read_bytes() == single
    assert (again.documents, again.skipped) == (0, 3)


def _bad_inputs(root: Path) -> None:
    (root / "sub").mkdir()
    (root / "aanslag.txt").write_text("Bij een aanslag op een kerstmarkt in Berlijn zijn maandagavond twaalf mensen "
                                      "om het leven gekomen.", encoding="utf-8")
    (root / "aanslag.meta.json").write_text('{"published": "2016-12-20", "language": "nl"}', encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "sub" / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / "sub" / "broken.meta.json").write_text("{nope", encoding="utf-8")
    (root / "sub" / "broken.txt").write_text("A truck drove into a market in Nice on Thursday, killing 84 people.",
                                             encoding="utf-8")
    (root / "feed.jsonl").write_text("\n".join([
        json.dumps({"text": "A suicide bomber killed 22 people at a concert in Manchester on Monday.",
                    "published": "2017-05-23", "language": "en"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": "A suicide bomber killed 22 people at a concert in Manchester on Monday.",
                    "published": "2017-05-23", "language": "en"}),        # the same text again: skipped
    ]) + "\n", encoding="utf-8")


def _rejected_lines(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if line.startswith("rejected: "))


def test_bad_items_give_the_same_one_line_errors_and_the_rest_goes_on(spark, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _bad_inputs(corpus)
    runner = CliRunner()
    single = runner.invoke(main, ["ingest", str(corpus), str(tmp_path / "missing.txt"), "--db",
                                  str(tmp_path / "s.duckdb"), "-q"])
    distributed = runner.invoke(main, ["spark", "ingest", str(corpus), str(tmp_path / "missing.txt"), "--out",
                                       str(tmp_path / "out"), "--partitions", "3"])
    assert single.exit_code == 0 and distributed.exit_code == 0, distributed.output
    lines = _rejected_lines(distributed.stderr)
    assert lines == _rejected_lines(single.stderr)
    codes = sorted(line.rsplit("[", 1)[1].rstrip("]") for line in lines)
    assert codes == ["K101", "K102", "K106", "K107", "K107", "K109", "K110"]
    assert f"rejected: {tmp_path / 'missing.txt'}: no such file or directory [K109]" in lines
    assert any(line.startswith(f"rejected: {corpus / 'feed.jsonl'}:2: not valid JSON") for line in lines)
    with Store.open(str(tmp_path / "s.duckdb"), read_only=True) as store:
        expected = {e.id: encode_event(e) for e in store.iter_events(ALL)}
    rows = pq.read_table(tmp_path / "out" / "events").to_pylist()
    assert {r["id"]: r["record"].encode("utf-8") for r in rows} == expected
    assert len(expected) >= 3          # Berlin, Nice and Manchester at least
    assert "1 duplicates skipped" in distributed.stdout


def test_near_duplicate_copies_are_held_and_sourced_as_kroniek_ingest_does(spark, tmp_path):
    from test_near_duplicates import EN, NL, _copy

    feed = tmp_path / "copies.jsonl"
    rows = [(NL, "nl", "2016-12-21", "https://krant.example/berlijn"),
            (_copy(NL, "nl"), "nl", "2016-12-21", "https://omroep.example/is-eist"),
            (EN, "en", "2017-05-23", "https://paper.example/manchester"),
            (_copy(EN, "en"), "en", "2017-05-23", "https://wire.example/manchester")]
    feed.write_text("".join(json.dumps({"text": t, "language": lang, "published": day, "url": url}) + "\n"
                            for t, lang, day, url in rows), encoding="utf-8")
    paths = [str(feed), str(DEMO / "2016-12-23_berlin_suspect_killed_en.txt")]
    single, documents = _duckdb(paths, tmp_path)
    report, distributed, docs = _spark(spark, paths, tmp_path)
    _assert_same(single, distributed)
    assert docs == documents
    assert report.copies == 2 and sum(1 for d in docs if d[2] is not None) == 2
    urls = {u for r in distributed.values() for u in r["source_urls"]}
    assert {"https://omroep.example/is-eist", "https://wire.example/manchester"} <= urls


def _report(event_id: str, doc: str, day: str, killed: int | None, subtype: str | None, place, precision="day",
            end: str | None = None):
    from datetime import date

    from kroniek.records import Count, DateRange, Event, Source

    return Event(id=event_id, type="attack", subtype=subtype, modality="asserted",
                 date=DateRange(date.fromisoformat(day), date.fromisoformat(end or day), precision, day, "absolute"),
                 location=place, fatalities=Count(killed, killed, "x") if killed is not None else None,
                 sources=(Source(doc, f"u:{doc}", None, None, date(2016, 12, 21)),), confidence=0.8)


def _large_block() -> list:
    """Forty reports that all share one block key (attacks in Germany on 19 to 21 December 2016): cities, the
    country only, a week, tolls that agree with some and not others, subtypes that do or do not match, so the
    connected component is large and complete linkage has to split it."""
    from kroniek.records import Location

    places = [Location("Berlin", "DE", "Berlin", 52.52, 13.41, 2950159, "city", "Berlijn"),
              Location("Hamburg", "DE", "Hamburg", 53.55, 10.0, 2911298, "city", "Hamburg"),
              Location("Germany", "DE", None, 51.5, 10.5, 2921044, "country", "Duitsland")]
    rng = random.Random(13)
    reports = []
    for n in range(40):
        day = rng.choice(["2016-12-19", "2016-12-19", "2016-12-20"])
        week = rng.random() < 0.15
        reports.append(_report(f"r{n:03d}", f"d{n:03d}", "2016-12-19" if week else day,
                               rng.choice([12, 12, 11, None, 3]), rng.choice(["vehicle_ramming", None, "shooting"]),
                               rng.choice(places), precision="week" if week else "day",
                               end="2016-12-25" if week else None))
    return reports


def _incremental(reports: list, batch: int) -> dict[str, bytes]:
    with Store.open(":memory:") as store:
        for i in range(0, len(reports), batch):
            chunk = reports[i:i + batch]
            failures = store.add_documents([(Article(r.sources[0].doc_id, "x", r.sources[0].doc_id), [r])
                                            for r in chunk])
            assert failures == []
        return {e.id: encode_event(e) for e in store.iter_events(ALL)}


def test_a_large_block_gives_what_the_incremental_path_gives_in_any_order(spark):
    from kroniek.spark.consolidate import consolidated_events

    reports = _large_block()
    expected = _incremental(reports, 64)
    rng = random.Random(5)
    for _ in range(3):                       # the incremental path itself: one report at a time, in any order
        shuffled = reports[:]
        rng.shuffle(shuffled)
        assert _incremental(shuffled, 1) == expected
    sc = spark.sparkContext
    events = consolidated_events(sc.parallelize(reports, 4), sc.parallelize([], 1), 4).collect()
    assert {e.id: encode_event(e) for e in events} == expected
    assert 3 < len(expected) < 40           # some merged, some kept apart


def _muc4_corpus(path: Path, n: int) -> Path:
    source = REPO.parent / "shared" / "data" / "muc4" / "train.gtt.jsonl.gz"
    if not source.exists():
        pytest.skip(f"{source} is not present")
    with gzip.open(source, "rt", encoding="utf-8") as fh, path.open("w", encoding="utf-8") as out:
        for i, line in zip(range(n), fh):
            doc = json.loads(line)
            out.write(json.dumps({"text": doc["doctext"], "language": "en", "url": f"muc4:{doc['docid']}"}) + "\n")
    return path


@pytest.mark.slow
def test_400_muc4_texts_give_exactly_the_event_ids_of_kroniek_ingest(spark, tmp_path):
    corpus = _muc4_corpus(tmp_path / "muc4.jsonl", 400)
    single, documents = _duckdb([str(corpus)], tmp_path)
    report, distributed, docs = _spark(spark, [str(corpus)], tmp_path)
    assert len(single) > 400
    _assert_same(single, distributed)
    assert docs == documents


def _cli(env: dict, *prelude: str) -> subprocess.CompletedProcess:
    code = "; ".join(prelude + ("from kroniek.cli import main", "main()"))
    return subprocess.run([sys.executable, "-c", code, "spark", "ingest", str(DEMO), "--out", "/nonexistent/out"],
                          capture_output=True, text=True, env=env, cwd=REPO)


def test_without_java_the_command_says_so_in_one_line():
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = os.path.dirname(sys.executable)          # python, and no java
    result = _cli(env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: Java is not installed: Spark needs a Java 17 or newer runtime [K242]; install one (Debian: apt-get "
        "install default-jre-headless) or set JAVA_HOME"]


def test_without_pyspark_the_command_says_so_in_one_line():
    # pyspark made unimportable for this process only (sys.modules[name] = None makes `import` raise ImportError)
    result = _cli(dict(os.environ), "import sys", "sys.modules['pyspark'] = None")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: pyspark is not installed") and line.endswith(
        "[K241]; install it with pip install 'kroniek[spark]'")
