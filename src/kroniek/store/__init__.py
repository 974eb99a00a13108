"""Where events live: DuckDB by default (one file, no server), or PostgreSQL for a team (``postgresql://`` URLs)."""
from .duckdb_store import Store
from .query import EventQuery

__all__ = ["Store", "EventQuery", "open_store", "is_postgres_url", "display_db"]


def is_postgres_url(db: object) -> bool:
    """True for ``postgresql://…`` and ``postgres://…`` (a PostgreSQL database), False for a DuckDB file."""
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def open_store(db: str, read_only: bool = False):
    """The store that ``--db`` names: a PostgresStore for a PostgreSQL URL, else the DuckDB file's Store (both with
    the same methods). Raises kroniek.errors.StoreError with one line (K2xx) when it cannot be opened."""
    if is_postgres_url(db):
        from .postgres_store import PostgresStore

        return PostgresStore.open(db, read_only=read_only)
    return Store.open(db, read_only=read_only)


def display_db(db: str) -> str:
    """``db`` as a message may show it (a PostgreSQL URL without its password)."""
    if is_postgres_url(db):
        from .postgres_store import redact_url

        return redact_url(db)
    return db
