"""The PostgreSQL event store: the interface and behaviour of the DuckDB store (store/duckdb_store.py) on a server
that several people query and feed at once.

- Connections come from a pool (psycopg_pool), so one store serves many threads (`kroniek serve`) at once.
- Readers read committed rows in their own statement (MVCC): a writer never blocks them.
- A batch of documents is one transaction, as on DuckDB; it takes a transaction-level advisory lock before it looks
  up what is stored (known documents, candidate reports) and merges, so two `kroniek ingest` processes on one
  database write one batch after the other and each sees what the other committed: nothing is lost, and the events
  are those one process would have made. The pipeline's work (the costly part) runs outside the lock.
- Bulk rows go in through COPY.
- The schema is Kroniek's own (store/postgres_schema.py): numbered migrations, each in a transaction under an
  advisory lock, so two processes opening a new database at once migrate it once.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

from ..consolidate.update import plan_update
from ..errors import StoreError
from ..eventjson import decode_event
from ..records import Article, Event, Rejected, Source
from .columns import (INDEX_COLUMNS, band_rows, document_rows, event_columns, point_json, report_key_rows, report_rows,
                      search_form)
from . import is_postgres_url  # noqa: F401  (re-exported)
from .query import EventQuery
from .postgres_schema import PG_MIGRATIONS, SCHEMA_VERSION, TRIGRAM_INDEXES

__all__ = ["PostgresStore", "is_postgres_url", "redact_url"]

StoredDocument = tuple[Article, Sequence[Event]]

# Advisory lock keys (any two 64-bit numbers Kroniek owns; "kroniek" in ASCII, then 1 and 2).
MIGRATE_LOCK = 0x6B726F6E69656B01
WRITE_LOCK = 0x6B726F6E69656B02
CONNECT_TIMEOUT_S = 10
NOTIFY_CHANNEL = "kroniek_data"   # every committed batch notifies it; a server's cache listens
LISTEN_POLL_S = 0.5    # how often the listener looks whether the store is closing
POOL_MAX = 16          # connections one process opens at most (uvicorn runs sync endpoints on 40 threads)

TABLE_COLUMNS = {
    "documents": ("doc_id", "origin", "url", "title", "author", "outlet", "published", "language", "text",
                  "ingested_at", "duplicate_of", "signature"),
    "events": ("event_id", "type", "subtype", "modality", "date_start", "date_end", "country", "location_name",
               "lat", "lon", "fatalities_min", "injuries_min", "actor_names", "search_text", "n_sources", "record",
               "acled_event_type", "acled_sub_event_type", "gtd_attack_type", "point"),
    "reports": ("report_id", "doc_id", "event_id", "record"),
    "report_keys": ("block_key", "report_id"),
    "document_bands": ("band_key", "doc_id"),
}


def redact_url(url: str) -> str:
    """The URL without its password (for messages and the ingest summary)."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "postgresql://…"


def sql(statement: str) -> str:
    """DuckDB's parameter style (``?``, ``unnest(?)``) in psycopg's (``%s``, ``unnest(%s::text[])``); the SQL that
    EventQuery and the follow tables write is otherwise PostgreSQL's too."""
    statement = statement.replace("%", "%%")
    statement = statement.replace("unnest(?)", "unnest(?::text[])")
    return statement.replace("?", "%s")


def _connect_error(url: str, exc: Exception) -> StoreError:
    reason = " ".join(str(exc).split())
    reason = reason.replace(url, redact_url(url))
    if len(reason) > 200:
        reason = reason[:200] + "…"
    return StoreError(f"{redact_url(url)}: cannot connect to PostgreSQL [K230]: {reason}; check the host, port, "
                      "user and database name in the URL, and that the server runs")


