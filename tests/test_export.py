"""Exports: JSON Lines (the EVENTS.md contract), CSV, GeoJSON, Parquet, from a real store; atomic writes; the CLI and
the API write the same bytes."""
from __future__ import annotations

import csv
import json
import os
import warnings
from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from kroniek.eventjson import event_from_dict
from kroniek.export import write_events
from kroniek.records import Article
from kroniek.store import EventQuery, Store

TEXT = "Eergisteren reed een vrachtauto in op een kerstmarkt in Berlijn. IS eiste de aanslag op."
ARTICLE = Article("doc_1", TEXT, "test:1", title="t", url="u", outlet="o", published=date(2016, 12, 21), language="nl")
RECORD = {
    "id": "evt_1", "type": "attack", "subtype": "vehicle_ramming", "modality": "asserted",
    "date": {"start": "2016-12-19", "end": "2016-12-19", "precision": "day", "text": "Eergisteren",
             "resolved_from": "published"},
    "location": {"name": "Berlin", "country": "DE", "admin1": "Berlin", "lat": 52.52, "lon": 13.41,
                 "geonames_id": 2950159, "precision": "city", "text": "Berlijn"},
    "actors": [{"role": "perpetrator", "name": "Islamic State", "id": "islamic-state",
                "kind": "non_state_armed_group", "attribution": "claimed", "text": "IS"}],
    "weapons": ["vehicle"], "targets": ["christmas market"],
    "fatalities": {"min": 12, "max": None, "text": "minstens twaalf doden"},
    "injuries": {"min": 10, "max": None, "text": "tientallen gewonden"},
    "related": [{"relation": "claimed_by", "event_id": "evt_2"}],
    "evidence": [{"doc_id": "doc_1", "start": 0, "end": 20, "quote": "Eergisteren reed een", "field": None}],
    "sources": [{"doc_id": "doc_1", "url": "u", "title": "t", "outlet": "o", "published": "2016-12-21"}],
    "confidence": 0.87,
    "acled_event_type": "Violence against civilians", "acled_sub_event_type": "Attack",
    "gtd_attack_type": "Unarmed Assault",
    "gtd_weapon_types": ["Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)"],
    "outcome": None, "merged_because": [], "triggers": [],
}
UNPLACED = dict(RECORD, id="evt_2", type="claim", subtype=None, location=None,
                related=[{"relation": "claims", "event_id": "evt_1"}], acled_event_type=None,
                acled_sub_event_type=None, gtd_attack_type=None, gtd_weapon_types=[], fatalities=None, injuries=None)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "e.duckdb") as s:
        assert s.add_documents([(ARTICLE, [event_from_dict(RECORD), event_from_dict(UNPLACED)])]) == []
        yield s


ALL = EventQuery(limit=1_000_000_000, order="id")


def test_jsonl_is_the_record_itself(store, tmp_path):
    path = tmp_path / "e.jsonl"
    assert write_events(store, ALL, "jsonl", str(path)) == 2
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == RECORD
    assert json.loads(lines[1])["location"] is None


def test_csv_flattens_fields_with_one_separator(store, tmp_path):
    path = tmp_path / "e.csv"
    write_events(store, ALL, "csv", str(path))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["perpetrators"] == "Islamic State" and rows[0]["fatalities_min"] == "12"
    assert rows[0]["related"] == "claimed_by:evt_2" and rows[0]["date_start"] == "2016-12-19"
    assert rows[0]["acled_sub_event_type"] == "Attack" and rows[0]["fatalities_max"] == ""
    assert rows[1]["related"] == "claims:evt_1" and rows[1]["lat"] == ""


def test_geojson_keeps_every_event(store, tmp_path):
    path = tmp_path / "e.geojson"
    assert write_events(store, ALL, "geojson", str(path)) == 2
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["features"][0]["geometry"]["coordinates"] == [13.41, 52.52]
    assert collection["features"][1]["geometry"] is None
    assert collection["features"][0]["properties"]["weapons"] == ["vehicle"]


def test_parquet_has_real_types_and_the_full_record(store, tmp_path):
    path = tmp_path / "e.parquet"
    write_events(store, ALL, "parquet", str(path))
    table = pq.read_table(path)
    assert table.num_rows == 2
    assert json.loads(table.column("record")[0].as_py()) == RECORD
    assert table.column("lat")[1].as_py() is None
    assert table.column("date_start")[0].as_py() == date(2016, 12, 19)
    assert str(table.schema.field("date_start").type) == "date32[day]"
    assert table.column("weapons")[0].as_py() == ["vehicle"]
    assert table.column("fatalities_min")[0].as_py() == 12


def test_an_export_gets_the_users_umask(store, tmp_path):
    path = tmp_path / "e.csv"
    old = os.umask(0o022)
    try:
        write_events(store, ALL, "csv", str(path))
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644



def test_an_export_to_a_named_pipe_writes_into_it_and_leaves_it_a_pipe(store, tmp_path):
    """-o /dev/null, /dev/stdout or a FIFO is written to as it is: replacing it atomically would put a regular file in
    its place (as root, `kroniek export -o /dev/null` once replaced /dev/null itself)."""
    import stat

    fifo = tmp_path / "events.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)    # a reader is there, so opening it to write does not block
    try:
        assert write_events(store, ALL, "jsonl", str(fifo)) == 2
        data = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [json.loads(line)["id"] for line in data.decode("utf-8").splitlines()] == ["evt_1", "evt_2"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".events")] == []   # no temporary file made


