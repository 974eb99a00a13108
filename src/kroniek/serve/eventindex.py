"""Every stored event's filter columns, map point, record and documents in memory, built once per database generation:
the server answers /api/events (count, order, page, GeoJSON), the map's points, /api/stats and event pages without a
query per request.

Why: on 100,000 events each uncached answer cost a scan, a sort or a lookup in the database (a page of 50: 10 ms, the
map's 10,000 points 27 ms, /api/stats 7 ms, an event page 6 ms, a GeoJSON map 320 ms: benchmarks/api_cpu.py), and with
the GIL 50 clients wait for each other. Here the filters are numpy masks over columns (under a millisecond each; the
substring filters RE2 matches over the stores' own case-folded search columns), the three orders are permutations
sorted once, the counts are bincounts, a map point is the stored JSON of the `point` column (store/columns.py), and
records, GeoJSON features and documents are LZ4-compressed blocks (serve/eventrecords.py). It also holds which events
each document reports (an event page's neighbours).

The index is immutable but for features serialised on first use: a write makes a new generation, and the next
request builds a new index (one thread builds, the others wait; about 3 s per 100,000 events). Its answers are exactly
the store's (EventQuery.where and order_by, the records as stored, export's GeoJSON, the stats of duckdb_store /
postgres_store): tests/test_event_index.py and tests/test_postgres.py compare them on many queries. Memory: about
2.5 KB per event on generated events (docs/SERVE.md).
"""
from __future__ import annotations

import contextlib
import json
import string
import threading
from datetime import date, timedelta
from typing import Any, Callable, Hashable, Iterable, Sequence

import msgspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..store.query import EventQuery, values_of
from .eventrecords import _CODEC, Packed, StoredRecords
from .memory import release_memory

__all__ = ["EventIndex", "IndexHolder"]

_EPOCH = date(1970, 1, 1)

# The most compressed document JSON the index holds (bytes). A database whose documents take more serves event pages'
# documents from the store (one short query each) and keeps the server's memory bounded whatever the corpus's size.
# 64 MiB holds about 55,000 articles of 3,000 characters (LZ4 leaves about 40 % of the text: docs/SERVE.md).
DOCUMENTS_HELD_BYTES = 64 * 1024 * 1024
# The substring filters' masks the index remembers (bytes, one byte per event each), most recently used kept: a word
# asked again (the next page of `text=police`, the dashboard's search box while one pages) costs a lookup instead of an
# RE2 pass over every event's search text (12 ms at 100,000 events; the pass was 28 % of the server's time under the
# pages mix of benchmarks/api_load.py). 16 MiB is 160 masks at 100,000 events, 16 at a million.
SUBSTRING_MASKS_BYTES = 16 * 1024 * 1024
# A page found by walking the order this many rows at a time (see EventIndex.page).
_PAGE_STEP = 4096


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON as the API writes it (serve/api.py json_bytes: dates as ISO strings)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


_NO_LOCK = contextlib.nullcontext()
_CATEGORIES = ("type", "subtype", "modality", "country", "acled_event_type", "acled_sub_event_type")
def _arrow(values: Any) -> pa.Array:
    """A column as one Arrow array (a store returns Arrow columns, or plain lists)."""
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    return values if isinstance(values, pa.Array) else pa.array(values)


def _numbers(values: Any, dtype: Any, fill: Any) -> tuple[np.ndarray, np.ndarray]:
    """(values as a numpy array with NULLs as ``fill``, True where NULL)."""
    array = _arrow(values)
    null = array.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_null(array.type):
        return np.full(len(array), fill, dtype), null
    return pc.fill_null(array, fill).to_numpy(zero_copy_only=False).astype(dtype), null


def _literal(word: str) -> str:
    """A regular expression (RE2) that matches exactly this text: ASCII punctuation escaped."""
    return "".join("\\" + ch if ch in string.punctuation else ch for ch in word)


