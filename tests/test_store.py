"""The DuckDB store: migrations, atomic batches, merging across documents, queries, stats."""
from __future__ import annotations

from datetime import date

import msgspec
import pytest

from kroniek.errors import StoreError
from kroniek.eventjson import event_from_dict
from kroniek.records import Article, Event
from kroniek.store import EventQuery, Store


def _record(event_id: str, doc_id: str, *, type_="attack", day="2016-12-19", place="Berlin", country="DE",
            geonames_id=2950159, fatalities=12, quote="Een aanslag.", modality="asserted") -> Event:
    return event_from_dict({"id": event_id, "type": type_, "subtype": None, "modality": modality,
            "date": {"start": day, "end": day, "precision": "day", "text": "gisteren", "resolved_from": "published"},
            "location": {"name": place, "country": country, "admin1": None, "lat": 52.5, "lon": 13.4,
                         "geonames_id": geonames_id, "precision": "city", "text": place},
            "actors": [{"role": "perpetrator", "name": "Islamic State", "id": "islamic-state",
                        "kind": "non_state_armed_group", "attribution": "claimed", "text": "IS"}],
            "weapons": ["vehicle"], "targets": [], "fatalities": {"min": fatalities, "max": None, "text": "x"},
            "injuries": None, "related": [], "evidence": [{"doc_id": doc_id, "start": 0, "end": len(quote),
                                                           "quote": quote, "field": None}],
            "sources": [{"doc_id": doc_id, "url": f"u:{doc_id}", "title": "t", "outlet": "o",
                         "published": "2016-12-21"}], "confidence": 0.8})


def _article(doc_id: str) -> Article:
    return Article(doc_id, f"text of {doc_id}", f"{doc_id}.txt", published=date(2016, 12, 21), language="nl")


def test_same_event_from_two_documents_is_one_event_with_two_sources():
    with Store.open(":memory:") as store:
        store.add_documents([(_article("d1"), [_record("e1", "d1", fatalities=9)])])
        store.add_documents([(_article("d2"), [_record("e2", "d2", fatalities=12, quote="An attack.")])])
        events = store.events()
        assert len(events) == 1
        event = events[0]
        assert event.id == "e1"
        assert [s.doc_id for s in event.sources] == ["d1", "d2"]
        assert event.fatalities.min == 12
        assert "same place (Berlin)" in event.merged_because[0]
        assert store.document("d2")["event_ids"] == ["e1"]


@pytest.mark.parametrize("change", [dict(day="2016-12-25"), dict(place="Hamburg", geonames_id=2911298),
                                    dict(type_="arrest"), dict(modality="hypothetical")])
def test_different_events_stay_apart(change):
    with Store.open(":memory:") as store:
        store.add_documents([(_article("d1"), [_record("e1", "d1")])])
        store.add_documents([(_article("d2"), [_record("e2", "d2", **change)])])
        assert store.count_events() == 2


def test_two_events_of_one_document_are_never_merged():
    with Store.open(":memory:") as store:
        store.add_documents([(_article("d1"), [_record("e1", "d1"), _record("e2", "d1")])])
        assert store.count_events() == 2


def test_a_failing_document_leaves_nothing_behind_and_its_neighbours_are_stored():
    with Store.open(":memory:") as store:
        bad = msgspec.structs.replace(_record("e2", "d2"), confidence=object())   # cannot be encoded: d2 fails
        failures = store.add_documents([(_article("d1"), [_record("e1", "d1")]), (_article("d2"), [bad]),
                                        (_article("d3"), [_record("e3", "d3", day="2017-01-01")])])
        assert [a.doc_id for a, _ in failures] == ["d2"]
        assert store.counts()["documents"] == 2
        assert store.document("d2") is None
        assert store.known_documents(["d1", "d2", "d3"]) == {"d1", "d3"}


def test_readding_a_document_changes_nothing():
    with Store.open(":memory:") as store:
        store.add_documents([(_article("d1"), [_record("e1", "d1")])])
        before = store.counts()
        store.add_documents([(_article("d1"), [_record("e1", "d1")])])
        assert store.counts() == before


