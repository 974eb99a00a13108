"""Where events live: DuckDB by default (one file, no server)."""
from .duckdb_store import Store
from .query import EventQuery

__all__ = ["Store", "EventQuery"]
