"""The tables that follow the news: feeds, fetch validators, items seen, saved alerts and what they fired.

:class:`FollowTables` is the whole interface (a PostgreSQL store implements the same methods). It takes a
DuckDB connection (or cursor) and the caller's clock value (``now``, naive UTC) for every write, so nothing
here reads a clock. A database created before these tables existed reads as having no feeds and no alerts.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterable, Sequence

import duckdb

__all__ = ["FollowTables"]

FEED_COLUMNS = ("url", "name", "added_at", "last_fetch_at", "last_status", "last_error", "last_added",
                "items_added", "failures", "retry_at")
ALERT_COLUMNS = ("name", "filters", "target_kind", "target", "updates", "allow_private_hosts", "created_at")


class FollowTables:
    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._db = connection

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, list(params)).fetchall()
        except duckdb.CatalogException:   # an older database, opened read-only: nothing followed yet
            return []

    # -- feeds ----------------------------------------------------------------------------------------------
    def add_feed(self, url: str, name: str | None, now: datetime) -> bool:
        """Store a feed; False when it is already there (its name is then updated when one is given)."""
        if self._rows("SELECT 1 FROM feeds WHERE url = ?", [url]):
            if name:
                self._db.execute("UPDATE feeds SET name = ? WHERE url = ?", [name, url])
            return False
        self._db.execute("INSERT INTO feeds (url, name, added_at, items_added, failures) VALUES (?, ?, ?, 0, 0)",
                         [url, name, now])
        return True

    def remove_feed(self, url_or_name: str) -> str | None:
        """Forget a feed (by URL or name) with its seen items and validators; returns its URL, or None."""
        rows = self._rows("SELECT url FROM feeds WHERE url = ? OR name = ? ORDER BY url", [url_or_name, url_or_name])
        if len(rows) != 1:
            return None
        url = rows[0][0]
        self._db.execute("BEGIN TRANSACTION")
        try:
            for sql in ("DELETE FROM seen_items WHERE feed_url = ?", "DELETE FROM fetch_state WHERE url = ?",
                        "DELETE FROM feeds WHERE url = ?"):
                self._db.execute(sql, [url])
            self._db.execute("COMMIT")
        except Exception:
            self._db.execute("ROLLBACK")
            raise
        return url

    def feeds(self) -> list[dict[str, Any]]:
        rows = self._rows(f"SELECT {', '.join(FEED_COLUMNS)} FROM feeds ORDER BY coalesce(name, url), url")
        return [dict(zip(FEED_COLUMNS, row)) for row in rows]

    def feed_polled(self, url: str, now: datetime, *, status: str, error: str | None = None, added: int = 0,
                    failures: int = 0, retry_at: datetime | None = None) -> None:
        """Record one poll of a feed: ``status`` is ok, unchanged or failed."""
        self._db.execute(
            "UPDATE feeds SET last_fetch_at = ?, last_status = ?, last_error = ?, last_added = ?, "
            "items_added = coalesce(items_added, 0) + ?, failures = ?, retry_at = ? WHERE url = ?",
            [now, status, error, added, added, failures, retry_at, url])

    # -- conditional GET ------------------------------------------------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        rows = self._rows("SELECT etag, last_modified FROM fetch_state WHERE url = ?", [url])
        return rows[0] if rows else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None, now: datetime) -> None:
        self._db.execute("INSERT OR REPLACE INTO fetch_state VALUES (?, ?, ?, ?)", [url, etag, last_modified, now])

    # -- items seen -----------------------------------------------------------------------------------------
    def unseen(self, feed_url: str, keys: Iterable[str]) -> set[str]:
        keys = list(dict.fromkeys(keys))
        if not keys:
            return set()
        seen = {r[0] for r in self._rows("SELECT item_key FROM seen_items WHERE feed_url = ? AND item_key IN "
                                         "(SELECT unnest(?))", [feed_url, keys])}
        return set(keys) - seen

    def mark_seen(self, feed_url: str, items: Sequence[tuple[str, str]], now: datetime) -> None:
        """Remember items (key, url) of a feed as done: a later poll does not fetch them again."""
        if items:
            self._db.executemany("INSERT OR IGNORE INTO seen_items VALUES (?, ?, ?, ?)",
                                 [[feed_url, key, url, now] for key, url in items])

    def documents_by_url(self, urls: Iterable[str]) -> dict[str, tuple[str | None, int]]:
        """Stored documents with these URLs: url -> (title, number of events found in it)."""
        urls = list(dict.fromkeys(urls))
        if not urls:
            return {}
        rows = self._rows("SELECT d.url, any_value(d.title), count(DISTINCT m.event_id) FROM documents d "
                          "LEFT JOIN reports m ON m.doc_id = d.doc_id WHERE d.url IN (SELECT unnest(?)) "
                          "GROUP BY d.url", [urls])
        return {url: (title, n) for url, title, n in rows}

    # -- alerts ---------------------------------------------------------------------------------------------
    def add_alert(self, alert: dict[str, Any], now: datetime) -> bool:
        if self._rows("SELECT 1 FROM alerts WHERE name = ?", [alert["name"]]):
            return False
        self._db.execute("INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [alert["name"], json.dumps(alert["filters"], sort_keys=True), alert["target_kind"],
                          alert["target"], bool(alert.get("updates")), bool(alert.get("allow_private_hosts")), now])
        return True

    def remove_alert(self, name: str) -> bool:
        if not self._rows("SELECT 1 FROM alerts WHERE name = ?", [name]):
            return False
        self._db.execute("DELETE FROM alert_fired WHERE alert_name = ?", [name])
        self._db.execute("DELETE FROM alerts WHERE name = ?", [name])
        return True

    def alerts(self) -> list[dict[str, Any]]:
        rows = self._rows(
            f"SELECT {', '.join('a.' + c for c in ALERT_COLUMNS)}, "
            "(SELECT count(*) FROM alert_fired f WHERE f.alert_name = a.name AND f.delivered) "
            "FROM alerts a ORDER BY a.name")
        out = []
        for row in rows:
            alert = dict(zip(ALERT_COLUMNS, row[:-1]))
            alert["filters"] = json.loads(alert["filters"])
            alert["fired"] = row[-1]
            out.append(alert)
        return out

    def alert(self, name: str) -> dict[str, Any] | None:
        return next((a for a in self.alerts() if a["name"] == name), None)

    def mark_existing(self, name: str, where: str, params: Sequence[Any], now: datetime) -> int:
        """Count every event matching ``where`` now as already known to the alert (it fires for new ones)."""
        before = self._rows("SELECT count(*) FROM alert_fired WHERE alert_name = ?", [name])[0][0]
        self._db.execute(
            "INSERT OR IGNORE INTO alert_fired SELECT ?, event_id, n_sources, fatalities_min, injuries_min, FALSE, ? "
            f"FROM events WHERE {where}", [name, now, *params])
        return self._rows("SELECT count(*) FROM alert_fired WHERE alert_name = ?", [name])[0][0] - before

    def pending(self, name: str, where: str, params: Sequence[Any], updates: bool,
                limit: int = 1000) -> list[tuple[dict[str, Any], str]]:
        """Events matching ``where`` the alert has not reported (``new``), or that grew since (``update``)."""
        grew = ("(f.event_id IS NOT NULL AND (e.n_sources > coalesce(f.sources_seen, 0) "
                "OR coalesce(e.fatalities_min, 0) > coalesce(f.fatalities_seen, 0) "
                "OR coalesce(e.injuries_min, 0) > coalesce(f.injuries_seen, 0)))") if updates else "FALSE"
        # An event fired under an id that a merge retired has fired: every id it was fired under is one of its
        # reports' ids (an event's id is its smallest report's), so match through the reports.
        fired = ("SELECT coalesce(r.event_id, f.fired_event) AS event_id, max(f.sources_seen) AS sources_seen, "
                 "max(f.fatalities_seen) AS fatalities_seen, max(f.injuries_seen) AS injuries_seen "
                 "FROM alert_fired f LEFT JOIN reports r ON r.report_id = f.fired_event "
                 "WHERE f.alert_name = ? GROUP BY 1")
        rows = self._rows(
            f"SELECT e.record, f.event_id IS NULL FROM events e LEFT JOIN ({fired}) f ON f.event_id = e.event_id "
            f"WHERE ({where}) AND (f.event_id IS NULL OR {grew}) "
            "ORDER BY e.date_start NULLS LAST, e.event_id LIMIT ?", [name, *params, limit])
        return [(json.loads(record), "new" if new else "update") for record, new in rows]

    def mark_fired(self, name: str, records: Sequence[dict[str, Any]], now: datetime) -> None:
        """Remember what was reported about each event: its number of sources, fatalities and injuries."""
        self._db.executemany(
            "INSERT OR REPLACE INTO alert_fired VALUES (?, ?, ?, ?, ?, TRUE, ?)",
            [[name, r["id"], len(r.get("sources") or []), (r.get("fatalities") or {}).get("min"),
              (r.get("injuries") or {}).get("min"), now] for r in records])
