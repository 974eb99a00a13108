"""The PostgreSQL schema: the same numbered versions as DuckDB's (store/schema.py), in PostgreSQL's types.

Version N here holds what version N holds there (the tables, the columns, their meaning), so a database of either
kind at version 4 stores the same things. Identifiers and the columns ordered by (ids, types, names, URLs) use the
"C" collation, so rows come back in the byte order DuckDB uses and consolidation sees the same reports in the same
order (same events, same ids). On top, indexes for the API's filters: type, country, dates, the bounding box, and
trigram indexes (pg_trgm) for the substring filters on evidence and actors (`text`, `actor` in EventQuery: ILIKE).
"""
from __future__ import annotations

from .schema import SCHEMA_VERSION

__all__ = ["PG_MIGRATIONS", "SCHEMA_VERSION", "TRIGRAM_INDEXES"]

K = 'TEXT COLLATE "C"'   # an id, a name or a URL: compared and ordered byte by byte, as DuckDB does

PG_MIGRATIONS: dict[int, list[str]] = {
    1: [
        f"CREATE TABLE IF NOT EXISTS meta (key {K} PRIMARY KEY, value TEXT)",
        f"""CREATE TABLE IF NOT EXISTS documents (
            doc_id {K} PRIMARY KEY, origin {K}, url {K}, title TEXT, author TEXT,
            outlet {K}, published DATE, language {K}, text TEXT, ingested_at TIMESTAMP)""",
        f"""CREATE TABLE IF NOT EXISTS mentions (
            mention_id {K} PRIMARY KEY, doc_id {K}, event_id {K}, record TEXT)""",
        f"""CREATE TABLE IF NOT EXISTS events (
            event_id {K} PRIMARY KEY, type {K}, subtype {K}, modality {K},
            date_start DATE, date_end DATE, country {K}, location_name {K},
            lat DOUBLE PRECISION, lon DOUBLE PRECISION, fatalities_min INTEGER, injuries_min INTEGER,
            actor_names TEXT, search_text TEXT, n_sources INTEGER, record TEXT)""",
        f"CREATE TABLE IF NOT EXISTS rejects (origin {K}, code {K}, reason TEXT, rejected_at TIMESTAMP)",
        # The API's filters and its default order (newest first, then id).
        "CREATE INDEX IF NOT EXISTS events_type ON events (type, subtype)",
        "CREATE INDEX IF NOT EXISTS events_country ON events (country)",
        "CREATE INDEX IF NOT EXISTS events_date ON events (date_start DESC NULLS LAST, event_id)",
        "CREATE INDEX IF NOT EXISTS events_date_end ON events ((coalesce(date_end, date_start)))",
        "CREATE INDEX IF NOT EXISTS events_bbox ON events (lon, lat)",
        "CREATE INDEX IF NOT EXISTS events_fatalities ON events (fatalities_min DESC NULLS LAST, event_id)",
    ],
    2: [
        f"CREATE TABLE reports (report_id {K} PRIMARY KEY, doc_id {K}, event_id {K}, record TEXT)",
        f"CREATE TABLE report_keys (block_key {K}, report_id {K})",
        "CREATE INDEX report_keys_key ON report_keys (block_key)",
        "CREATE INDEX report_keys_report ON report_keys (report_id)",
        "CREATE INDEX reports_doc ON reports (doc_id)",
        "CREATE INDEX reports_event ON reports (event_id)",
        f"ALTER TABLE events ADD COLUMN acled_event_type {K}",
        f"ALTER TABLE events ADD COLUMN acled_sub_event_type {K}",
        f"ALTER TABLE events ADD COLUMN gtd_attack_type {K}",
    ],
    3: [
        f"""CREATE TABLE IF NOT EXISTS feeds (
            url {K} PRIMARY KEY, name {K}, added_at TIMESTAMP,
            last_fetch_at TIMESTAMP, last_status TEXT, last_error TEXT, last_added INTEGER,
            items_added INTEGER DEFAULT 0, failures INTEGER DEFAULT 0, retry_at TIMESTAMP)""",
        f"""CREATE TABLE IF NOT EXISTS fetch_state (
            url {K} PRIMARY KEY, etag TEXT, last_modified TEXT, fetched_at TIMESTAMP)""",
        f"""CREATE TABLE IF NOT EXISTS seen_items (
            feed_url {K}, item_key {K}, item_url TEXT, seen_at TIMESTAMP, PRIMARY KEY (feed_url, item_key))""",
        f"""CREATE TABLE IF NOT EXISTS alerts (
            name {K} PRIMARY KEY, filters TEXT, target_kind TEXT, target TEXT,
            updates BOOLEAN, allow_private_hosts BOOLEAN, created_at TIMESTAMP)""",
        f"""CREATE TABLE IF NOT EXISTS alert_fired (
            alert_name {K}, fired_event {K}, sources_seen INTEGER, fatalities_seen INTEGER,
            injuries_seen INTEGER, delivered BOOLEAN, fired_at TIMESTAMP, PRIMARY KEY (alert_name, fired_event))""",
    ],
    4: [
        f"ALTER TABLE documents ADD COLUMN duplicate_of {K}",
        "ALTER TABLE documents ADD COLUMN signature BYTEA",
        f"CREATE TABLE document_bands (band_key {K}, doc_id {K})",
        "CREATE INDEX document_bands_key ON document_bands (band_key)",
        "CREATE INDEX document_bands_doc ON document_bands (doc_id)",
        "CREATE INDEX documents_duplicate_of ON documents (duplicate_of)",
        "CREATE INDEX documents_url ON documents (url)",
    ],
    5: [
        "ALTER TABLE events ADD COLUMN point TEXT",
    ],
    6: [],      # the search columns case-folded (PostgresStore._fold_search_columns)
}

# Substring search (LIKE '%word%') on evidence and titles, and on actors, through trigrams. pg_trgm ships with
# Debian's postgresql package; where it cannot be created (no contrib, no right to create it), the filters still
# work, by a scan.
TRIGRAM_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS events_search_trgm ON events USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS events_actors_trgm ON events USING gin (actor_names gin_trgm_ops)",
]

assert sorted(PG_MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1)), "PostgreSQL's versions follow DuckDB's"
