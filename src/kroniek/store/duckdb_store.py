"""The DuckDB event store: documents, per-document events, merged events, rejects.

Writes are atomic per batch of documents (one transaction); a batch that fails is retried one document at a
time, so a bad document never leaves half of itself, or of its neighbours, behind.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import duckdb

from ..consolidate.across import merge_records, same_event_reason
from ..errors import StoreError
from ..records import Article, Rejected
from .query import EventQuery
from .schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["Store", "StoredDocument"]

StoredDocument = tuple[Article, Sequence[Mapping[str, Any]]]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _flat(record: Mapping[str, Any]) -> tuple:
    d, loc = record.get("date") or {}, record.get("location") or {}
    actors = " | ".join(f"{a.get('name') or ''} {a.get('id') or ''} {a.get('text') or ''}"
                        for a in record.get("actors") or [])
    search = " | ".join([e.get("quote") or "" for e in record.get("evidence") or []]
                        + [s.get("title") or "" for s in record.get("sources") or []])
    return (record["id"], record["type"], record.get("subtype"), record["modality"],
            _day(d.get("start")), _day(d.get("end")), loc.get("country"), loc.get("name"), loc.get("lat"), loc.get("lon"),
            (record.get("fatalities") or {}).get("min"), (record.get("injuries") or {}).get("min"),
            actors, search, len(record.get("sources") or []), json.dumps(record, ensure_ascii=False))


def _arrow_schema(db: duckdb.DuckDBPyConnection, table: str, columns: list[str]):
    import pyarrow as pa

    types = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                            [table]).fetchall())
    arrow_type = {"VARCHAR": pa.string(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
                  "DOUBLE": pa.float64(), "INTEGER": pa.int32()}
    return pa.schema([(c, arrow_type[types[c]]) for c in columns])


class _MergePool:
    """Events a batch may merge with: stored candidates plus the batch's own new events, merged in memory."""

    def __init__(self, candidates: list[dict[str, Any]]) -> None:
        self.events: dict[str, dict[str, Any]] = {}
        self.replaced: set[str] = set()      # ids whose stored row is rewritten
        self._stored = {e["id"] for e in candidates}
        self._touched: list[str] = []
        self._by_key: dict[tuple, list[str]] = {}
        for event in sorted(candidates, key=lambda e: e["id"]):
            self._index(event)
            self.events[event["id"]] = event

    @staticmethod
    def _key(record: Mapping[str, Any]) -> tuple | None:
        # Events that can merge share type, modality and country, and start within a week of each other (the
        # coarsest date precision same_event_reason accepts): key by the start's week, look up its neighbours.
        d, loc = record.get("date") or {}, record.get("location") or {}
        if not d.get("start") or not loc.get("country"):
            return None
        week = date.fromisoformat(d["start"][:10]).toordinal() // 7
        return record["type"], record["modality"], loc["country"], week

    def _index(self, record: Mapping[str, Any]) -> None:
        key = self._key(record)
        if key is not None and record["id"] not in self._by_key.get(key, ()):
            self._by_key.setdefault(key, []).append(record["id"])

    def _find(self, record: Mapping[str, Any]) -> tuple[dict, str] | None:
        key = self._key(record)
        if key is None:
            return None
        doc_ids = {s["doc_id"] for s in record.get("sources") or []}
        nearby = [i for week in (key[3] - 1, key[3], key[3] + 1) for i in self._by_key.get(key[:3] + (week,), ())]
        for event_id in sorted(nearby):
            stored = self.events[event_id]
            if doc_ids & {s["doc_id"] for s in stored.get("sources") or []}:
                continue   # never merge two events that one document keeps apart
            reason = same_event_reason(stored, record)
            if reason:
                return stored, reason
        return None

    def add_document(self, doc_id: str, records: Sequence[Mapping[str, Any]]) -> list[tuple[Mapping, str]]:
        """Merge or add one document's events; returns (original record, id it is stored under)."""
        renamed: dict[str, str] = {}
        placed: list[tuple[Mapping, str]] = []
        for record in records:
            match = self._find(record)
            if match:
                stored, reason = match
                renamed[record["id"]] = stored["id"]
                self._put(merge_records(stored, {**record, "id": stored["id"]}, reason))
                placed.append((record, stored["id"]))
            else:
                self._put(dict(record))
                placed.append((record, record["id"]))
        for _, event_id in placed:
            event = self.events[event_id]
            event["related"] = [{**r, "event_id": renamed.get(r["event_id"], r["event_id"])}
                                for r in event.get("related") or []]
        return placed

    def _put(self, record: dict[str, Any]) -> None:
        if record["id"] in self._stored:
            self.replaced.add(record["id"])
        self.events[record["id"]] = record
        self._index(record)
        self._touched.append(record["id"])

    def changed(self) -> list[dict[str, Any]]:
        """Every event the batch added or changed, once."""
        return [self.events[i] for i in dict.fromkeys(self._touched)]


