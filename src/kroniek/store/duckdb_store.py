"""The DuckDB event store: documents, their reports (each document's own events), events, rejects.

Writes are atomic per batch of documents (one transaction); a batch that fails is retried one document at a
time, so a bad document never leaves half of itself, or of its neighbours, behind.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import duckdb

from ..consolidate.update import plan_update
from ..errors import StoreError
from ..eventjson import decode_event
from ..records import Article, Event, Rejected, Source
from .columns import (INDEX_COLUMNS, band_rows, document_rows, event_columns, point_json, report_key_rows, report_rows,
                      search_form)
from .query import EventQuery
from .schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["Store", "StoredDocument"]

StoredDocument = tuple[Article, Sequence[Event]]
# Rows written as typed lists in one statement while rows x columns stays at or under this; more go in as NumPy
# object columns (DuckDB reads those directly: ~1 us a value against ~4 us as typed lists, measured with DuckDB 2.0 on
# 1,470 rows of 20 columns; and, unlike Arrow, without importing pyarrow and pandas: 0.4 s of CPU and ~110 MB).
INLINE_VALUES = 256
_RECORDS_PER_READ = 10_000   # records read per query or fetch when streaming (export): bounded memory at any size
_NO_LINKS = '"related":[]'    # how encode_event writes a record that links to no other event
# Keys per `IN (?, ?, ...)` list when the writer looks rows up by an indexed column. DuckDB answers such a list from
# the column's ART index (while the query matches at most index_scan_max_count, 2,048, rows), where
# `IN (SELECT unnest(?))` joins against a scan of the whole column, a cost that grows with the database: 300 reports
# of the 133,469 stored for 10,000 generated articles in 14 ms against 105 (DuckDB 2.0.1). 200 keys stay under
# 2,048 rows where a key has up to ten (a document's reports: 13 on average in that corpus, so 64 at a time).
_KEYS_PER_LOOKUP = 200


def _lookup(db: duckdb.DuckDBPyConnection, sql: str, keys: Iterable[Any], before: Sequence[Any] = (),
            per_list: int = _KEYS_PER_LOOKUP) -> list[tuple]:
    """The rows of `sql` for these keys: `{keys}` in it stands for an `IN` list of at most `per_list` of them, one
    statement per list (`before`: the parameters that come before the list). Rows come in no particular order."""
    keys = list(keys)
    rows: list[tuple] = []
    for start in range(0, len(keys), per_list):
        chunk = keys[start:start + per_list]
        rows += db.execute(sql.format(keys=", ".join("?" * len(chunk))), [*before, *chunk]).fetchall()
    return rows


def _changed(counts: list[tuple]) -> int:
    """How many rows the statements of a :func:`_lookup` that deleted or updated rows changed."""
    return sum(n for (n,) in counts)


_DOCUMENTS_PER_LOOKUP = 64   # a document has ~13 reports (see _KEYS_PER_LOOKUP), up to a few hundred

# A write leaves dead rows behind: an event rewritten (deleted, then inserted again), a report moved to another event
# (DuckDB updates an indexed column by deleting the row and inserting it again). DuckDB reclaims them by rewriting
# whole row groups when it checkpoints, and by default it tries at every automatic checkpoint (each 16 MiB of log):
# at 10,000 generated articles stored that rewrote the events table's records over and over, 3.0 s of a 500-article
# batch's 14 s, for a few hundred dead rows each time. So the writer turns that off and vacuums itself once the dead
# rows since the last time reach this share of the live ones: the rewriting per dead row then stays the same at any
# size (a vacuum rewrites up to a table to reclaim a third of it) instead of growing with the table.
_VACUUM_SHARE = 1 / 3
# DuckDB keeps what it read in its buffer pool up to 80 % of the machine's memory by default, so a long ingest grew
# with the database (394 MB after the first 500 generated articles, 819 MB after 10,000; 182 MB of it table blocks
# held by DuckDB). A limit makes it evict them (with 160 MB: 498-508 MB over three more batches at 10,000, at the same
# CPU cost). It cannot go much lower: the ART indexes must fit (47 MB at 10,000 articles, growing with the database;
# 50 MB in all failed there). KRONIEK_DUCKDB_MEMORY overrides it (any DuckDB size: "4GB").
_MEMORY_LIMIT = "1GB"
# Stored reports' decoded records a writer keeps from one batch to the next (least recently asked for go first): the
# merge candidates of a feed's batches are the last days' reports again and again (a 500-article batch of the rolling
# scaling corpus at 12,000 stored, in flushes of 64: 33,925 records read and decoded, 7,643 of them distinct). About
# 4 KB each in memory, so 40 MB at most.
_RECENT_REPORTS = 10_000


def _spill_directory() -> str:
    """Where a reader of a database in a folder it cannot write spills what exceeds DuckDB's memory (a sort for an
    export: Store.iter_events_json). DuckDB's own choice is DATABASE.tmp beside the file, and failing to make it
    failed the export ("Read-only file system"). A name of its own under the system's temporary folder: DuckDB makes
    it only when it spills, and removes it when the connection closes."""
    return os.path.join(tempfile.gettempdir(), f"kroniek-duckdb-{os.getpid()}-{secrets.token_hex(4)}.tmp")


class _Reports:
    """The stored reports as consolidation asks for them (kroniek.consolidate.update.ReportSource), read inside the
    batch's transaction. Nothing is written while consolidation asks, so each report's record and event id are
    remembered for the batch: closure and the lookups of single reports ask again and again (a query each cost
    ~2 ms, a decode ~50 us)."""

    def __init__(self, db: duckdb.DuckDBPyConnection, recent: OrderedDict[str, Event]) -> None:
        self._db = db
        self._decoded: dict[str, Event] = {}    # report id -> record
        self._event_of: dict[str, str] = {}     # report id -> its stored event id
        self._recent = recent                   # the store's records decoded by earlier batches (_RECENT_REPORTS)

    def _record(self, report_id: str, event_id: str, record: str) -> Event:
        self._event_of[report_id] = event_id
        event = self._decoded.get(report_id)
        if event is None:
            event = self._decoded[report_id] = decode_event(record)
            self._remember(report_id, event)
        return event

    def _remember(self, report_id: str, event: Event) -> None:
        recent = self._recent
        recent[report_id] = event
        recent.move_to_end(report_id)
        if len(recent) > _RECENT_REPORTS:
            recent.popitem(last=False)

    def _known(self, report_ids: Iterable[str]) -> list[Event]:
        """These reports (sorted by id), reading from the database only the records not decoded yet: a record is
        the widest column and the one read last, scattered over a table that grows, and closure and the events'
        reports ask for many reports again (of the 13,500 that 500 generated articles asked for at 6,000 stored,
        5,300 were known already; of the events' reports, all)."""
        ids = sorted(set(report_ids))
        unknown = [r for r in ids if r not in self._decoded]
        if unknown and self._recent:
            # a report's record never changes once stored: one decoded by an earlier batch is that record
            missing = []
            for report_id in unknown:
                event = self._recent.get(report_id)
                if event is None:
                    missing.append(report_id)
                else:
                    self._decoded[report_id] = event
                    self._recent.move_to_end(report_id)
            unknown = missing
        if unknown:
            for report_id, event_id, record in _lookup(
                    self._db, "SELECT report_id, event_id, record FROM reports WHERE report_id IN ({keys})", unknown):
                self._record(report_id, event_id, record)
        return [self._decoded[r] for r in ids if r in self._decoded]

    def stored_event(self, report_id: str) -> str | None:
        """The event that holds a stored report as last read (None: not read in this batch)."""
        return self._event_of.get(report_id)

    def reports_with_keys(self, keys: set[str]) -> list[Event]:
        return self._known(r for (r,) in _lookup(
            self._db, "SELECT report_id FROM report_keys WHERE block_key IN ({keys})", sorted(keys)))

    def events_of_reports(self, report_ids: set[str]) -> dict[str, str]:
        if not report_ids:
            return {}
        known = self._event_of
        unknown = sorted(r for r in report_ids if r not in known)
        if unknown:
            found = dict(_lookup(self._db, "SELECT report_id, event_id FROM reports WHERE report_id IN ({keys})",
                                 unknown))
            known.update(found)
        return {r: known[r] for r in report_ids if r in known}

    def reports_of_events(self, event_ids: set[str]) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {}
        if event_ids:
            rows = _lookup(self._db, "SELECT report_id, event_id FROM reports WHERE event_id IN ({keys})",
                           sorted(event_ids))
            self._event_of.update(rows)
            known = {e.id: e for e in self._known(r for r, _ in rows)}
            for report_id, event_id in sorted(rows):
                out.setdefault(event_id, []).append(known[report_id])
        return out

    def aliases_of(self, doc_ids: set[str]) -> dict[str, list[Source]]:
        out: dict[str, list[Source]] = {}
        if doc_ids:
            for doc_id, holder, url, title, outlet, published in sorted(_lookup(
                    self._db, "SELECT doc_id, duplicate_of, url, title, outlet, published FROM documents "
                    "WHERE duplicate_of IN ({keys})", sorted(doc_ids))):
                out.setdefault(holder, []).append(Source(doc_id, url, title, outlet, published))
        return out

    def reports_of_documents(self, doc_ids: set[str]) -> list[Event]:
        if not doc_ids:
            return []
        rows = sorted(_lookup(self._db, "SELECT report_id, event_id, record FROM reports WHERE doc_id IN ({keys})",
                              sorted(doc_ids), per_list=_DOCUMENTS_PER_LOOKUP))
        return [self._record(report_id, event_id, record) for report_id, event_id, record in rows]

    def linking_reports_of_documents(self, doc_ids: set[str]) -> list[Event]:
        """The reports of these documents that may link to another event: those whose record's `related` is not
        the empty list (compact JSON writes it as below, and a string inside a record can never hold it, its quotes
        being escaped), so the rest are not decoded."""
        if not doc_ids:
            return []
        rows = sorted(_lookup(self._db, "SELECT report_id, event_id, record FROM reports WHERE doc_id IN ({keys})",
                              sorted(doc_ids), per_list=_DOCUMENTS_PER_LOOKUP))
        return [self._record(report_id, event_id, record) for report_id, event_id, record in rows
                if _NO_LINKS not in record]


_DOCUMENT_KEYS = ("doc_id", "title", "url", "author", "outlet", "published", "language", "text", "origin",
                  "duplicate_of")
# a copy (duplicate_of set) shows its holder's text, as Store.document does
_DOCUMENT_SELECT = ", ".join("CASE WHEN d.duplicate_of IS NULL THEN d.text ELSE h.text END" if k == "text" else
                             f"d.{k}" for k in _DOCUMENT_KEYS)


class Store:
    """An open Kroniek database. Use :meth:`open`; close it (or use it as a context manager)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self._db = connection
        self.path = path
        self.read_only = read_only
        self._table_columns: dict[tuple[str, int], tuple[list[str], dict[str, str]]] = {}
        self._schema_seen = 0        # bumped by each migration step, so _columns_of never answers from before it
        self._recent_reports: OrderedDict[str, Event] = OrderedDict()   # _Reports: decoded records, across batches

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> "Store":
        path = str(path)
        if read_only and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"{path}: no such database; create it with `kroniek ingest ... --db {path}`")
        memory = os.environ.get("KRONIEK_DUCKDB_MEMORY") or _MEMORY_LIMIT
        config = {"threads": 1, "memory_limit": memory}
        if read_only and path != ":memory:" and not os.access(Path(path).resolve().parent, os.W_OK):
            config["temp_directory"] = _spill_directory()
        try:
            connection = duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreError(f"{path}: database is locked by another process [K201]: stop it, or ingest "
                                 "through a running `kroniek serve`") from exc
            raise StoreError(f"{path}: not a Kroniek database (DuckDB cannot read it: {str(exc)[:120]}) [K203]; "
                             "check the path, or give --db a new file name") from exc
        except duckdb.Error as exc:
            if memory != _MEMORY_LIMIT and "memory" in str(exc).lower():
                raise StoreError(f"KRONIEK_DUCKDB_MEMORY={memory!r} is not a size DuckDB reads: give one such as "
                                 f"4GB or 512MB ({exc})") from exc
            raise StoreError(f"{path}: cannot open the database: {exc}") from exc
        store = cls(connection, path, read_only)
        try:
            store._check_schema()
            if not read_only:
                connection.execute("SET max_vacuum_tasks = 0")    # the writer vacuums itself: see _VACUUM_SHARE
                store._migrate()
        except Exception:
            connection.close()
            raise
        return store

    def _check_schema(self) -> None:
        """Refuse a database that is not Kroniek's (or, read-only, one with no or an older schema) with one line that
        says what to do, instead of failing later on a missing table."""
        version = self.schema_version()
        if version == 0:
            tables = self._db.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
            if tables:
                raise StoreError(f"{self.path}: not a Kroniek database (it holds other tables) [K203]; check the path, "
                                 "or give --db a new file name")
            if self.read_only and self.path != ":memory:":
                raise StoreError(f"{self.path}: an empty database with no events yet [K203]; fill it with "
                                 f"`kroniek ingest ... --db {self.path}`")
        elif self.read_only and version < SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by an older Kroniek (schema {version}, this one reads "
                             f"{SCHEMA_VERSION}) [K204]; upgrade it once with `kroniek migrate --db {self.path}`")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread (DuckDB connections are not shared across threads)."""
        return self._db.cursor()

    def follow_tables(self):
        """The feeds, watch and alerts tables (store/follow.py), on a cursor of this store's own."""
        from .follow import FollowTables

        return FollowTables(self.cursor())

    # -- schema ---------------------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.CatalogException:
            return 0
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {current} is newer than this Kroniek [K202]")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            self._db.execute("BEGIN TRANSACTION")
            try:
                for statement in MIGRATIONS[version]:
                    self._db.execute(statement)
                self._schema_seen += 1
                if version == 2:
                    self._reports_from_mentions()
                if version == 4:
                    self._signatures_of_stored_documents()
                if version == 5:
                    self._points_of_stored_events()
                if version == 6:
                    self._fold_search_columns()
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
                self._db.execute("COMMIT")
            except Exception:
                self._db.execute("ROLLBACK")
                raise

    def _reports_from_mentions(self) -> None:
        """Migration 2: a version-1 database's per-document events become reports, and every event is recomputed
        with today's consolidation (so its id no longer depends on the order documents came in)."""
        rows = self._db.execute("SELECT doc_id, record FROM mentions ORDER BY mention_id").fetchall()
        reports = [decode_event(record) for _, record in rows]
        self._db.execute("DROP TABLE mentions")
        self._db.execute("DELETE FROM events")
        if reports:
            self._write_reports(reports, [])

    def _signatures_of_stored_documents(self) -> None:
        """Migration 4: the MinHash signature and band keys of every stored document, so later copies are found."""
        from ..consolidate.near_duplicates import band_keys, signature 
        rows = self._db.execute("SELECT doc_id, text FROM documents WHERE text IS NOT NULL ORDER BY doc_id").fetchall()
        for doc_id, text in rows:
            sig = signature(text)
            if sig is not None:
                self._db.execute("UPDATE documents SET signature = ? WHERE doc_id = ?", [sig, doc_id])
                self._insert("document_bands", [{"band_key": k, "doc_id": doc_id} for k in band_keys(sig)])

    def _points_of_stored_events(self) -> None:
        """Migration 5: the map point of every stored event, from its record (a chunk of records at a time)."""
        ids = [r[0] for r in self._db.execute("SELECT event_id FROM events ORDER BY event_id").fetchall()]
        for start in range(0, len(ids), _RECORDS_PER_READ):
            rows = self._db.execute("SELECT event_id, record FROM events WHERE event_id IN (SELECT unnest(?))",
                                    [ids[start:start + _RECORDS_PER_READ]]).fetchall()
            self._register("new_points", [{"event_id": i, "point": point_json(decode_event(r))} for i, r in rows],
                           {"event_id": "VARCHAR", "point": "VARCHAR"})
            try:
                self._db.execute("UPDATE events SET point = new_points.point FROM new_points "
                                 "WHERE events.event_id = new_points.event_id")
            finally:
                self._db.unregister("new_points")

    def _fold_search_columns(self) -> None:
        """Migration 6: the stored events' search columns, case-folded as new ones are written."""
        rows = self._db.execute("SELECT event_id, actor_names, search_text FROM events").fetchall()
        if not rows:
            return
        self._register("folded", [{"event_id": i, "actor_names": search_form(a or ""),
                                   "search_text": search_form(t or "")} for i, a, t in rows],
                       {"event_id": "VARCHAR", "actor_names": "VARCHAR", "search_text": "VARCHAR"})
        try:
            self._db.execute("UPDATE events SET actor_names = folded.actor_names, search_text = folded.search_text "
                             "FROM folded WHERE events.event_id = folded.event_id")
        finally:
            self._db.unregister("folded")

    # -- writing --------------------------------------------------------------------------------------------------
    def known_documents(self, doc_ids: Iterable[str]) -> set[str]:
        ids = list(doc_ids)
        if not ids:
            return set()
        return {r[0] for r in _lookup(self._db, "SELECT doc_id FROM documents WHERE doc_id IN ({keys})", ids)}

    def add_documents(self, batch: Sequence[StoredDocument]) -> list[tuple[Article, Exception]]:
        """Store documents with their reports (each document's own events) in one transaction, and recompute the
        events they join.

        Returns the documents that could not be stored, with the error; everything else is committed.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        try:
            self._write(batch)
            return []
        except Exception as error:    # the batch was rolled back; with one document, that document failed
            if len(batch) == 1:
                return [(batch[0][0], error)]
        failures = []
        for item in batch:
            failures += self.add_documents([item])
        return failures

    def _write(self, batch: Sequence[StoredDocument]) -> None:
        """One transaction for the batch: documents (a near-duplicate copy as an alias of the one that holds the
        text), their reports, and the events those reports change."""
        db = self._db
        db.execute("BEGIN TRANSACTION")
        try:
            known = self.known_documents(article.doc_id for article, _ in batch)
            fresh, seen = [], set()
            for article, reports in batch:
                if article.doc_id not in known and article.doc_id not in seen:
                    seen.add(article.doc_id)
                    fresh.append((article, reports))
            left_dead = self._write_documents(fresh) if fresh else 0
            if left_dead:
                row = db.execute("SELECT value FROM meta WHERE key = 'dead_rows'").fetchone()
                dead = left_dead + (int(row[0]) if row else 0)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('dead_rows', ?)", [str(dead)])
            db.execute("COMMIT")
        except Exception:
            db.execute("ROLLBACK")
            raise
        if left_dead:
            self._vacuum_if_due(dead)

    def _vacuum_if_due(self, dead: int) -> None:
        """A vacuuming checkpoint once the dead rows reach _VACUUM_SHARE of the live ones (if DuckDB refuses it
        because a transaction is in the way, the next write tries again)."""
        db = self._db
        live = db.execute("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM reports)").fetchone()[0]
        if dead < _VACUUM_SHARE * live:
            return
        try:
            db.execute("SET max_vacuum_tasks = 100")    # DuckDB's default
            db.execute("CHECKPOINT")
        except duckdb.TransactionException:
            return
        finally:
            db.execute("SET max_vacuum_tasks = 0")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('dead_rows', '0')")

    def _write_documents(self, fresh: Sequence[StoredDocument]) -> int:
        """Store new documents and their reports; returns the rows left dead (see _write_reports)."""
        # only a writer needs the near-duplicate signatures, never `kroniek events` or a reader
        from ..consolidate.near_duplicates import plan_copies

        db = self._db
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def stored_candidates(keys: list[str]) -> list[tuple[str, bytes, str | None]]:
            # two lookups by index, not a join (which scans every stored document)
            doc_ids = sorted({d for (d,) in _lookup(db, "SELECT doc_id FROM document_bands WHERE band_key IN ({keys})",
                                                    keys)})
            return sorted((doc_id, bytes(sig), holder) for doc_id, sig, holder in _lookup(
                db, "SELECT doc_id, signature, duplicate_of FROM documents WHERE doc_id IN ({keys}) "
                "AND signature IS NOT NULL", doc_ids))

        plan = plan_copies(fresh, stored_candidates)
        rows = document_rows(fresh, plan, now)
        self._insert("documents", rows)
        self._insert("document_bands", band_rows(rows))
        # A stored document that a new copy with a smaller id now holds becomes a copy itself: its reports go.
        removed: list[str] = []
        for doc_id in plan.demoted:
            holder = plan.holder[doc_id]
            db.execute("UPDATE documents SET duplicate_of = ? WHERE duplicate_of = ?", [holder, doc_id])
            db.execute("UPDATE documents SET duplicate_of = ?, text = NULL WHERE doc_id = ?",
                       [holder, doc_id])
            removed += [r[0] for r in db.execute("SELECT report_id FROM reports WHERE doc_id = ?", [doc_id]).fetchall()]
        return self._write_reports(plan.reports, removed=removed, touched=plan.touched)

    def _write_reports(self, reports: Sequence[Event], removed: Sequence[str] = (),
                       touched: Iterable[str] = ()) -> int:
        """Add new reports (and take `removed` ones away) and rewrite the events they change, and the events of the
        `touched` documents (inside the caller's transaction). Returns how many rows that left dead: the events
        deleted to be written again, the reports taken away or moved to another event (_VACUUM_SHARE)."""
        db = self._db
        new_ids = {r.id for r in reports}
        source = _Reports(db, self._recent_reports)
        update = plan_update(reports, source, removed_reports=removed, touched_documents=touched)
        dead = 0
        if update.removed:
            dead += _changed(_lookup(db, "DELETE FROM events WHERE event_id IN ({keys})", sorted(update.removed)))
        if removed:
            db.execute("DELETE FROM report_keys WHERE report_id IN (SELECT unnest(?))", [sorted(removed)])
            dead += _changed(_lookup(db, "DELETE FROM reports WHERE report_id IN ({keys})", sorted(removed)))
        self._insert("events", [event_columns(e) for e in update.events])
        # the stored reports whose event changed (of a busy week's 19,000 reports recomputed, most keep theirs)
        moved = sorted((rid, eid) for rid, eid in update.assignments.items()
                       if rid not in new_ids and source.stored_event(rid) != eid)
        if moved:
            # the IN list lets DuckDB find the rows by index instead of joining against every stored report
            dead += _changed(_lookup(
                db, "UPDATE reports SET event_id = moved.event_id FROM (SELECT unnest(?::VARCHAR[]) AS report_id, "
                "unnest(?::VARCHAR[]) AS event_id) AS moved WHERE reports.report_id = moved.report_id "
                "AND reports.event_id <> moved.event_id AND reports.report_id IN ({keys})",
                [rid for rid, _ in moved], before=[[rid for rid, _ in moved], [eid for _, eid in moved]]))
        self._insert("reports", report_rows(reports, update.assignments))
        self._insert("report_keys", report_key_rows(reports))
        return dead

    def _register(self, name: str, rows: list[dict[str, Any]], types: dict[str, str]) -> None:
        """`rows` as a view `name` with these columns: one NumPy object array each, typed by DuckDB from the values
        (None is NULL) and cast to the table's types where they are written."""
        import numpy as np

        columns = {}
        for column in types:
            values = np.empty(len(rows), dtype=object)
            values[:] = [row.get(column) for row in rows]
            columns[column] = values
        self._db.register(name, columns)

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Rows in as one table of NumPy columns (DuckDB inserts a row in ~1 ms, a table of thousands in a few); a
        few rows as typed lists unnested in one statement instead."""
        if not rows:
            return
        columns, types = self._columns_of(table)
        if len(rows) * len(columns) <= INLINE_VALUES:
            unnested = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
            self._db.execute(f"INSERT INTO {table} SELECT {unnested}", [[row.get(c) for row in rows] for c in columns])
            return
        self._register("incoming", rows, {c: types[c] for c in columns})
        try:
            self._db.execute(f"INSERT INTO {table} SELECT {', '.join(columns)} FROM incoming")
        finally:
            self._db.unregister("incoming")

    def _columns_of(self, table: str) -> tuple[list[str], dict[str, str]]:
        """A table's columns in order and their types (asked once per table and schema version, not per insert)."""
        key = (table, self._schema_seen)
        found = self._table_columns.get(key)
        if found is None:
            columns = [d[0] for d in self._db.execute(f"SELECT * FROM {table} LIMIT 0").description]
            types = dict(self._db.execute("SELECT column_name, data_type FROM information_schema.columns "
                                          "WHERE table_name = ?", [table]).fetchall())
            found = self._table_columns[key] = (columns, types)
        return found

    def add_reject(self, rejected: Rejected) -> None:
        if self.read_only:
            return
        self._db.execute("INSERT INTO rejects VALUES (?, ?, ?, ?)",
                         [rejected.origin, rejected.code, rejected.reason,
                          datetime.now(timezone.utc).replace(tzinfo=None)])

    # -- reading --------------------------------------------------------------------------------------------------
    def events(self, query: EventQuery = EventQuery()) -> list[Event]:
        return [decode_event(raw) for raw in self.events_json(query)]

    def events_json(self, query: EventQuery = EventQuery()) -> list[str]:
        """Like :meth:`events`, but each record as its stored JSON text (for answers that are JSON anyway)."""
        return self._records(self._page_ids(query))

    def iter_events_json(self, query: EventQuery = EventQuery(limit=1_000_000_000)) -> Iterator[str]:
        """Every matching record (up to the query's limit) as stored JSON text, streamed (never all in memory).

        One query that sorts the records themselves, read as it streams: DuckDB sorts within its memory limit and
        spills the rest to its temporary directory. Not the ids in order and then the records of each 10,000 of
        them (what a page does, _page_ids / _records): ids in an export's order lie all over the table, so each
        read of 10,000 scanned every row group's records, cheap only while the whole records column stayed in
        DuckDB's buffer pool; past its 1 GB each read fetched the column again (`kroniek export -o /dev/null` of
        benchmarks/make_events_db.py's databases, two runs: 7.5-8.2 s CPU at 800,000 events, 43.5-43.7 s at
        1,600,000; sorted in one query 6.0-7.8 and 13.7-14.1 s, the same bytes). Where DuckDB cannot sort within
        its limit (it failed with 128 MB on 400,000 events, though spilling), the export reads as a page does:
        slower, the same bytes."""
        where, params = query.where()
        cur = self.cursor()
        try:
            cur.execute(f"SELECT record FROM events WHERE {where} ORDER BY {query.order_by()} LIMIT ? OFFSET ?",
                        params + [query.limit, query.offset])
        except duckdb.OutOfMemoryException:
            cur.close()
            yield from self._iter_pages_json(query)
            return
        while rows := cur.fetchmany(_RECORDS_PER_READ):
            for (record,) in rows:
                yield record

    def _iter_pages_json(self, query: EventQuery) -> Iterator[str]:
        ids = self._page_ids(query)
        for start in range(0, len(ids), _RECORDS_PER_READ):
            yield from self._records(ids[start:start + _RECORDS_PER_READ])

    def index_columns(self) -> dict[str, Any]:
        """Every event's INDEX_COLUMNS as Arrow columns, with its rowid as ``locator`` (see records_at)."""
        table = self.cursor().sql(f"SELECT rowid AS locator, {INDEX_COLUMNS} FROM events").to_arrow_table()
        return {name: table.column(name) for name in table.column_names}

    def records_at(self, located: list[tuple[int, str]]) -> list[str]:
        """The stored records of these (locator, event id) pairs, in this order; one a write removed is left out."""
        return self._records(located)

    def _page_ids(self, query: EventQuery) -> list[tuple[int, str]]:
        """(rowid, event id) of the matching events in the query's order and page. Filtering and sorting read the
        flat columns only; the records (the bulk of the table) are then read for these rows alone: a page at offset
        5,000 of 100,000 events in 35 ms instead of 210, the map's 10,000 in 120 instead of 270."""
        where, params = query.where()
        return self.cursor().execute(
            f"SELECT rowid, event_id FROM events WHERE {where} ORDER BY {query.order_by()} LIMIT ? OFFSET ?",
            params + [query.limit, query.offset]).fetchall()

    def _records(self, page: list[tuple[int, str]]) -> list[str]:
        """The stored records of these rows, in this order. Rows are found by rowid (DuckDB reads only the row
        groups that hold them); a row whose id differs (a write in between moved it) is read by its event id, and
        an event that a write removed meanwhile is left out."""
        if not page:
            return []
        cur = self.cursor()
        found = {rowid: (event_id, record) for rowid, event_id, record in cur.execute(
            "SELECT rowid, event_id, record FROM events WHERE rowid IN (SELECT unnest(?))",
            [[rowid for rowid, _ in page]]).fetchall()}
        moved = [event_id for rowid, event_id in page if found.get(rowid, ("",))[0] != event_id]
        by_id = dict(cur.execute("SELECT event_id, record FROM events WHERE event_id IN (SELECT unnest(?))",
                                 [moved]).fetchall()) if moved else {}
        out = []
        for rowid, event_id in page:
            kept = found.get(rowid)
            record = kept[1] if kept is not None and kept[0] == event_id else by_id.get(event_id)
            if record is not None:
                out.append(record)
        return out

    def iter_events(self, query: EventQuery = EventQuery(limit=1_000_000_000)) -> Iterator[Event]:
        return (decode_event(raw) for raw in self.iter_events_json(query))

    def event_ids(self, query: EventQuery = EventQuery()) -> list[str]:
        """The ids of every matching event, in no order (the server's index asks for its substring filters)."""
        where, params = query.where()
        return [r[0] for r in self.cursor().execute(f"SELECT event_id FROM events WHERE {where}", params).fetchall()]

    def count_events(self, query: EventQuery = EventQuery()) -> int:
        where, params = query.where()
        return self.cursor().execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]

    def event(self, event_id: str) -> Event | None:
        """The event with this id, or None (see :meth:`resolve_event_id` for ids that a merge retired)."""
        row = self.cursor().execute("SELECT record FROM events WHERE event_id = ?", [event_id]).fetchone()
        return decode_event(row[0]) if row else None

    def resolve_event_id(self, event_id: str) -> str | None:
        """The id under which the event is stored now: `event_id` itself, or, for an id that a merge retired, the id
        of the event that holds the report it named (links never break). None when no event ever had it."""
        cur = self.cursor()
        if cur.execute("SELECT 1 FROM events WHERE event_id = ?", [event_id]).fetchone():
            return event_id
        row = cur.execute("SELECT event_id FROM reports WHERE report_id = ?", [event_id]).fetchone()
        return row[0] if row else None

    def document_events(self) -> list[tuple[str, str]]:
        """(document id, event id) of every report: which events each document reports (for the server's index)."""
        return self.cursor().execute("SELECT DISTINCT doc_id, event_id FROM reports").fetchall()

    def document(self, doc_id: str, with_events: bool = True) -> dict[str, Any] | None:
        """A stored document's metadata and text, and (``with_events``) the ids of the events it reports."""
        cur = self.cursor()
        row = cur.execute("SELECT doc_id, title, url, author, outlet, published, language, text, origin, duplicate_of "
                          "FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        if not row:
            return None
        keys = ("doc_id", "title", "url", "author", "outlet", "published", "language", "text", "origin",
                "duplicate_of")
        doc = dict(zip(keys, row))
        doc["published"] = doc["published"].isoformat() if doc["published"] else None
        holder = doc["duplicate_of"] or doc_id
        if doc["duplicate_of"]:     # a copy: its words are those of the document that holds them
            doc["text"] = cur.execute("SELECT text FROM documents WHERE doc_id = ?", [holder]).fetchone()[0]
        if with_events:
            doc["event_ids"] = [r[0] for r in cur.execute(
                "SELECT DISTINCT event_id FROM reports WHERE doc_id = ? ORDER BY event_id", [holder]).fetchall()]
        return doc

    def all_documents(self) -> Iterator[dict[str, Any]]:
        """Every stored document as :meth:`document` gives it without its events (a copy with its holder's text),
        streamed (the server's index holds them: serve/eventindex.py)."""
        cur = self.cursor()
        cur.execute(f"SELECT {_DOCUMENT_SELECT} FROM documents d LEFT JOIN documents h ON h.doc_id = d.duplicate_of")
        while rows := cur.fetchmany(1000):
            for row in rows:
                doc = dict(zip(_DOCUMENT_KEYS, row))
                doc["published"] = doc["published"].isoformat() if doc["published"] else None
                yield doc

    def stats(self, query: EventQuery = EventQuery()) -> dict[str, Any]:
        where, params = query.where()
        cur = self.cursor()
        total = cur.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]
        by_type = dict(cur.execute(f"SELECT type, count(*) FROM events WHERE {where} GROUP BY type ORDER BY 2 DESC",
                                   params).fetchall())
        by_country = dict(cur.execute(
            f"SELECT country, count(*) FROM events WHERE {where} AND country IS NOT NULL GROUP BY country "
            "ORDER BY 2 DESC", params).fetchall())
        weeks = cur.execute(
            f"SELECT strftime(date_trunc('week', date_start), '%G-W%V'), date_trunc('week', date_start), type, "
            f"count(*) FROM events WHERE {where} AND date_start IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 2, 3",
            params).fetchall()
        return {"total": total, "by_type": by_type, "by_country": by_country,
                "by_week": [{"week": w, "week_start": ws.isoformat()[:10], "type": t, "count": n}
                            for w, ws, t, n in weeks]}

    def count_events_of_reports(self, report_ids: Sequence[str]) -> int:
        """How many events the given reports are part of now (after merging across documents)."""
        events: set[str] = set()
        ids = list(report_ids)
        for start in range(0, len(ids), 10_000):
            events.update(r[0] for r in self.cursor().execute(
                "SELECT DISTINCT event_id FROM reports WHERE report_id IN (SELECT unnest(?))",
                [ids[start:start + 10_000]]).fetchall())
        return len(events)

    def counts(self) -> dict[str, int]:
        cur = self.cursor()
        return {name: cur.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                for name in ("documents", "events", "reports", "rejects")}

    def rejects(self) -> list[tuple[str, str, str]]:
        return self.cursor().execute("SELECT origin, code, reason FROM rejects ORDER BY rejected_at").fetchall()
