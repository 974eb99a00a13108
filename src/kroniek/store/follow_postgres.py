"""The follow tables (store/follow.py) on PostgreSQL: the same methods, with PostgreSQL's upserts.

The statements that DuckDB and PostgreSQL write alike run as FollowTables has them (``?`` becomes ``%s``); the
ones in DuckDB's dialect (INSERT OR REPLACE / OR IGNORE, any_value, a transaction on one connection) are here.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Sequence

from .follow import FollowTables
from .postgres_store import _Cursor, sql

__all__ = ["PostgresFollowTables"]


class PostgresFollowTables(FollowTables):
    def __init__(self, pool: Any) -> None:
        super().__init__(_Cursor(pool))
        self._pool = pool

    def _rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self._db.execute(statement, list(params)).fetchall()

    def remove_feed(self, url_or_name: str) -> str | None:
        rows = self._rows("SELECT url FROM feeds WHERE url = ? OR name = ? ORDER BY url", [url_or_name, url_or_name])
        if len(rows) != 1:
            return None
        url = rows[0][0]
        with self._pool.connection() as conn, conn.transaction():
            for statement in ("DELETE FROM seen_items WHERE feed_url = %s", "DELETE FROM fetch_state WHERE url = %s",
                              "DELETE FROM feeds WHERE url = %s"):
                conn.execute(statement, [url])
        return url

    def save_validators(self, url: str, etag: str | None, last_modified: str | None, now: datetime) -> None:
        self._db.execute("INSERT INTO fetch_state VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                         "etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
                         [url, etag, last_modified, now])

    def mark_seen(self, feed_url: str, items: Sequence[tuple[str, str]], now: datetime) -> None:
        if items:
            self._db.executemany("INSERT INTO seen_items VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                 [[feed_url, key, url, now] for key, url in items])

    def documents_by_url(self, urls) -> dict[str, tuple[str | None, int]]:
        urls = list(dict.fromkeys(urls))
        if not urls:
            return {}
        rows = self._rows("SELECT d.url, min(d.title), count(DISTINCT m.event_id) FROM documents d "
                          "LEFT JOIN reports m ON m.doc_id = d.doc_id WHERE d.url IN (SELECT unnest(?)) "
                          "GROUP BY d.url", [urls])
        return {url: (title, n) for url, title, n in rows}

    def remove_alert(self, name: str) -> bool:
        with self._pool.connection() as conn, conn.transaction():
            if not conn.execute("SELECT 1 FROM alerts WHERE name = %s", [name]).fetchone():
                return False
            conn.execute("DELETE FROM alert_fired WHERE alert_name = %s", [name])
            conn.execute("DELETE FROM alerts WHERE name = %s", [name])
        return True

    def mark_existing(self, name: str, where: str, params: Sequence[Any], now: datetime) -> int:
        with self._pool.connection() as conn:
            cur = conn.execute(sql(
                "INSERT INTO alert_fired SELECT ?, event_id, n_sources, fatalities_min, injuries_min, FALSE, ? "
                f"FROM events WHERE {where} ON CONFLICT DO NOTHING"), [name, now, *params])
            return cur.rowcount

    def mark_fired(self, name: str, records: Sequence[dict[str, Any]], now: datetime) -> None:
        self._db.executemany(
            "INSERT INTO alert_fired VALUES (?, ?, ?, ?, ?, TRUE, ?) ON CONFLICT (alert_name, fired_event) DO UPDATE "
            "SET sources_seen = excluded.sources_seen, fatalities_seen = excluded.fatalities_seen, "
            "injuries_seen = excluded.injuries_seen, delivered = TRUE, fired_at = excluded.fired_at",
            [[name, r["id"], len(r.get("sources") or []), (r.get("fatalities") or {}).get("min"),
              (r.get("injuries") or {}).get("min"), now] for r in records])

    def add_alert(self, alert: dict[str, Any], now: datetime) -> bool:
        with self._pool.connection() as conn:
            cur = conn.execute(
                "INSERT INTO alerts VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (name) DO NOTHING",
                [alert["name"], json.dumps(alert["filters"], sort_keys=True), alert["target_kind"], alert["target"],
                 bool(alert.get("updates")), bool(alert.get("allow_private_hosts")), now])
            return cur.rowcount == 1
