"""The one open database behind a running server: reads on per-thread cursors, one writer, a response cache.

DuckDB lets one process hold a database file for writing, so the server holds it and every write (POST
/api/ingest, which `kroniek ingest` uses while a server runs) happens inside this process. That makes the
server the only writer, so it knows exactly when the data changes: responses are cached until the next
write (``generation`` goes up after each commit and old cache keys are never asked for again).

DuckDB connections must not be shared between threads; a cursor is a separate connection to the same
database, so each request thread reads through its own :class:`Store` built on a cursor, and reads go on
(on the last committed state) while an ingest writes.

A PostgreSQL store is shared by every thread (its pool hands each call a connection), and other processes write
the same database: there the cache key also holds the database's own data version, which every committed write
of any process raises (PostgresStore.data_version).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

from ..store import Store
from .eventindex import EventIndex, IndexHolder
from .memory import release_memory

__all__ = ["ServedDatabase", "CACHE_MAX_BYTES"]

T = TypeVar("T")

# Cached responses: the dashboard asks the same few questions over and over. At most 512 entries of at most
# 1 MiB each, and 64 MiB in all (the oldest go first), so the server's memory stays bounded under any mix of
# queries; typical pages are a few KiB.
_CACHE_ENTRIES = 512
CACHE_MAX_BYTES = 1 << 20
_CACHE_TOTAL_BYTES = 64 << 20
# DuckDB's buffer pool keeps every block it reads until its limit (80% of the machine's memory by default): on
# 100,000 events the /api/events load mix took the server to 913-984 MB. Since the server's index holds the records
# (serve/eventrecords.py), DuckDB answers only documents, substring filters and exports, and 32 MB is enough for
# them (docs/SERVE.md).
DUCKDB_MEMORY_LIMIT = "32MB"


class ServedDatabase:
    """Wraps the server's :class:`Store`: thread-local readers, serialised writes, a cache of answers."""

    def __init__(self, store: Store, owns_store: bool = True) -> None:
        self.store = store
        self.read_only = store.read_only
        self._owns_store = owns_store
        self._local = threading.local()
        self._readers: list[Store] = []
        self._lock = threading.Lock()          # guards _readers and the cache
        self._connection_lock = threading.Lock()   # the shared connection: one write, or one new cursor
        self._cache: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()   # key -> (answer, its size)
        self._cache_bytes = 0
        self._generation = 0
        self._closed = False
        self._index = IndexHolder()
        if isinstance(store, Store) and not getattr(store, "shared_by_threads", False):
            with self._connection_lock:
                store.cursor().execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")

    def reader(self) -> Store:
        """A Store for this thread only, reading through its own cursor."""
        if getattr(self.store, "shared_by_threads", False):
            return self.store
        reader = getattr(self._local, "reader", None)
        if reader is None:
            with self._connection_lock:   # cursor() touches the shared connection: never while a write uses it
                reader = Store(self.store.cursor(), self.store.path, read_only=True)
            with self._lock:
                self._readers.append(reader)
            self._local.reader = reader
        return reader

    def write(self, action: Callable[[Store], T]) -> T:
        """Run ``action`` on the writable store, one at a time; cached answers are dropped after it."""
        with self._connection_lock:
            try:
                return action(self.store)
            finally:
                with self._lock:
                    self._generation += 1
                    self._cache.clear()
                    self._cache_bytes = 0

    def index(self) -> EventIndex:
        """The in-memory index of every event (serve/eventindex.py) at the current generation."""
        def build() -> EventIndex:
            reader = self.reader()
            index = EventIndex(reader.index_columns(), reader.document_events(), reader.records_at,
                               reader.all_documents())
            release_memory()
            return index

        return self._index.get(self.generation, build)

    def index_at_hand(self) -> EventIndex | None:
        """The current index when it is built and knowing it costs no query (this process is the only writer), else
        None: what lets an answer from memory alone be computed on the event loop (serve/api.py)."""
        if getattr(self.store, "written_by_others", False):
            return None
        return self._index.peek(self._generation)

    @property
    def generation(self) -> Hashable:
        """Changes with every write: this server's own, and (PostgreSQL) any other process's."""
        if getattr(self.store, "written_by_others", False):
            return (self._generation, self.store.data_version())
        return self._generation

    def cache_lookup(self, key: Hashable) -> Any | None:
        """The answer kept for ``key`` at the current generation, or None."""
        generation = self.generation
        with self._lock:
            full_key = (generation, key)
            kept = self._cache.get(full_key)
            if kept is None:
                return None
            self._cache.move_to_end(full_key)
            return kept[0]

    def cache_store(self, key: Hashable, generation: Hashable, value: Any, size: int) -> None:
        """Keep an answer computed at ``generation``; dropped when a write has happened since."""
        if size > CACHE_MAX_BYTES:
            return
        current = self.generation
        with self._lock:
            if generation != current:   # a write since we started makes this answer stale
                return
            previous = self._cache.pop((generation, key), None)
            if previous is not None:
                self._cache_bytes -= previous[1]
            self._cache[(generation, key)] = (value, size)
            self._cache_bytes += size
            while len(self._cache) > _CACHE_ENTRIES or self._cache_bytes > _CACHE_TOTAL_BYTES:
                self._cache_bytes -= self._cache.popitem(last=False)[1][1]

    def close(self) -> None:
        """Close every reader cursor, then the store if this object opened it; a second call does nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for reader in self._readers:
                try:
                    reader.close()
                except Exception:   # a cursor of a closed connection is already gone
                    pass
            self._readers.clear()
            self._cache.clear()
            self._cache_bytes = 0
            self._index.clear()
        if self._owns_store:
            self.store.close()