class _Category:
    """A text column as codes: the distinct values sorted (byte order, as the stores sort), NULL last."""

    def __init__(self, values: Any) -> None:
        array = _arrow(values)
        if pa.types.is_null(array.type):
            array = array.cast(pa.string())
        encoded = pc.dictionary_encode(array)
        names = encoded.dictionary.to_pylist()
        ranked = sorted(range(len(names)), key=names.__getitem__)
        new_code = np.empty(len(names) + 1, np.int32)
        new_code[ranked] = np.arange(len(names))
        new_code[len(names)] = len(names)                 # NULL: after every name
        codes = pc.fill_null(encoded.indices, len(names)).to_numpy(zero_copy_only=False)
        self.codes = new_code[codes]
        self.names: list[str | None] = [names[i] for i in ranked] + [None]
        self.code_of = {name: i for i, name in enumerate(self.names[:-1])}

    def isin(self, values: Sequence[str]) -> np.ndarray:
        found = [self.code_of[v] for v in values if v in self.code_of]
        if len(found) <= 1:     # one value (the dashboard's views): a comparison, ~5x cheaper than the lookup below
            return self.codes == found[0] if found else np.zeros(len(self.codes), bool)
        wanted = np.zeros(len(self.names), bool)     # a table of the wanted codes, looked up by each row's code
        wanted[found] = True
        return wanted[self.codes]


