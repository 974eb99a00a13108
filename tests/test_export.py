"""Exports: JSON Lines (the EVENTS.md contract), CSV, GeoJSON, Parquet; atomic writes."""
from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq

from kroniek.export import CSV_COLUMNS, write_events

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
}
UNPLACED = dict(RECORD, id="evt_2", type="claim", location=None)


def test_jsonl_is_the_record_itself(tmp_path):
    path = tmp_path / "e.jsonl"
    assert write_events([RECORD, UNPLACED], "jsonl", str(path)) == 2
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == RECORD


def test_csv_flattens_fields(tmp_path):
    path = tmp_path / "e.csv"
    write_events([RECORD], "csv", str(path))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["perpetrators"] == "Islamic State" and rows[0]["fatalities_min"] == "12"
    assert rows[0]["related"] == "claimed_by:evt_2"


def test_geojson_has_points_and_counts_unplaced(tmp_path):
    path = tmp_path / "e.geojson"
    assert write_events([RECORD, UNPLACED], "geojson", str(path)) == 1
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["features"][0]["geometry"]["coordinates"] == [13.41, 52.52]
    assert collection["properties"]["events_without_place"] == 1


def test_parquet_keeps_the_full_record(tmp_path):
    path = tmp_path / "e.parquet"
    write_events([RECORD, UNPLACED], "parquet", str(path))
    table = pq.read_table(path)
    assert table.num_rows == 2
    assert json.loads(table.column("record")[0].as_py()) == RECORD
    assert table.column("lat")[1].as_py() is None


def test_a_failed_export_leaves_no_partial_file(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text("old\n", encoding="utf-8")

    def broken():
        yield RECORD
        raise RuntimeError("disk gone")

    try:
        write_events(broken(), "jsonl", str(path))
    except RuntimeError:
        pass
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["e.jsonl"]
