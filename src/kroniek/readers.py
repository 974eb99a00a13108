"""Where `kroniek events`, `show` and `export` read: the database file, or the `kroniek serve` that holds it.

DuckDB lets a process that writes a file keep every other process out of it, readers included. While `kroniek
serve` holds the file, the reading commands ask its API instead (:class:`kroniek.serve.client.ServerReader`, which
streams the stored records, so every output is the one the file itself gives), as `kroniek ingest` sends its
documents there. Otherwise they open the file read-only; when some other writer holds it (a `kroniek ingest`
still running), the error says so and what to do.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from .errors import StoreError

__all__ = ["open_reader", "event_ids_named", "Named", "DEMO_DB", "MAX_PREFIX_MATCHES"]

DEMO_DB = "kroniek-demo.duckdb"   # what `kroniek demo` builds when no --db is given
MAX_PREFIX_MATCHES = 10           # ids listed when a prefix is ambiguous


def _missing(db_path: str) -> StoreError:
    if Path(db_path).name == DEMO_DB:
        return StoreError(f"{db_path}: no such database; build it with `kroniek demo --no-serve --db {db_path}`")
    demo = Path(db_path).with_name(DEMO_DB)
    hint = (f"; the demo's database is {demo}: add --db {demo}" if demo.exists()
            else f"; `kroniek demo` builds a demo database, {DEMO_DB}")
    return StoreError(f"{db_path}: no such database; create it with `kroniek ingest FILES --db {db_path}`{hint}")


@contextmanager
def open_reader(db_path: str, announce=None) -> Iterator[Any]:
    """A read-only Store on ``db_path``, or a ServerReader when a `kroniek serve` holds it (``announce`` is called
    with the server's URL then).

    Raises:
        StoreError: no such file; or another process holds the file and no server of it answers [K201].
        kroniek.serve.client.ServerError: the server stopped answering or refused a request.
    """
    from .serve.client import ServerReader, find_server   # stdlib HTTP only: no web framework is imported

    server = find_server(db_path)
    if server is not None:
        if announce:
            announce(server.url)
        with ServerReader(server) as reader:
            yield reader
        return
    from .store import is_postgres_url, open_store

    if db_path != ":memory:" and not is_postgres_url(db_path) and not Path(db_path).exists():
        raise _missing(db_path)
    try:
        store = open_store(db_path, read_only=True)
    except StoreError as exc:
        if "[K201]" not in str(exc):
            raise
        raise StoreError(f"{db_path}: database is locked by another process [K201], and no `kroniek serve` of it "
                         "answers: a `kroniek ingest` (or another program) is writing it. Read it when that "
                         f"ends, or keep `kroniek serve --db {db_path}` running: then ingest, events, show and "
                         "export all go through the server") from exc
    with store:
        yield store


class Named(NamedTuple):
    ids: list[str]      # none, one, or (an ambiguous prefix) up to MAX_PREFIX_MATCHES + 1
    retired: bool       # the id was one a merge retired: ids[0] is the event that absorbed it


def event_ids_named(reader: Any, given: str) -> Named:
    """The ids of the events ``given`` can mean: its own id, or the id of the event a merge folded it into, else
    the events whose id starts with it (``evt_`` may be left out), at most MAX_PREFIX_MATCHES + 1, in id order."""
    from .store.query import EventQuery

    if not given.strip():
        return Named([], False)
    current = reader.resolve_event_id(given)
    if current:
        return Named([current], current != given)
    for prefix in dict.fromkeys((given, given if given.startswith("evt_") else "evt_" + given)):
        found = [e.id for e in reader.events(EventQuery(id_prefix=prefix, limit=MAX_PREFIX_MATCHES + 1,
                                                        order="id"))]
        if found:
            return Named(found, False)
    return Named([], False)