class _Result:
    """Rows fetched by :class:`_Cursor`, with DuckDB's result methods."""

    def __init__(self, rows: list[tuple], description: Any) -> None:
        self._rows, self._i, self.description = rows, 0, description

    def fetchone(self) -> tuple | None:
        if self._i >= len(self._rows):
            return None
        self._i += 1
        return self._rows[self._i - 1]

    def fetchall(self) -> list[tuple]:
        rows, self._i = self._rows[self._i:], len(self._rows)
        return rows

    def fetchmany(self, n: int) -> list[tuple]:
        rows = self._rows[self._i:self._i + n]
        self._i += len(rows)
        return rows


class _Cursor:
    """What ``store.cursor()`` gives on DuckDB, for code that runs its own SELECT (the follow tables, `alerts test`):
    ``execute(sql, params)`` with DuckDB's ``?`` parameters, on a pooled connection, each statement its own
    transaction (autocommit)."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def execute(self, statement: str, params: Sequence[Any] = ()) -> _Result:
        with self._pool.connection() as conn:
            cur = conn.execute(sql(statement), list(params))
            rows = cur.fetchall() if cur.description else []
            return _Result(rows, cur.description)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.executemany(sql(statement), [list(r) for r in rows])

    def close(self) -> None:
        pass


class _Reports:
    """The stored reports as consolidation asks for them (ReportSource), read inside the batch's transaction."""

    def __init__(self, conn: Any) -> None:
        self._c = conn

    def _all(self, statement: str, *params: Any) -> list[tuple]:
        return self._c.execute(statement, params).fetchall()

    def reports_with_keys(self, keys: set[str]) -> list[Event]:
        rows = self._all("SELECT DISTINCT r.report_id, r.record FROM report_keys k JOIN reports r "
                         "ON r.report_id = k.report_id WHERE k.block_key = ANY(%s::text[]) ORDER BY r.report_id",
                         sorted(keys))
        return [decode_event(record) for _, record in rows]

    def events_of_reports(self, report_ids: set[str]) -> dict[str, str]:
        if not report_ids:
            return {}
        return dict(self._all("SELECT report_id, event_id FROM reports WHERE report_id = ANY(%s::text[])",
                              sorted(report_ids)))

    def reports_of_events(self, event_ids: set[str]) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = {}
        if event_ids:
            for event_id, record in self._all("SELECT event_id, record FROM reports WHERE event_id = ANY(%s::text[]) "
                                              "ORDER BY report_id", sorted(event_ids)):
                out.setdefault(event_id, []).append(decode_event(record))
        return out

    def aliases_of(self, doc_ids: set[str]) -> dict[str, list[Source]]:
        out: dict[str, list[Source]] = {}
        if doc_ids:
            for doc_id, holder, url, title, outlet, published in self._all(
                    "SELECT doc_id, duplicate_of, url, title, outlet, published FROM documents "
                    "WHERE duplicate_of = ANY(%s::text[]) ORDER BY doc_id", sorted(doc_ids)):
                out.setdefault(holder, []).append(Source(doc_id, url, title, outlet, published))
        return out

    def reports_of_documents(self, doc_ids: set[str]) -> list[Event]:
        if not doc_ids:
            return []
        rows = self._all("SELECT record FROM reports WHERE doc_id = ANY(%s::text[]) ORDER BY report_id",
                         sorted(doc_ids))
        return [decode_event(r[0]) for r in rows]


