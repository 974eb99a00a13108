"""The server's in-memory index (serve/eventindex.py) answers exactly what the store's SQL answers: the same counts,
the same pages in the same order, the same stats, on a seeded database of varied events (NULL dates, places,
fatalities; ties in every order) and many filter combinations. Also: migration 5 gives stored events their map
point, and the API's map points are the events' own."""
from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import product

import duckdb
import httpx
import msgspec
import pytest

from kroniek.eventjson import decode_event, encode_event, event_from_dict
from kroniek.export import export_chunks
from kroniek.serve.app import create_app
from kroniek.serve.eventindex import EventIndex
from kroniek.store import EventQuery, Store
from kroniek.store.columns import event_columns, map_point
from kroniek.store.schema import MIGRATIONS

TYPES = ("attack", "arrest", "protest", "claim", "armed_clash")
COUNTRIES = ("NL", "DE", "BE", "GB", None)
PLACES = {"NL": (52.37, 4.89), "DE": (52.52, 13.41), "BE": (50.85, 4.35), "GB": (53.48, -2.24)}
ACLED = ("Battles", "Explosions/Remote violence", "Protests", None)


def _events(n: int, seed: int = 7) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        country = rng.choice(COUNTRIES)
        start = date(2016, 1, 1) + timedelta(days=rng.randrange(60)) if rng.random() < 0.85 else None
        placed = country is not None and rng.random() < 0.8
        lat, lon = PLACES[country] if placed else (None, None)
        fatalities = rng.choice((None, 0, 1, 2, 5, 12))
        out.append(event_from_dict({
            "id": f"evt_{rng.randrange(16 ** 6):06x}_{i}", "type": rng.choice(TYPES),
            "subtype": rng.choice((None, "vehicle_ramming", "shooting")), "modality": rng.choice(("asserted", "future")),
            "date": {"start": start.isoformat(), "end": (start + timedelta(days=rng.choice((0, 0, 3)))).isoformat(),
                     "precision": "day"} if start else None,
            "location": {"name": f"Place {country}", "country": country, "lat": lat, "lon": lon,
                         "precision": "city"} if country else None,
            "actors": [{"role": "perpetrator", "name": rng.choice(("Islamic State", "ETA", "onbekende dader")), "id": None,
                        "kind": None, "attribution": None, "text": None}],
            "fatalities": {"min": fatalities, "max": None} if fatalities is not None else None,
            "evidence": [{"doc_id": f"doc_{i % 9}", "start": 0, "end": 5, "quote": rng.choice(
                ("police said", "de politie meldde", "witnesses 100% sure", "under_score"))}],
            "sources": [{"doc_id": f"doc_{i % 9}", "title": f"Report {i % 9}"}],
            "acled_event_type": rng.choice(ACLED),
        }))
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store.open(tmp_path_factory.mktemp("index") / "index.duckdb") as store:
        store._insert("events", [event_columns(e) for e in _events(400)])
        yield store


@pytest.fixture(scope="module")
def index(store):
    return EventIndex(store.index_columns())


QUERIES = [EventQuery(), EventQuery(type="attack"), EventQuery(type=("attack", "claim")), EventQuery(type="nothing"),
           EventQuery(country="nl"), EventQuery(country=("DE", "GB"), type="arrest"), EventQuery(subtype="shooting"),
           EventQuery(modality="future"), EventQuery(since=date(2016, 1, 20)), EventQuery(until=date(2016, 1, 20)),
           EventQuery(since=date(2016, 1, 10), until=date(2016, 1, 12)), EventQuery(bbox=(4.0, 50.0, 5.0, 53.0)),
           EventQuery(bbox=(-180, -90, 180, 90)), EventQuery(acled="Battles"),
           EventQuery(acled=("Protests", "Explosions/Remote violence"), country="BE"),
           EventQuery(actor="islamic"), EventQuery(text="100%"), EventQuery(text="under_score", type="attack"),
           EventQuery(text=("politie", "police"), since=date(2016, 2, 1)), EventQuery(id_prefix="evt_0"),
           EventQuery(id_prefix="evt_", bbox=(0, 50, 20, 60), actor="ETA"), EventQuery(text=("sure.*", "(p")),
           EventQuery(actor="[eta]|x"), EventQuery(text="MELDDE"), EventQuery(text="% s")]


