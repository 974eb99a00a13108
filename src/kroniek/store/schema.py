"""The database schema, as numbered migrations applied inside a transaction."""
from __future__ import annotations

SCHEMA_VERSION = 1

# Migration N brings the schema from version N-1 to N. Never edit a released migration: add one.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS documents (
            doc_id VARCHAR PRIMARY KEY, origin VARCHAR, url VARCHAR, title VARCHAR, author VARCHAR,
            outlet VARCHAR, published DATE, language VARCHAR, text VARCHAR, ingested_at TIMESTAMP)""",
        # One row per event as found in one document (consolidated within that document).
        """CREATE TABLE IF NOT EXISTS mentions (
            mention_id VARCHAR PRIMARY KEY, doc_id VARCHAR, event_id VARCHAR, record VARCHAR)""",
        # One row per event across documents: the merged record plus flat columns for filtering.
        """CREATE TABLE IF NOT EXISTS events (
            event_id VARCHAR PRIMARY KEY, type VARCHAR, subtype VARCHAR, modality VARCHAR,
            date_start DATE, date_end DATE, country VARCHAR, location_name VARCHAR,
            lat DOUBLE, lon DOUBLE, fatalities_min INTEGER, injuries_min INTEGER,
            actor_names VARCHAR, search_text VARCHAR, n_sources INTEGER, record VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS rejects (
            origin VARCHAR, code VARCHAR, reason VARCHAR, rejected_at TIMESTAMP)""",
    ],
}