def test_queries_filter_and_paginate():
    with Store.open(":memory:") as store:
        store.add_documents([(_article("d1"), [_record("e1", "d1"),
                                               _record("e2", "d1", type_="claim", day="2016-12-20"),
                                               _record("e3", "d1", place="Mosul", country="IQ", geonames_id=99072,
                                                       day="2016-10-17", quote="Strijd om Mosoel.")])])
        assert {e.id for e in store.events(EventQuery(country="iq"))} == {"e3"}
        assert {e.id for e in store.events(EventQuery(type="claim"))} == {"e2"}
        assert {e.id for e in store.events(EventQuery(since=date(2016, 12, 1)))} == {"e1", "e2"}
        assert {e.id for e in store.events(EventQuery(until=date(2016, 11, 1)))} == {"e3"}
        assert {e.id for e in store.events(EventQuery(text="mosoel"))} == {"e3"}
        assert {e.id for e in store.events(EventQuery(actor="islamic"))} == {"e1", "e2", "e3"}
        assert {e.id for e in store.events(EventQuery(bbox=(40, 30, 50, 40)))} == set()
        assert [e.id for e in store.events(EventQuery(limit=3))] == ["e2", "e1", "e3"]   # newest first
        page1 = store.events(EventQuery(limit=2, offset=0))
        page2 = store.events(EventQuery(limit=2, offset=2))
        assert len(page1) == 2 and len(page2) == 1 and not {e.id for e in page1} & {e.id for e in page2}
        stats = store.stats()
        assert stats["total"] == 3 and stats["by_type"] == {"attack": 2, "claim": 1}
        assert stats["by_country"] == {"DE": 2, "IQ": 1}
        assert {w["week"] for w in stats["by_week"]} == {"2016-W51", "2016-W42"}


def test_read_only_open_of_missing_database_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="kroniek ingest"):
        Store.open(tmp_path / "nope.duckdb", read_only=True)


def test_database_persists_and_schema_is_versioned(tmp_db):
    with Store.open(tmp_db) as store:
        store.add_documents([(_article("d1"), [_record("e1", "d1")])])
        assert store.schema_version() == 6
    with Store.open(tmp_db, read_only=True) as store:
        assert store.event("e1").location.name == "Berlin"