def test_an_export_through_a_link_replaces_the_file_it_points_at(store, tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    assert write_events(store, ALL, "jsonl", str(link)) == 2
    assert link.is_symlink() and len(real.read_text(encoding="utf-8").splitlines()) == 2


def test_an_export_to_a_directory_says_to_give_a_file_name(store, tmp_path):
    with pytest.raises(ValueError, match="is a directory; give a file name"):
        write_events(store, ALL, "jsonl", str(tmp_path))

def test_a_failed_export_leaves_no_partial_file(store, tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text("old\n", encoding="utf-8")

    class Broken:
        def iter_events_json(self, query):
            yield from store.iter_events_json(query)
            raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        write_events(Broken(), ALL, "jsonl", str(path))
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir() if "jsonl" in p.name] == ["e.jsonl"]   # no temporary file left


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson", "parquet"])
def test_the_cli_and_the_api_write_identical_files(store, tmp_path, fmt):
    warnings.filterwarnings("ignore", message=".*httpx.*")
    from fastapi.testclient import TestClient

    from kroniek.serve.app import create_app

    path = tmp_path / f"e.{fmt}"
    write_events(store, EventQuery(limit=1_000_000_000, country="DE"), fmt, str(path))
    with TestClient(create_app(store=store)) as client:
        response = client.get("/api/export", params={"format": fmt, "country": "DE"})
    assert response.status_code == 200
    assert response.content == path.read_bytes()



def _many_events(path, n: int, padding: int) -> None:
    """A store of `n` events with `padding` more characters of evidence each, on 40 days (so most share their date
    with others) and 13 fatality counts, written in an order unlike any export's."""
    from datetime import timedelta

    from kroniek.eventjson import encode_event
    from kroniek.store.columns import event_columns

    with Store.open(path) as s:
        rows = []
        for i in range(n):
            day = date(2016, 1, 1) + timedelta(days=(i * 7) % 40)
            event = event_from_dict(dict(
                RECORD, id=f"evt_{(i * 7919) % n:06d}",
                date=dict(RECORD["date"], start=day.isoformat(), end=day.isoformat()),
                fatalities=dict(RECORD["fatalities"], min=i % 13),
                evidence=[dict(RECORD["evidence"][0], quote=f"{i} {'x' * padding}")]))
            rows.append(event_columns(event, encode_event(event)))
        s._insert("events", rows)


def _pages(store, n: int, order: str, page: int) -> list[str]:
    """The records as the pages give them (sorted ids, then their records: Store._page_ids / _records)."""
    return [r for offset in range(0, n, page) for r in store.events_json(EventQuery(limit=page, offset=offset,
                                                                                     order=order))]


def test_an_export_streams_the_records_in_the_pages_order(tmp_path):
    # The export sorts the records themselves in one query (Store.iter_events_json); a page sorts the ids and then
    # reads their records. Both must give the same records in the same order, ties on the date or the fatalities
    # broken alike, and a filter, a limit and an offset taken alike.
    db = tmp_path / "many.duckdb"
    _many_events(db, 3_000, 100)
    with Store.open(db, read_only=True) as s:
        for order in ("date", "fatalities", "id"):
            assert list(s.iter_events_json(EventQuery(limit=1_000_000_000, order=order))) == _pages(s, 3_000, order,
                                                                                                    700)
        some = EventQuery(limit=450, offset=1_200, order="fatalities", country="DE")
        assert list(s.iter_events_json(some)) == s.events_json(some)
        assert len(s.events_json(some)) == 450


def test_an_export_that_duckdb_cannot_sort_within_its_memory_reads_as_the_pages_do(tmp_path, monkeypatch):
    # 180 MB of records against a 64 MB limit: DuckDB's sort fails (Out of Memory, though it may spill), and the
    # export then reads the records of the sorted ids, 10,000 at a time: the same records in the same order.
    db = tmp_path / "big.duckdb"
    _many_events(db, 20_000, 8_000)
    monkeypatch.setenv("KRONIEK_DUCKDB_MEMORY", "64MB")
    with Store.open(db, read_only=True) as s:
        with pytest.raises(duckdb.OutOfMemoryException):     # what the fallback is for
            s.cursor().execute("SELECT record FROM events ORDER BY date_start DESC NULLS LAST, event_id").fetchmany(1)
        exported = list(s.iter_events_json(EventQuery(limit=1_000_000_000)))
        assert len(exported) == 20_000
        assert exported == _pages(s, 20_000, "date", 5_000)


def test_a_reader_of_a_database_in_a_folder_it_cannot_write_spills_under_the_temporary_folder(tmp_path, monkeypatch):
    # DuckDB spills an export's sort to DATABASE.tmp beside the file by default, which failed on a read-only mount
    # ("Read-only file system"). Such a folder is taken here as one os.access says cannot be written.
    import kroniek.store.duckdb_store as duckdb_store

    db = tmp_path / "db" / "e.duckdb"
    db.parent.mkdir()
    with Store.open(db) as s:
        assert s.add_documents([(ARTICLE, [event_from_dict(RECORD), event_from_dict(UNPLACED)])]) == []
    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.setattr(duckdb_store.tempfile, "tempdir", str(spill))
    real_access = os.access
    monkeypatch.setattr(duckdb_store.os, "access",
                        lambda p, mode: False if str(p) == str(db.parent) else real_access(p, mode))
    with Store.open(db, read_only=True) as s:
        folder = s.cursor().execute("SELECT current_setting('temp_directory')").fetchone()[0]
        assert [json.loads(r)["id"] for r in s.iter_events_json(ALL)] == ["evt_1", "evt_2"]
    assert os.path.dirname(folder) == str(spill) and folder.endswith(".tmp")
    monkeypatch.setattr(duckdb_store.os, "access", real_access)
    with Store.open(db, read_only=True) as s:       # a folder it can write: DuckDB's own choice, beside the file
        assert s.cursor().execute("SELECT current_setting('temp_directory')").fetchone()[0] == f"{db}.tmp"