@pytest.mark.parametrize("query", QUERIES)
def test_counts_pages_and_stats_are_the_stores(store, index, query):
    mask = index.mask(query, store.event_ids)
    assert int(mask.sum()) == store.count_events(query)
    for order, (offset, limit) in product(("date", "fatalities", "id"), ((0, 1000), (0, 7), (13, 20), (390, 50))):
        paged = EventQuery(**{**{f: getattr(query, f) for f in query.__slots__}, "order": order, "offset": offset,
                              "limit": limit})
        rows = index.page(mask, order, offset, limit)
        assert [index.ids[r] for r in rows] == [e.id for e in store.events(paged)], (order, offset, limit)
        assert store.records_at(index.located(rows)) == store.events_json(paged)
    expected = store.stats(query)
    found = index.stats(mask)
    assert found["total"] == expected["total"]
    assert found["by_type"] == expected["by_type"] and found["by_country"] == expected["by_country"]
    assert list(found["by_type"].values()) == sorted(found["by_type"].values(), reverse=True)
    assert found["by_week"] == expected["by_week"]
    assert index.stats_json(mask) == msgspec.json.encode(found)     # what /api/stats sends


def test_early_pages_found_a_step_at_a_time_are_the_stores(store, index, monkeypatch):
    # an early page walks the order a step at a time (steps of 8 here, so that a page spans many of them)
    monkeypatch.setattr("kroniek.serve.eventindex._PAGE_STEP", 8)
    for query in QUERIES:
        mask = index.mask(query, store.event_ids)
        for order, (offset, limit) in product(("date", "fatalities", "id"), ((0, 1), (0, 7), (5, 4), (13, 20))):
            paged = EventQuery(**{**{f: getattr(query, f) for f in query.__slots__}, "order": order,
                                  "offset": offset, "limit": limit})
            expected = [e.id for e in store.events(paged)]
            assert [index.ids[r] for r in index.page(mask, order, offset, limit)] == expected, (query, order, offset)
            assert [index.ids[r] for r in index.page(mask, order, offset, limit, int(mask.sum()))] == expected


def test_substring_masks_are_remembered_within_their_bound(store, monkeypatch):
    index = EventIndex(store.index_columns())
    monkeypatch.setattr("kroniek.serve.eventindex.SUBSTRING_MASKS_BYTES", 2 * index.size)   # two masks at most
    words = [EventQuery(text="police"), EventQuery(text="POLITIE"), EventQuery(actor="eta"),
             EventQuery(text=("police", "sure"))]
    counts = {q: store.count_events(q) for q in words}
    for _ in range(3):
        for query in words:
            assert int(index.mask(query).sum()) == counts[query]
            assert len(index._substring_masks) <= 2
    assert counts[EventQuery(text="police")] < counts[EventQuery(text=("police", "sure"))] < len(index.ids)
    # the mask asked for is remembered (the same array again), and a mask handed out cannot be changed in place
    first = index._words_mask("text", ("police",))
    assert index._words_mask("text", ("police",)) is first and not first.flags.writeable
    # a query's own mask is a fresh array: narrowing it leaves the remembered one as it was
    mask = index.mask(EventQuery(text="police"))
    mask[:] = False
    assert int(index.mask(EventQuery(text="police")).sum()) == counts[EventQuery(text="police")]


def test_records_and_features_held_in_memory_are_the_stores(store):
    """The index's records are the stored ones, byte for byte, and its GeoJSON features are what `kroniek export
    --format geojson` writes for the same query (400 events: 50 compressed blocks, the last one full)."""
    held = EventIndex(store.index_columns(), (), store.records_at)
    assert held.stored is not None
    for query in QUERIES[:8] + [EventQuery(id_prefix="evt_0")]:
        mask = held.mask(query, store.event_ids)
        for order, (offset, limit) in product(("date", "fatalities", "id"), ((0, 1000), (13, 20))):
            paged = EventQuery(**{**{f: getattr(query, f) for f in query.__slots__}, "order": order,
                                  "offset": offset, "limit": limit})
            rows = held.page(mask, order, offset, limit)
            assert [bytes(r).decode() for r in held.records(rows)] == store.events_json(paged)
            assert bytes(held.joined_records(rows)).decode() == ",".join(store.events_json(paged))
            geojson = held.joined_features(rows, b'{"type":"FeatureCollection","features":[', b"]}\n")
            assert geojson == b"".join(export_chunks(store, paged, "geojson")), (query, order, offset)