class Store:
    """An open Kroniek database. Use :meth:`open`; close it (or use it as a context manager)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self._db = connection
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> "Store":
        path = str(path)
        if read_only and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"{path}: no such database; create it with `kroniek ingest ... --db {path}`")
        try:
            connection = duckdb.connect(path, read_only=read_only, config={"threads": 1})
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreError(f"{path}: database is locked by another process [K201]: stop it, or ingest "
                                 "through a running `kroniek serve`") from exc
            raise StoreError(f"{path}: cannot open the database: {exc}") from exc
        store = cls(connection, path, read_only)
        if not read_only:
            store._migrate()
        return store

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread (DuckDB connections are not shared across threads)."""
        return self._db.cursor()

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
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
                self._db.execute("COMMIT")
            except Exception:
                self._db.execute("ROLLBACK")
                raise

    # -- writing --------------------------------------------------------------------------------------------------
    def known_documents(self, doc_ids: Iterable[str]) -> set[str]:
        ids = list(doc_ids)
        if not ids:
            return set()
        rows = self._db.execute("SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))", [ids]).fetchall()
        return {r[0] for r in rows}

    def add_documents(self, batch: Sequence[StoredDocument]) -> list[tuple[Article, Exception]]:
        """Store documents with their (document-level) events in one transaction, merging events across documents.

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
        """One transaction for the batch: documents, their events merged with stored ones, mentions.

        Rows go in as Arrow tables (one INSERT per table), not row by row: DuckDB inserts a row in ~1 ms but a
        table of thousands in a few.
        """
        import pyarrow as pa

        db = self._db
        db.execute("BEGIN TRANSACTION")
        try:
            known = self.known_documents(article.doc_id for article, _ in batch)
            fresh, seen = [], set()
            for article, records in batch:
                if article.doc_id not in known and article.doc_id not in seen:
                    seen.add(article.doc_id)
                    fresh.append((article, records))
            if not fresh:
                db.execute("COMMIT")
                return
            pool = _MergePool(self._candidates([r for _, records in fresh for r in records]))
            mentions = []
            for article, records in fresh:
                for original, merged_id in pool.add_document(article.doc_id, records):
                    mentions.append((original["id"] + ":" + article.doc_id, article.doc_id, merged_id,
                                     json.dumps(original, ensure_ascii=False)))
            now = datetime.now(timezone.utc).replace(tzinfo=None)
            documents = [(a.doc_id, a.origin, a.url, a.title, a.author, a.outlet, a.published, a.language, a.text,
                          now) for a, _ in fresh]
            if pool.replaced:
                db.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?))", [sorted(pool.replaced)])
            for table, rows in (("documents", documents), ("events", [_flat(r) for r in pool.changed()]),
                                ("mentions", mentions)):
                if rows:
                    columns = [d[0] for d in db.execute(f"SELECT * FROM {table} LIMIT 0").description]
                    arrow = pa.Table.from_pylist([dict(zip(columns, row)) for row in rows],
                                                 schema=_arrow_schema(db, table, columns))
                    db.register("incoming", arrow)
                    db.execute(f"INSERT INTO {table} SELECT * FROM incoming")
                    db.unregister("incoming")
            db.execute("COMMIT")
        except Exception:
            db.execute("ROLLBACK")
            raise

    def _candidates(self, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Stored events that some record of the batch could be merged with: same type and country, dates within
        a day of each other (one query for the batch, joined on the batch's own keys)."""
        keys = {(r["type"], (r.get("location") or {}).get("country"), (r.get("date") or {}).get("start", "")[:10],
                 ((r.get("date") or {}).get("end") or (r.get("date") or {}).get("start") or "")[:10])
                for r in records}
        keys = sorted(k for k in keys if k[1] and k[2])
        if not keys:
            return []
        rows = self._db.execute(
            "SELECT DISTINCT e.event_id, e.record FROM events e JOIN "
            "(SELECT unnest(?) AS t, unnest(?) AS c, CAST(unnest(?) AS DATE) AS lo, CAST(unnest(?) AS DATE) AS hi) k "
            "ON e.type = k.t AND e.country = k.c AND e.date_start <= k.hi + INTERVAL 1 DAY "
            "AND e.date_end >= k.lo - INTERVAL 1 DAY ORDER BY e.event_id",
            [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], [k[3] for k in keys]]).fetchall()
        return [json.loads(r[1]) for r in rows]

    def add_reject(self, rejected: Rejected) -> None:
        if self.read_only:
            return
        self._db.execute("INSERT INTO rejects VALUES (?, ?, ?, ?)",
                         [rejected.origin, rejected.code, rejected.reason,
                          datetime.now(timezone.utc).replace(tzinfo=None)])

    # -- reading --------------------------------------------------------------------------------------------------
    def events(self, query: EventQuery = EventQuery()) -> list[dict[str, Any]]:
        where, params = query.where()
        rows = self.cursor().execute(
            f"SELECT record FROM events WHERE {where} ORDER BY {query.order_by()} LIMIT ? OFFSET ?",
            params + [query.limit, query.offset]).fetchall()
        return [json.loads(r[0]) for r in rows]

    def events_json(self, query: EventQuery = EventQuery()) -> list[str]:
        """Like :meth:`events`, but each record as its stored JSON text (for answers that are JSON anyway)."""
        where, params = query.where()
        rows = self.cursor().execute(
            f"SELECT record FROM events WHERE {where} ORDER BY {query.order_by()} LIMIT ? OFFSET ?",
            params + [query.limit, query.offset]).fetchall()
        return [r[0] for r in rows]

    def iter_events(self, query: EventQuery = EventQuery(limit=1_000_000_000)) -> Iterable[dict[str, Any]]:
        where, params = query.where()
        cur = self.cursor().execute(f"SELECT record FROM events WHERE {where} ORDER BY {query.order_by()}", params)
        while rows := cur.fetchmany(1000):
            for (raw,) in rows:
                yield json.loads(raw)

    def count_events(self, query: EventQuery = EventQuery()) -> int:
        where, params = query.where()
        return self.cursor().execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]

    def event(self, event_id: str) -> dict[str, Any] | None:
        row = self.cursor().execute("SELECT record FROM events WHERE event_id = ?", [event_id]).fetchone()
        return json.loads(row[0]) if row else None

    def document(self, doc_id: str) -> dict[str, Any] | None:
        cur = self.cursor()
        row = cur.execute("SELECT doc_id, title, url, author, outlet, published, language, text, origin "
                          "FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        if not row:
            return None
        keys = ("doc_id", "title", "url", "author", "outlet", "published", "language", "text", "origin")
        doc = dict(zip(keys, row))
        doc["published"] = doc["published"].isoformat() if doc["published"] else None
        doc["event_ids"] = [r[0] for r in cur.execute(
            "SELECT DISTINCT event_id FROM mentions WHERE doc_id = ? ORDER BY event_id", [doc_id]).fetchall()]
        return doc

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

    def counts(self) -> dict[str, int]:
        cur = self.cursor()
        return {name: cur.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                for name in ("documents", "events", "mentions", "rejects")}

    def rejects(self) -> list[tuple[str, str, str]]:
        return self.cursor().execute("SELECT origin, code, reason FROM rejects ORDER BY rejected_at").fetchall()