class PostgresStore:
    """An open Kroniek database on a PostgreSQL server. Use :meth:`open`; close it (or use it as a context manager).

    Safe to share between threads (every call takes a connection from the pool)."""

    shared_by_threads = True       # serve/database.py: one store for every request thread
    written_by_others = True       # serve/database.py: other processes write too; the cache asks data_version()

    def __init__(self, pool: Any, url: str, read_only: bool) -> None:
        self._pool = pool
        self.url = url
        self.path = redact_url(url)
        self.read_only = read_only
        self._changes = 0                    # notifications of committed writes seen by the listener
        self._listening = False
        self._listener: threading.Thread | None = None
        self._closing = threading.Event()

    @classmethod
    def open(cls, url: str, read_only: bool = False, pool_size: int = POOL_MAX) -> "PostgresStore":
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise StoreError(f"{redact_url(url)}: PostgreSQL needs psycopg [K232]: "
                             "pip install 'kroniek[postgres]'") from None
        try:
            psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            reason = " ".join(str(exc).split()).replace(url, redact_url(url))[:120]
            raise StoreError(f"{redact_url(url)}: not a PostgreSQL URL [K231] ({reason}); "
                             "write it as postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME") from None
        try:   # one direct connection first: its error says what is wrong (a pool would only time out)
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S).close()
        except psycopg.Error as exc:
            raise _connect_error(url, exc) from None
        pool = ConnectionPool(url, min_size=1, max_size=max(1, pool_size), open=False, timeout=60,
                              kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S,
                                      "application_name": "kroniek"})
        try:
            pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except Exception as exc:
            pool.close()
            raise _connect_error(url, exc) from None
        store = cls(pool, url, read_only)
        try:
            store._check_schema()
            if not read_only:
                store._migrate()
        except Exception:
            pool.close()
            raise
        return store

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closing.set()
        if self._listener is not None:
            self._listener.join()
        self._pool.close()

    def cursor(self) -> _Cursor:
        return _Cursor(self._pool)

    def follow_tables(self):
        from .follow_postgres import PostgresFollowTables

        return PostgresFollowTables(self._pool)

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        with self._pool.connection() as conn:
            yield conn

    def _one(self, statement: str, params: Sequence[Any] = ()) -> tuple | None:
        with self._connection() as conn:
            return conn.execute(statement, list(params)).fetchone()

    def _all(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._connection() as conn:
            return conn.execute(statement, list(params)).fetchall()

    # -- schema ---------------------------------------------------------------------------------------------------
    @staticmethod
    def _version(conn: Any) -> int:
        if conn.execute("SELECT to_regclass('meta')").fetchone()[0] is None:
            return 0
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def schema_version(self) -> int:
        with self._connection() as conn:
            return self._version(conn)

    def _check_schema(self) -> None:
        # Under the migration lock: a process creating the schema right now has committed a whole version or none.
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", [MIGRATE_LOCK])
            version = self._version(conn)
            tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                                  "current_schema()").fetchone()[0]
        if version == 0:
            if tables:
                raise StoreError(f"{self.path}: not a Kroniek database (it holds other tables) [K203]; check the "
                                 "database name, or create an empty database for Kroniek")
            if self.read_only:
                raise StoreError(f"{self.path}: an empty database with no events yet [K203]; fill it with "
                                 f"`kroniek ingest ... --db {self.path}`")
        elif version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {version} is newer than this Kroniek [K202]")
        elif self.read_only and version < SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by an older Kroniek (schema {version}, this one reads "
                             f"{SCHEMA_VERSION}) [K204]; upgrade it once with `kroniek migrate --db {self.path}`")

    def _migrate(self) -> None:
        """Each missing version in one transaction, under an advisory lock: a second process waits, then finds the
        version done and skips it."""
        with self._connection() as conn:
            for version in range(1, SCHEMA_VERSION + 1):
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATE_LOCK])
                    current = self._version(conn)
                    if current > SCHEMA_VERSION:
                        raise StoreError(f"{self.path}: schema version {current} is newer than this Kroniek [K202]")
                    if current >= version:
                        continue
                    for statement in PG_MIGRATIONS[version]:
                        conn.execute(statement)
                    if version == 1:
                        self._trigram_indexes(conn)
                    if version == 2:
                        conn.execute("DROP TABLE mentions")   # never held rows: PostgreSQL came after version 2
                    if version == 4:
                        self._signatures_of_stored_documents(conn)
                    if version == 5:
                        self._points_of_stored_events(conn)
                    if version == 6:
                        self._fold_search_columns(conn)
                    conn.execute("INSERT INTO meta VALUES ('schema_version', %s) ON CONFLICT (key) DO UPDATE "
                                 "SET value = excluded.value", [str(version)])
                    conn.execute("INSERT INTO meta VALUES ('data_version', '0') ON CONFLICT (key) DO NOTHING")

    @staticmethod
    def _trigram_indexes(conn: Any) -> None:
        import psycopg

        try:
            with conn.transaction():    # a savepoint: without pg_trgm the filters scan, and the migration goes on
                for statement in TRIGRAM_INDEXES:
                    conn.execute(statement)
        except psycopg.Error:
            pass

    def _signatures_of_stored_documents(self, conn: Any) -> None:
        from ..consolidate.near_duplicates import band_keys, signature

        rows = conn.execute("SELECT doc_id, text FROM documents WHERE text IS NOT NULL ORDER BY doc_id").fetchall()
        for doc_id, text in rows:
            sig = signature(text)
            if sig is not None:
                conn.execute("UPDATE documents SET signature = %s WHERE doc_id = %s", [sig, doc_id])
                self._copy(conn, "document_bands", [{"band_key": k, "doc_id": doc_id} for k in band_keys(sig)])

    @staticmethod
    def _points_of_stored_events(conn: Any) -> None:
        """Migration 5: the map point of every stored event, from its record."""
        rows = conn.execute("SELECT event_id, record FROM events WHERE point IS NULL").fetchall()
        if not rows:
            return
        conn.execute("CREATE TEMPORARY TABLE new_points (event_id TEXT COLLATE \"C\", point TEXT) ON COMMIT DROP")
        with conn.cursor() as cur, cur.copy("COPY new_points (event_id, point) FROM STDIN") as copy:
            for event_id, record in rows:
                copy.write_row([event_id, point_json(decode_event(record))])
        conn.execute("UPDATE events SET point = new_points.point FROM new_points "
                     "WHERE events.event_id = new_points.event_id")

    @staticmethod
    def _fold_search_columns(conn: Any) -> None:
        """Migration 6: the stored events' search columns, case-folded as new ones are written."""
        rows = conn.execute("SELECT event_id, actor_names, search_text FROM events").fetchall()
        if not rows:
            return
        conn.execute("CREATE TEMPORARY TABLE folded (event_id TEXT COLLATE \"C\", actor_names TEXT, search_text TEXT) "
                     "ON COMMIT DROP")
        with conn.cursor() as cur, cur.copy("COPY folded (event_id, actor_names, search_text) FROM STDIN") as copy:
            for event_id, actors, search in rows:
                copy.write_row([event_id, search_form(actors or ""), search_form(search or "")])
        conn.execute("UPDATE events SET actor_names = folded.actor_names, search_text = folded.search_text "
                     "FROM folded WHERE events.event_id = folded.event_id")

    def data_version(self) -> tuple[str, int]:
        """A value that changes with every committed write of any process (the server's cache key).

        The first call starts a thread that LISTENs for the NOTIFY each write commits with, so later calls read
        memory (the cache asks on the event loop, for every request); until it listens, or if its connection
        fails, the value is read from the database."""
        if self._listener is None:
            self._listener = threading.Thread(target=self._listen, name="kroniek-pg-listen", daemon=True)
            self._listener.start()
        if self._listening:
            return ("notified", self._changes)
        row = self._one("SELECT value FROM meta WHERE key = 'data_version'")
        return ("stored", int(row[0]) if row else 0)

    def _listen(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S) as conn:
                conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                self._listening = True
                while not self._closing.is_set():
                    for _ in conn.notifies(timeout=LISTEN_POLL_S):
                        self._changes += 1
        except psycopg.Error:
            pass
        finally:
            self._listening = False

    # -- writing --------------------------------------------------------------------------------------------------
    def known_documents(self, doc_ids: Iterable[str]) -> set[str]:
        ids = list(doc_ids)
        if not ids:
            return set()
        with self._connection() as conn:
            return self._known(conn, ids)

    @staticmethod
    def _known(conn: Any, ids: list[str]) -> set[str]:
        rows = conn.execute("SELECT doc_id FROM documents WHERE doc_id = ANY(%s::text[])", [ids]).fetchall()
        return {r[0] for r in rows}

    def add_documents(self, batch: Sequence[StoredDocument]) -> list[tuple[Article, Exception]]:
        """Store documents with their reports in one transaction and recompute the events they join; returns the
        documents that could not be stored, with the error (a failed batch is retried one document at a time)."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        try:
            self._write(batch)
            return []
        except Exception as error:
            if len(batch) == 1:
                return [(batch[0][0], error)]
        failures = []
        for item in batch:
            failures += self.add_documents([item])
        return failures

    def _write(self, batch: Sequence[StoredDocument]) -> None:
        with self._connection() as conn, conn.transaction():
            # Every writer of this database, in every process, merges one batch at a time; readers go on.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            known = self._known(conn, [article.doc_id for article, _ in batch])
            fresh, seen = [], set()
            for article, reports in batch:
                if article.doc_id not in known and article.doc_id not in seen:
                    seen.add(article.doc_id)
                    fresh.append((article, reports))
            if fresh:
                self._write_documents(conn, fresh)
                conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'data_version'")
                conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")     # delivered when the batch commits

    def _write_documents(self, conn: Any, fresh: Sequence[StoredDocument]) -> None:
        # only a writer needs the near-duplicate signatures, never `kroniek events` or a reader
        from ..consolidate.near_duplicates import plan_copies

        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def stored_candidates(keys: list[str]) -> list[tuple[str, bytes, str | None]]:
            return [(doc_id, bytes(sig), holder) for doc_id, sig, holder in conn.execute(
                "SELECT DISTINCT d.doc_id, d.signature, d.duplicate_of "
                "FROM document_bands b JOIN documents d ON d.doc_id = b.doc_id "
                "WHERE b.band_key = ANY(%s::text[]) AND d.signature IS NOT NULL "
                "ORDER BY d.doc_id", [list(keys)]).fetchall()]

        plan = plan_copies(fresh, stored_candidates)
        rows = document_rows(fresh, plan, now)
        self._copy(conn, "documents", rows)
        self._copy(conn, "document_bands", band_rows(rows))
        removed: list[str] = []
        for doc_id in plan.demoted:
            holder = plan.holder[doc_id]
            conn.execute("UPDATE documents SET duplicate_of = %s WHERE duplicate_of = %s", [holder, doc_id])
            conn.execute("UPDATE documents SET duplicate_of = %s, text = NULL WHERE doc_id = %s",
                         [holder, doc_id])
            removed += [r[0] for r in conn.execute("SELECT report_id FROM reports WHERE doc_id = %s ORDER BY report_id",
                                                   [doc_id]).fetchall()]
        self._write_reports(conn, plan.reports, removed=removed, touched=plan.touched)

    def _write_reports(self, conn: Any, reports: Sequence[Event], removed: Sequence[str] = (),
                       touched: Iterable[str] = ()) -> None:
        new_ids = {r.id for r in reports}
        update = plan_update(reports, _Reports(conn), removed_reports=removed, touched_documents=touched)
        if update.removed:
            conn.execute("DELETE FROM events WHERE event_id = ANY(%s::text[])", [sorted(update.removed)])
        if removed:
            conn.execute("DELETE FROM report_keys WHERE report_id = ANY(%s::text[])", [sorted(removed)])
            conn.execute("DELETE FROM reports WHERE report_id = ANY(%s::text[])", [sorted(removed)])
        self._copy(conn, "events", [event_columns(e) for e in update.events])
        moved = sorted((rid, eid) for rid, eid in update.assignments.items() if rid not in new_ids)
        if moved:
            conn.execute("UPDATE reports SET event_id = m.event_id FROM "
                         "(SELECT unnest(%s::text[]) AS report_id, unnest(%s::text[]) AS event_id) m "
                         "WHERE reports.report_id = m.report_id AND reports.event_id <> m.event_id",
                         [[r for r, _ in moved], [e for _, e in moved]])
        self._copy(conn, "reports", report_rows(reports, update.assignments))
        self._copy(conn, "report_keys", report_key_rows(reports))

    @staticmethod
    def _copy(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
        """Rows in through COPY (one round trip for the lot)."""
        if not rows:
            return
        columns = TABLE_COLUMNS[table]
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(c) for c in columns])

    def add_reject(self, rejected: Rejected) -> None:
        if self.read_only:
            return
        with self._connection() as conn:
            conn.execute("INSERT INTO rejects VALUES (%s, %s, %s, %s)",
                         [rejected.origin, rejected.code, rejected.reason,
                          datetime.now(timezone.utc).replace(tzinfo=None)])

    # -- reading --------------------------------------------------------------------------------------------------
    def events(self, query: EventQuery = EventQuery()) -> list[Event]:
        return [decode_event(raw) for raw in self.events_json(query)]

    def events_json(self, query: EventQuery = EventQuery()) -> list[str]:
        where, params = query.where()
        rows = self._all(sql(f"SELECT record FROM events WHERE {where} ORDER BY {query.order_by()} LIMIT ? OFFSET ?"),
                         params + [query.limit, query.offset])
        return [r[0] for r in rows]

    def index_columns(self) -> dict[str, Any]:
        """Every event's INDEX_COLUMNS as lists (``locator`` is None: records are read by id, see records_at)."""
        with self._connection() as conn:
            cur = conn.execute(f"SELECT NULL AS locator, {INDEX_COLUMNS} FROM events")
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        return {name: [row[i] for row in rows] for i, name in enumerate(names)}

    def records_at(self, located: list[tuple[Any, str]]) -> list[str]:
        """The stored records of these (locator, event id) pairs, in this order; one a write removed is left out."""
        if not located:
            return []
        found = dict(self._all("SELECT event_id, record FROM events WHERE event_id = ANY(%s::text[])",
                               [[event_id for _, event_id in located]]))
        return [found[event_id] for _, event_id in located if event_id in found]

    def iter_events_json(self, query: EventQuery = EventQuery(limit=1_000_000_000)) -> Iterator[str]:
        """Every matching record as stored JSON text, streamed through a server-side cursor (never all in memory)."""
        where, params = query.where()
        with self._connection() as conn, conn.transaction(), conn.cursor(name="kroniek_events") as cur:
            cur.execute(sql(f"SELECT record FROM events WHERE {where} ORDER BY {query.order_by()} LIMIT ? OFFSET ?"),
                        params + [query.limit, query.offset])
            while rows := cur.fetchmany(1000):
                for (raw,) in rows:
                    yield raw

    def iter_events(self, query: EventQuery = EventQuery(limit=1_000_000_000)) -> Iterator[Event]:
        return (decode_event(raw) for raw in self.iter_events_json(query))

    def event_ids(self, query: EventQuery = EventQuery()) -> list[str]:
        """The ids of every matching event, in no order (the server's index asks for its substring filters)."""
        where, params = query.where()
        return [r[0] for r in self._all(sql(f"SELECT event_id FROM events WHERE {where}"), params)]

    def count_events(self, query: EventQuery = EventQuery()) -> int:
        where, params = query.where()
        return self._one(sql(f"SELECT count(*) FROM events WHERE {where}"), params)[0]

    def event(self, event_id: str) -> Event | None:
        row = self._one("SELECT record FROM events WHERE event_id = %s", [event_id])
        return decode_event(row[0]) if row else None

    def resolve_event_id(self, event_id: str) -> str | None:
        with self._connection() as conn:
            if conn.execute("SELECT 1 FROM events WHERE event_id = %s", [event_id]).fetchone():
                return event_id
            row = conn.execute("SELECT event_id FROM reports WHERE report_id = %s", [event_id]).fetchone()
            return row[0] if row else None

    def document_events(self) -> list[tuple[str, str]]:
        """(document id, event id) of every report: which events each document reports (for the server's index)."""
        return self._all("SELECT DISTINCT doc_id, event_id FROM reports")

    def document(self, doc_id: str, with_events: bool = True) -> dict[str, Any] | None:
        """A stored document's metadata and text, and (``with_events``) the ids of the events it reports."""
        keys = ("doc_id", "title", "url", "author", "outlet", "published", "language", "text", "origin",
                "duplicate_of")
        with self._connection() as conn:
            row = conn.execute(f"SELECT {', '.join(keys)} FROM documents WHERE doc_id = %s", [doc_id]).fetchone()
            if not row:
                return None
            doc = dict(zip(keys, row))
            doc["published"] = doc["published"].isoformat() if doc["published"] else None
            holder = doc["duplicate_of"] or doc_id
            if doc["duplicate_of"]:
                doc["text"] = conn.execute("SELECT text FROM documents WHERE doc_id = %s", [holder]).fetchone()[0]
            if with_events:
                doc["event_ids"] = [r[0] for r in conn.execute(
                    "SELECT DISTINCT event_id FROM reports WHERE doc_id = %s ORDER BY event_id", [holder]).fetchall()]
        return doc

    def all_documents(self) -> Iterator[dict[str, Any]]:
        """Every stored document as :meth:`document` gives it without its events, streamed (a server-side cursor)."""
        keys = ("doc_id", "title", "url", "author", "outlet", "published", "language", "text", "origin",
                "duplicate_of")
        columns = ", ".join("CASE WHEN d.duplicate_of IS NULL THEN d.text ELSE h.text END" if k == "text" else
                            f"d.{k}" for k in keys)
        with self._connection() as conn, conn.transaction(), conn.cursor(name="kroniek_documents") as cur:
            cur.execute(f"SELECT {columns} FROM documents d LEFT JOIN documents h ON h.doc_id = d.duplicate_of")
            for row in cur:
                doc = dict(zip(keys, row))
                doc["published"] = doc["published"].isoformat() if doc["published"] else None
                yield doc

    def stats(self, query: EventQuery = EventQuery()) -> dict[str, Any]:
        where, params = query.where()
        with self._connection() as conn:
            total = conn.execute(sql(f"SELECT count(*) FROM events WHERE {where}"), params).fetchone()[0]
            by_type = dict(conn.execute(sql(f"SELECT type, count(*) FROM events WHERE {where} GROUP BY type "
                                            "ORDER BY 2 DESC, 1"), params).fetchall())
            by_country = dict(conn.execute(sql(
                f"SELECT country, count(*) FROM events WHERE {where} AND country IS NOT NULL GROUP BY country "
                "ORDER BY 2 DESC, 1"), params).fetchall())
            weeks = conn.execute(sql(
                f"SELECT to_char(date_trunc('week', date_start), 'IYYY-\"W\"IW'), date_trunc('week', date_start), "
                f"type, count(*) FROM events WHERE {where} AND date_start IS NOT NULL GROUP BY 1, 2, 3 "
                "ORDER BY 2, 3"), params).fetchall()
        return {"total": total, "by_type": by_type, "by_country": by_country,
                "by_week": [{"week": w, "week_start": ws.isoformat()[:10], "type": t, "count": n}
                            for w, ws, t, n in weeks]}

    def counts(self) -> dict[str, int]:
        with self._connection() as conn:
            return {name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                    for name in ("documents", "events", "reports", "rejects")}

    def rejects(self) -> list[tuple[str, str, str]]:
        return self._all("SELECT origin, code, reason FROM rejects ORDER BY rejected_at")