def test_an_empty_or_foreign_file_is_refused_with_one_line(tmp_path):
    """Bug: a kill before the schema was committed left a database without Kroniek's tables, and reading it died with
    a CatalogException; a file that is not DuckDB, or holds someone else's tables, must not be written either."""
    import duckdb

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(StoreError, match=r"empty database.*\[K203\].*kroniek ingest"):
        Store.open(empty, read_only=True)
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as db:
        db.execute("CREATE TABLE invoices (n INTEGER)")
    for read_only in (True, False):
        with pytest.raises(StoreError, match=r"not a Kroniek database \(it holds other tables\) \[K203\]"):
            Store.open(foreign, read_only=read_only)
    text = tmp_path / "notes.duckdb"
    text.write_text("these are my notes\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match=r"not a Kroniek database.*\[K203\]"):
        Store.open(text)
    assert text.read_text(encoding="utf-8") == "these are my notes\n" * 100
    with Store.open(empty) as store:        # an empty file is fine to write into
        assert store.schema_version() == 6


def test_an_older_schema_is_refused_read_only_and_migrated_by_a_writer(tmp_path):
    from kroniek.store.schema import MIGRATIONS

    old = tmp_path / "old.duckdb"
    import duckdb
    with duckdb.connect(str(old)) as db:
        for statement in MIGRATIONS[1]:
            db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    with pytest.raises(StoreError, match=r"schema 1.*\[K204\].*kroniek migrate --db"):
        Store.open(old, read_only=True)
    with Store.open(old) as store:
        assert store.schema_version() == 6
    with Store.open(old, read_only=True) as store:
        assert store.count_events() == 0


def test_an_event_at_the_end_of_the_calendar_does_not_block_its_next_report():
    """Bug: once an event dated 9999-12-31 was stored, every later report of the same event was rejected (the merge
    window ran past the last date)."""
    with Store.open(":memory:") as store:
        assert store.add_documents([(_article("d1"), [_record("e1", "d1", day="9999-12-31")])]) == []
        assert store.add_documents([(_article("d2"), [_record("e2", "d2", day="9999-12-31")])]) == []
        (event,) = store.events()
        assert [s.doc_id for s in event.sources] == ["d1", "d2"]


def test_migration_6_folds_the_search_columns_of_stored_events(tmp_path):
    from kroniek.store.schema import MIGRATIONS

    path = tmp_path / "v5.duckdb"
    import duckdb

    with duckdb.connect(str(path)) as db:
        for version in range(1, 6):
            for statement in MIGRATIONS[version]:
                db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('schema_version', '5')")
        db.execute("INSERT INTO events (event_id, type, actor_names, search_text) "
                   "VALUES ('e1', 'attack', 'Gökmen T. | ÖZIL', 'Aanslag in MÜNCHEN op de Straße')")
    with Store.open(path) as store:
        assert store.schema_version() == 6
        row = store.cursor().execute("SELECT actor_names, search_text FROM events").fetchone()
    assert row == ("gökmen t. | özil", "aanslag in münchen op de strasse")


def test_the_writer_counts_dead_rows_and_vacuums_once_they_reach_a_share_of_the_live_ones(tmp_path, monkeypatch):
    """An event rewritten leaves its old row dead; the writer keeps the count (across runs, in meta) and vacuums
    itself when it is due, with DuckDB's own vacuuming off in between; nothing stored changes."""
    import kroniek.store.duckdb_store as duckdb_store

    def dead_rows(store: Store) -> str | None:
        row = store._db.execute("SELECT value FROM meta WHERE key = 'dead_rows'").fetchone()
        return row[0] if row else None

    path = tmp_path / "k.duckdb"
    with Store.open(path) as store:
        assert store._db.execute("SELECT current_setting('max_vacuum_tasks')").fetchone()[0] == 0
        store.add_documents([(_article(f"o{i}"), [_record(f"o{i}", f"o{i}", day=f"2016-0{1 + i % 9}-0{1 + i % 9}",
                                                           place=f"Stad{i}", geonames_id=1000 + i)])
                             for i in range(12)])
        store.add_documents([(_article("d1"), [_record("e1", "d1", fatalities=9)])])
        assert dead_rows(store) is None                      # nothing rewritten yet
        store.add_documents([(_article("d2"), [_record("e2", "d2", fatalities=12, quote="An attack.")])])
        assert dead_rows(store) == "1"                       # e1's first row; 1 of 27 live rows: not due
    with Store.open(path) as store:
        assert dead_rows(store) == "1"
        before = [e.id for e in store.events(EventQuery(limit=100))]
        monkeypatch.setattr(duckdb_store, "_VACUUM_SHARE", 0.01)
        store.add_documents([(_article("d3"), [_record("e3", "d3", fatalities=14, quote="Aanslag.")])])
        assert dead_rows(store) == "0"                       # vacuumed, count reset
        assert store._db.execute("SELECT current_setting('max_vacuum_tasks')").fetchone()[0] == 0
        events = store.events(EventQuery(limit=100))
        assert [e.id for e in events] == before
        assert max(e.fatalities.min for e in events if e.fatalities) == 14
        assert store.counts() == {"documents": 15, "events": 13, "reports": 15, "rejects": 0}


def test_a_memory_setting_duckdb_cannot_read_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KRONIEK_DUCKDB_MEMORY", "lots")
    with pytest.raises(StoreError, match="KRONIEK_DUCKDB_MEMORY='lots' is not a size"):
        Store.open(tmp_path / "k.duckdb")
    monkeypatch.setenv("KRONIEK_DUCKDB_MEMORY", "300MB")
    with Store.open(tmp_path / "k.duckdb") as store:
        assert store._db.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "286.1 MiB"