def test_an_index_from_plain_lists_is_the_same(store, index):
    """PostgreSQL's store gives the columns as lists (DuckDB's as Arrow): the same index either way."""
    lists = {name: column.to_pylist() for name, column in store.index_columns().items()}
    lists["subtype"] = [None] * len(lists["subtype"])      # a column of NULLs only
    del lists["actor_names"], lists["search_text"]         # without them the substring filters ask the store
    plain = EventIndex(lists)
    assert plain.needs_database(EventQuery(text="police")) and not index.needs_database(EventQuery(text="police"))
    for query in QUERIES:
        mask = plain.mask(query, store.event_ids)
        expected = index.mask(query, store.event_ids)
        if query.subtype:
            assert not mask.any()
            continue
        assert (mask == expected).all()
        for order in ("date", "fatalities", "id"):
            assert (plain.page(mask, order, 0, 1000) == index.page(expected, order, 0, 1000)).all()
        assert plain.stats(mask) == index.stats(expected)
        rows = plain.page(mask, "date", 0, 1000)
        assert plain.joined_points(rows) == index.joined_points(rows)


def test_the_seeded_database_has_what_the_comparison_needs(store):
    """Ties, NULLs and empty answers, so that the comparison above can fail."""
    assert store.count_events(EventQuery(type="nothing")) == 0
    rows = store.cursor().execute("SELECT count(*) - count(date_start), count(*) - count(lat), "
                                  "count(*) - count(fatalities_min), count(*) - count(DISTINCT date_start) "
                                  "FROM events").fetchone()
    assert all(n > 10 for n in rows), rows


def test_migration_5_gives_stored_events_their_map_point(tmp_path):
    path = tmp_path / "v4.duckdb"
    events = _events(30, seed=3)
    with duckdb.connect(str(path)) as db:
        for version in range(1, 5):
            for statement in MIGRATIONS[version]:
                db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('schema_version', '4')")
        for e in events:
            db.execute("INSERT INTO events (event_id, type, record) VALUES (?, ?, ?)",
                       [e.id, e.type, encode_event(e).decode()])
    with Store.open(path) as store:
        assert store.schema_version() == 6
        points = dict(store.cursor().execute("SELECT event_id, point FROM events").fetchall())
    assert {i: msgspec.json.decode(p) for i, p in points.items()} == \
        {e.id: msgspec.json.decode(msgspec.json.encode(map_point(e))) for e in events}


def test_the_apis_points_and_pages_are_the_events_own(store):
    async def ask():
        transport = httpx.ASGITransport(app=create_app(store=store))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            points = (await client.get("/api/events?format=points&limit=10000&country=NL")).json()
            page = (await client.get("/api/events?limit=5&offset=3&order=fatalities&type=attack")).json()
            return points, page
    points, page = __import__("asyncio").run(ask())
    expected = store.events(EventQuery(country="NL", limit=10000))
    assert points["total"] == len(expected) > 20
    assert points["points"] == [msgspec.json.decode(msgspec.json.encode(map_point(e))) for e in expected]
    wanted = store.events_json(EventQuery(type="attack", order="fatalities", offset=3, limit=5))
    assert [decode_event(msgspec.json.encode(e)) for e in page["events"]] == [decode_event(r) for r in wanted]


def test_big_answers_sent_in_pieces_are_the_whole_answers(store, monkeypatch):
    """A page of more than _PIECE_ROWS rows goes out in pieces (serve/api.py _joined): the same bytes as in one
    piece, and a Content-Length that is their length (here pieces of 7 rows: 400 events in 58 pieces)."""
    import asyncio

    from kroniek.serve import api

    paths = ["/api/events?limit=10000&order=id", "/api/events?format=points&limit=10000&type=attack",
             "/api/events?format=geojson&limit=10000&order=fatalities", "/api/events?limit=13&offset=390"]

    async def ask(encoding: str = "identity") -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=create_app(store=store))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1",
                                     headers={"Accept-Encoding": encoding}) as client:
            return [await client.get(p) for p in paths]

    whole = asyncio.run(ask())
    monkeypatch.setattr(api, "_PIECE_ROWS", 7)
    pieces, gzipped = asyncio.run(ask()), asyncio.run(ask("gzip"))
    for path, one, many, compressed in zip(paths, whole, pieces, gzipped):
        assert many.status_code == 200 and many.content == one.content, path
        assert int(many.headers["content-length"]) == len(many.content), path
        # compressed piece by piece (chunked, without a Content-Length): the same bytes once inflated
        assert compressed.headers["content-encoding"] == "gzip" and compressed.content == one.content, path
    assert len(pieces[0].json()["events"]) == 400
    expected = b"".join(export_chunks(store, EventQuery(order="fatalities", limit=10000), "geojson"))
    assert pieces[2].content == expected
