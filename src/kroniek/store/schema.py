"""The database schema, as numbered migrations applied inside a transaction.

A migration is a list of SQL statements; the store runs a Python step after one where SQL alone cannot do the work
(migration 2 recomputes every event with today's consolidation).
"""
from __future__ import annotations

SCHEMA_VERSION = 6

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
    # One event, one record: a document's events are *reports* (their ids never change), each held by one event
    # whose id is its smallest member's; block keys say which reports may be one event. Events are recomputed.
    2: [
        """CREATE TABLE reports (
            report_id VARCHAR PRIMARY KEY, doc_id VARCHAR, event_id VARCHAR, record VARCHAR)""",
        """CREATE TABLE report_keys (block_key VARCHAR, report_id VARCHAR)""",
        """CREATE INDEX report_keys_key ON report_keys (block_key)""",
        """CREATE INDEX reports_doc ON reports (doc_id)""",
        """CREATE INDEX reports_event ON reports (event_id)""",
        """ALTER TABLE events ADD COLUMN acled_event_type VARCHAR""",
        """ALTER TABLE events ADD COLUMN acled_sub_event_type VARCHAR""",
        """ALTER TABLE events ADD COLUMN gtd_attack_type VARCHAR""",
    ],
    # 3: following the news (store/follow.py): feeds, what was fetched when, items seen, alerts and what they fired.
    3: [
        """CREATE TABLE IF NOT EXISTS feeds (
            url VARCHAR PRIMARY KEY, name VARCHAR, added_at TIMESTAMP,
            last_fetch_at TIMESTAMP, last_status VARCHAR, last_error VARCHAR, last_added INTEGER,
            items_added INTEGER DEFAULT 0, failures INTEGER DEFAULT 0, retry_at TIMESTAMP)""",
        # Validators for conditional GET: sent back as If-None-Match / If-Modified-Since.
        """CREATE TABLE IF NOT EXISTS fetch_state (
            url VARCHAR PRIMARY KEY, etag VARCHAR, last_modified VARCHAR, fetched_at TIMESTAMP)""",
        """CREATE TABLE IF NOT EXISTS seen_items (
            feed_url VARCHAR, item_key VARCHAR, item_url VARCHAR, seen_at TIMESTAMP,
            PRIMARY KEY (feed_url, item_key))""",
        """CREATE TABLE IF NOT EXISTS alerts (
            name VARCHAR PRIMARY KEY, filters VARCHAR, target_kind VARCHAR, target VARCHAR,
            updates BOOLEAN, allow_private_hosts BOOLEAN, created_at TIMESTAMP)""",
        # What an alert already reported about an event, so it fires once (and again only when the event grew).
        """CREATE TABLE IF NOT EXISTS alert_fired (
            alert_name VARCHAR, fired_event VARCHAR, sources_seen INTEGER, fatalities_seen INTEGER,
            injuries_seen INTEGER, delivered BOOLEAN, fired_at TIMESTAMP, PRIMARY KEY (alert_name, fired_event))""",
    ],
    # 4: one story, one document (consolidate/near_duplicates.py): a near-duplicate copy is stored as an alias of the
    # document that holds the text; MinHash signatures and their LSH band keys find the copies.
    4: [
        """ALTER TABLE documents ADD COLUMN duplicate_of VARCHAR""",
        """ALTER TABLE documents ADD COLUMN signature BLOB""",
        """CREATE TABLE document_bands (band_key VARCHAR, doc_id VARCHAR)""",
        """CREATE INDEX document_bands_key ON document_bands (band_key)""",
        """CREATE INDEX documents_duplicate_of ON documents (duplicate_of)""",
    ],
    # 5: each event's map point (store/columns.py point_json), so a server answers the map without decoding records;
    # the stored events get theirs from their records.
    5: [
        """ALTER TABLE events ADD COLUMN point VARCHAR""",
    ],
    # 6: the search columns (actor_names, search_text) hold case-folded text (store/columns.py search_form), so the
    # `actor` and `text` filters match alike in every store and locale; the stored events' columns are folded.
    6: [],
}