class EventIndex:
    """The index of one generation of the database (see the module's docstring)."""

    def __init__(self, columns: dict[str, Any], document_events: Sequence[tuple[str, str]] = (),
                 records_at: Callable[[list[tuple[Any, str]]], list[str]] | None = None,
                 documents: Iterable[dict[str, Any]] | None = None,
                 documents_budget: int | None = None) -> None:
        """``records_at``: the store's Store.records_at; given, every record is read into memory (eventrecords.py).
        ``documents``: Store.all_documents(); given, an event page's documents come from memory too, unless they take
        more than ``documents_budget`` bytes compressed (DOCUMENTS_HELD_BYTES when None; then none are held)."""
        # document id -> its JSON (as the API writes it, without event_ids and the closing brace), LZ4-compressed
        # and the document that holds its text and reports (itself, or the one it is a copy of)
        self.documents: dict[str, tuple[bytes, int, str]] | None = None
        if documents is not None:
            self.documents = self._held_documents(
                documents, DOCUMENTS_HELD_BYTES if documents_budget is None else documents_budget)
        events_of: dict[str, list[str]] = {}
        for doc_id, event_id in document_events:
            events_of.setdefault(doc_id, []).append(event_id)
        # document id -> the events it reports, by id (what Store.document's event_ids holds)
        self.events_of_document = {doc_id: sorted(ids) for doc_id, ids in events_of.items()}
        ids = _arrow(columns["event_id"])
        self.ids: list[str] = ids.to_pylist()
        n = self.size = len(self.ids)
        self.locators: list[Any] = _arrow(columns["locator"]).to_pylist()
        self.categories = {name: _Category(columns[name]) for name in _CATEGORIES}
        self.start_day, self.start_null = _numbers(columns["start_day"], np.int64, 0)
        self.end_day, self.end_null = _numbers(columns["end_day"], np.int64, 0)    # coalesce(date_end, date_start)
        self.lat = _numbers(columns["lat"], np.float64, np.nan)[0]
        self.lon = _numbers(columns["lon"], np.float64, np.nan)[0]
        self.fatalities, self.fatalities_null = _numbers(columns["fatalities_min"], np.int64, 0)
        # the map points: their stored JSON, kept in date order (the map's newest events are one slice)
        points = columns["point"]
        if not isinstance(points, (pa.Array, pa.ChunkedArray)):
            points = pa.array(points, pa.string())
        self._point_null = points.is_null().to_numpy(zero_copy_only=False)
        self._points_column = points        # as read (not combined: a copy less while building)
        self._points: tuple[np.ndarray, Packed] | None = None   # built with the date order
        # the substring filters' columns (case-folded, store/columns.py search_form), matched here as the stores'
        # LIKE '%word%' matches them; an index built without them asks the database (Store.event_ids)
        self._ids_column = ids
        self._search = {name: _arrow(columns[column]).cast(pa.string()) for name, column in
                        (("actor", "actor_names"), ("text", "search_text")) if column in columns}
        # ranks of the ids in byte order (every order ends on the id)
        by_id = pc.sort_indices(ids).to_numpy(zero_copy_only=False).astype(np.int64)
        self.id_rank = np.empty(n, np.int64)
        self.id_rank[by_id] = np.arange(n)
        self._orders: dict[str, np.ndarray] = {"id": by_id}
        self._position: dict[str, int] | None = None
        self._weeks: tuple[np.ndarray, list[tuple[str, str]]] | None = None
        self._cell_json: pa.Array | None = None
        self._cell_of: np.ndarray | None = None
        self._n_cells = 0
        self._lock = threading.Lock()
        self._substring_masks: dict[tuple, np.ndarray] = {}    # (column, words) -> mask, oldest first
        self._masks_lock = threading.Lock()
        self.stored: StoredRecords | None = None
        release_memory()
        if records_at is not None:
            def read(rows: list[int]) -> list[str] | None:
                located = [(self.locators[r], self.ids[r]) for r in rows]
                found = records_at(located)
                return found if len(found) == len(located) else None   # a write removed one: read from the store

            self._packed_points()    # first: its copies are freed before the records are read
            stored = StoredRecords(self.order("date"), read)
            self.stored = stored if stored.complete else None

    @staticmethod
    def _held_documents(documents: Iterable[dict[str, Any]],
                        budget: int) -> dict[str, tuple[bytes, int, str]] | None:
        held: dict[str, tuple[bytes, int, str]] = {}
        total = 0
        stream = iter(documents)
        try:
            for doc in stream:
                raw = json_bytes(doc)[:-1]
                compressed = _CODEC.compress(raw, asbytes=True)
                total += len(compressed)
                if total > budget:
                    return None     # too many to hold: event pages read their documents from the store
                held[doc["doc_id"]] = (compressed, len(raw), doc["duplicate_of"] or doc["doc_id"])
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()         # a store's streaming cursor is closed at once, read to the end or not
        return held

    def document_json(self, doc_id: str) -> bytes | None:
        """A stored document as the API's JSON, with the ids of the events it (or its holder) reports; None when the
        index holds no documents or not this one."""
        held = self.documents.get(doc_id) if self.documents is not None else None
        if held is None:
            return None
        compressed, size, holder = held
        return _CODEC.decompress(compressed, decompressed_size=size, asbytes=True) + b',"event_ids":' + \
            json_bytes(self.events_of_document.get(holder, [])) + b"}"

    def events_of(self, doc_id: str) -> list[str]:
        """The ids of the events this held document (or its holder) reports."""
        assert self.documents is not None
        return self.events_of_document.get(self.documents[doc_id][2], [])

    def records(self, rows: np.ndarray) -> list[memoryview] | None:
        """The stored records (UTF-8 JSON) of these rows from memory, or None when the index holds none."""
        return self.stored.records(rows) if self.stored is not None else None

    def joined_records(self, rows: np.ndarray, head: bytes = b"", tail: bytes = b"") -> bytes | None:
        """The stored records of these rows joined with commas between head and tail, or None when the index holds
        none."""
        return self.stored.joined_records(rows, head, tail) if self.stored is not None else None

    def joined_features(self, rows: np.ndarray, head: bytes = b"", tail: bytes = b"") -> bytes | None:
        """The GeoJSON features of these rows (export.geojson_feature) joined with commas between head and tail, or
        None when the index holds no records."""
        return self.stored.joined_features(rows, head, tail) if self.stored is not None else None

    def joined_size(self, kind: str, rows: np.ndarray) -> int:
        """Bytes of these rows' records, features or points (without commas), when joined_* gives them."""
        if kind == "points":
            slot, packed = self._packed_points()
            return packed.size(slot[rows])
        assert self.stored is not None
        return self.stored.records_size(rows) if kind == "records" else self.stored.features_size(rows)

    def has_all_points(self, rows: np.ndarray) -> bool:
        """Whether every one of these rows has its stored map point (one written before migration 5 may not)."""
        return not self._point_null[rows].any()

    def joined_points(self, rows: np.ndarray, head: bytes = b"", tail: bytes = b"") -> bytes | None:
        """The stored map points (JSON) of these rows joined with commas between head and tail, or None when one of
        them has none (read its record)."""
        if not self.has_all_points(rows):
            return None
        slot, packed = self._packed_points()
        return packed.joined(slot[rows], head, tail)

    def _packed_points(self) -> tuple[np.ndarray, Packed]:
        """(row -> slot, the points in date order)."""
        if self._points is None:
            with self._lock:
                if self._points is None:
                    order = self.order("date", locked=True)
                    slot = np.empty(self.size, np.int64)
                    slot[order] = np.arange(self.size)
                    self._points = (slot, Packed(_arrow(self._points_column.take(pa.array(order)))))
                    self._points_column = None
                    release_memory()
        return self._points

    # -- filters ------------------------------------------------------------------------------------------------
    def needs_database(self, query: EventQuery) -> bool:
        """Whether the query has substring filters (actor, text, id_prefix) and the index lacks their columns."""
        return len(self._search) < 2 and self._has_substrings(query)

    @staticmethod
    def _has_substrings(query: EventQuery) -> bool:
        return bool([w for w in values_of(query.actor) if w] or [w for w in values_of(query.text) if w]
                    or query.id_prefix)

    def _substring_mask(self, query: EventQuery) -> np.ndarray:
        """The substring filters from the index's columns: any of the words (case-folded, literal) in the column,
        as the stores' ``LIKE '%word%'`` (store/query.py); the id starting with id_prefix."""
        keep = np.ones(self.size, bool)
        for name in ("actor", "text"):
            words = tuple(sorted({w.casefold() for w in values_of(getattr(query, name)) if w}))
            if words:
                keep &= self._words_mask(name, words)
        if query.id_prefix:
            keep &= pc.starts_with(self._ids_column, query.id_prefix).to_numpy(zero_copy_only=False)
        return keep

    def _words_mask(self, name: str, words: tuple[str, ...]) -> np.ndarray:
        """True for the events whose `name` column holds any of the words (remembered: SUBSTRING_MASKS_BYTES)."""
        key, held = (name, words), self._substring_masks
        with self._masks_lock:
            found = held.pop(key, None)    # taken out and put back last: the most recently used
            if found is not None:
                held[key] = found
                return found
        # any of the words: one RE2 alternation of the literal words, one pass over the column however many words
        # there are (RE2 on a literal is also 3x faster than match_substring here: 12 vs 33 ms)
        pattern = "|".join(_literal(w) for w in words)
        found = pc.fill_null(pc.match_substring_regex(self._search[name], pattern), False).to_numpy(
            zero_copy_only=False)
        found.flags.writeable = False
        with self._masks_lock:
            while held and (len(held) + 1) * max(self.size, 1) > SUBSTRING_MASKS_BYTES:
                held.pop(next(iter(held)))
            held[key] = found
        return found

    def mask(self, query: EventQuery, substring_ids: Callable[[EventQuery], list[str]] | None = None) -> np.ndarray:
        """True for each event that matches the query's filters (EventQuery.where, exactly)."""
        keep = np.ones(self.size, bool)
        for name in ("type", "subtype", "modality", "country"):
            values = [v.upper() if name == "country" else v for v in values_of(getattr(query, name)) if v]
            if values:
                keep &= self.categories[name].isin(values)
        acled = [v for v in values_of(query.acled) if v]
        if acled:
            keep &= self.categories["acled_event_type"].isin(acled) | \
                self.categories["acled_sub_event_type"].isin(acled)
        if query.since:
            keep &= ~self.end_null & (self.end_day >= (query.since - _EPOCH).days)
        if query.until:
            keep &= ~self.start_null & (self.start_day <= (query.until - _EPOCH).days)
        if query.bbox:
            min_lon, min_lat, max_lon, max_lat = query.bbox
            with np.errstate(invalid="ignore"):
                keep &= (self.lon >= min_lon) & (self.lon <= max_lon) & (self.lat >= min_lat) & (self.lat <= max_lat)
        if self._has_substrings(query) and not self.needs_database(query):
            keep &= self._substring_mask(query)
        elif self.needs_database(query):
            if substring_ids is None:
                raise ValueError("this query's substring filters need the database")
            position = self.position()
            found = np.zeros(self.size, bool)
            found[[position[i] for i in substring_ids(query) if i in position]] = True
            keep &= found
        return keep

    def position(self) -> dict[str, int]:
        """Event id -> its row in the index (built on first use)."""
        if self._position is None:
            self._position = {event_id: i for i, event_id in enumerate(self.ids)}
        return self._position

    # -- orders and pages ---------------------------------------------------------------------------------------
    def order(self, name: str, locked: bool = False) -> np.ndarray:
        """Rows in the order EventQuery.order_by names: newest first, most fatalities first (NULLs last, then id),
        or by id."""
        name = name if name in ("fatalities", "id") else "date"
        found = self._orders.get(name)
        if found is None:
            with self._lock if not locked else _NO_LOCK:
                if name == "date":
                    found = np.lexsort((self.id_rank, -self.start_day, self.start_null))
                else:
                    found = np.lexsort((self.id_rank, -self.fatalities, self.fatalities_null))
                self._orders[name] = found
        return found

    def page(self, mask: np.ndarray, order: str, offset: int, limit: int, matching: int | None = None) -> np.ndarray:
        """The rows of one page: matching rows in the order, from ``offset``, at most ``limit`` (``matching``: how
        many rows the mask holds, where the caller knows it)."""
        ordered = self.order(order)
        wanted = offset + limit
        matching = int(mask.sum()) if matching is None else matching
        # the page ends about wanted / matching of the way into the order, if the matches are spread evenly
        if wanted * 4 > matching:
            return ordered[mask[ordered]][offset:offset + limit]
        # an early page (most are: the first page of the table, of a filter, of the API): the order walked a step
        # at a time until the page is full, instead of gathering the mask of every event (0.4 ms at 100,000)
        found, have, step = [], 0, max(_PAGE_STEP, 2 * wanted)
        for start in range(0, len(ordered), step):
            part = ordered[start:start + step]
            part = part[mask[part]]
            found.append(part)
            have += len(part)
            if have >= wanted:
                break
        return np.concatenate(found)[offset:offset + limit] if found else ordered[:0]

    def located(self, rows: np.ndarray) -> list[tuple[Any, str]]:
        """(locator, id) of these rows: what the store reads records by (Store.records_at)."""
        return [(self.locators[r], self.ids[r]) for r in rows.tolist()]

    # -- stats ----------------------------------------------------------------------------------------------------
    def _week_rows(self) -> tuple[np.ndarray, list[tuple[str, str]]]:
        """Each event's week (an index into the weeks; -1 without a date) and each week's ISO name and Monday."""
        if self._weeks is None:
            monday = self.start_day - (self.start_day + 3) % 7    # 1970-01-01 was a Thursday
            weeks, inverse = np.unique(monday[~self.start_null], return_inverse=True)
            week_of = np.full(self.size, -1, np.int64)
            week_of[~self.start_null] = inverse
            labels = []
            for day in weeks.tolist():
                start = _EPOCH + timedelta(days=day)
                year, week, _ = start.isocalendar()
                labels.append((f"{year}-W{week:02d}", start.isoformat()))
            self._weeks = (week_of, labels)
        return self._weeks

    def _counts(self, mask: np.ndarray) -> dict[str, Any]:
        """The total and the counts by type and by country (most first, then by name)."""
        def counts(category: _Category, keep_null: bool) -> dict[str | None, int]:
            n = np.bincount(category.codes[mask], minlength=len(category.names))
            if not keep_null:
                n[-1] = 0
            ranked = sorted((-int(c), i) for i, c in enumerate(n.tolist()) if c)
            # NULL sorts after every name among equal counts, as the stores' ORDER BY 2 DESC, 1 does
            return {category.names[i]: -c for c, i in ranked}

        return {"total": int(mask.sum()), "by_type": counts(self.categories["type"], True),
                "by_country": counts(self.categories["country"], False)}

    def _week_cells(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cell, count) of every (week, type) cell with events; a cell is week * number of types + type."""
        if self._cell_of is None:
            week_of, labels = self._week_rows()
            n_cells = len(labels) * len(self.categories["type"].names)
            # each event's cell; an undated one's is one past the last, dropped from the counts
            self._cell_of = np.where(week_of >= 0, week_of * len(self.categories["type"].names) +
                                     self.categories["type"].codes, n_cells)
            self._n_cells = n_cells
        cells = np.bincount(self._cell_of[mask], minlength=self._n_cells + 1)[:self._n_cells]
        filled = np.flatnonzero(cells)
        return filled, cells[filled]

    def stats(self, mask: np.ndarray) -> dict[str, Any]:
        """/api/stats: the total, counts by type and by country (most first, then by name), and by week and type."""
        names, (_, labels) = self.categories["type"].names, self._week_rows()
        by_week = []
        for cell, count in zip(*(a.tolist() for a in self._week_cells(mask))):
            week, kind = divmod(cell, len(names))
            name, start = labels[week]
            by_week.append({"week": name, "week_start": start, "type": names[kind], "count": count})
        return {**self._counts(mask), "by_week": by_week}

    def stats_json(self, mask: np.ndarray) -> bytes:
        """``msgspec.json.encode(self.stats(mask))``, its by_week cells written from JSON kept for each (week, type)
        (thousands of cells on 100,000 events: no dict per cell)."""
        if self._cell_json is None:
            names, (_, labels) = self.categories["type"].names, self._week_rows()
            self._cell_json = pa.array([msgspec.json.encode({"week": week, "week_start": start, "type": kind})[:-1]
                                        .decode() + ',"count":' for week, start in labels for kind in names])
        filled, counts = self._week_cells(mask)
        head = msgspec.json.encode(self._counts(mask))[:-1] + b',"by_week":['
        if not len(filled):
            return head + b"]}"
        # each cell's JSON is its kept prefix, its count and "}," (joined in Arrow); the last comma is dropped
        cells = pc.binary_join_element_wise(self._cell_json.take(pa.array(filled)),
                                            pc.cast(pa.array(counts), pa.string()), "},", "")
        width = np.int64 if pa.types.is_large_string(cells.type) else np.int32
        end = int(np.frombuffer(cells.buffers()[1], width)[cells.offset + len(cells)])
        return b"".join((head, memoryview(cells.buffers()[2])[:end - 1], b"]}"))


class IndexHolder:
    """The index of the current generation, rebuilt when the generation changes (one build at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[Hashable, EventIndex] | None = None

    def get(self, generation: Hashable, build: Callable[[], EventIndex]) -> EventIndex:
        current = self._current
        if current is not None and current[0] == generation:
            return current[1]
        with self._lock:
            current = self._current
            if current is not None and current[0] == generation:
                return current[1]
            self._current = None       # the old one goes before the new one is built: bounded memory
            index = build()
            self._current = (generation, index)
            return index

    def peek(self, generation: Hashable) -> EventIndex | None:
        """The index of this generation if it is built, else None (nothing is built)."""
        current = self._current
        return current[1] if current is not None and current[0] == generation else None

    def clear(self) -> None:
        self._current = None

