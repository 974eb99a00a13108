"""The HTTP API on a real Store filled with hand-built Dutch and English articles and events.

Covers filters, pagination, the three formats, an event with its evidence and article text, documents,
stats, POST /api/ingest's gate, and the one JSON error shape.
"""
from __future__ import annotations

import csv
import io
import json
import re
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")   # starlette's own TestClient notice
from fastapi.testclient import TestClient  # noqa: E402

from kroniek.records import Article  # noqa: E402
from kroniek.serve.app import STATIC_DIR, create_app  # noqa: E402
from kroniek.serve.errors import ERROR_CODES  # noqa: E402
from kroniek.eventjson import event_from_dict  # noqa: E402
from kroniek.serve.ingest import raw_documents_from_payload  # noqa: E402
from kroniek.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# The export's columns, written out: a column dropped or renamed is a change users must hear about.
EXPORT_COLUMNS = (
    "id", "type", "subtype", "modality", "date_start", "date_end", "date_precision", "date_text", "location_name",
    "country", "admin1", "lat", "lon", "geonames_id", "location_precision", "location_text", "perpetrators",
    "opponents", "victims", "target_actors", "claimants", "instigators", "addressees", "weapons", "targets",
    "fatalities_min", "fatalities_max", "injuries_min", "injuries_max", "acled_event_type", "acled_sub_event_type",
    "gtd_attack_type", "gtd_weapon_types", "outcome", "related", "n_sources", "source_urls", "source_titles",
    "first_published", "evidence", "confidence",
)

# -- hand-built articles and events --------------------------------------------------------------------------------
BERLIN = Article(
    doc_id="doc_berlin", origin="test:berlin", language="nl", published=date(2016, 12, 21),
    title="Aanslag op kerstmarkt in Berlijn", url="https://nieuws.example/berlijn", outlet="Testkrant",
    text=("Eergisteren reed een vrachtauto in op een kerstmarkt in Berlijn. Daarbij kwamen minstens twaalf mensen "
          "om het leven.\n\nTerreurgroep Islamitische Staat heeft de aanslag opgeëist."))
MANCHESTER = Article(
    doc_id="doc_manchester", origin="test:manchester", language="en", published=date(2017, 5, 23),
    title="Suicide bomber kills 22 at Manchester concert", url="https://news.example/manchester", outlet="Test Times",
    text=("A suicide bomber killed 22 people at a concert in Manchester on Monday night. "
          "More than 100 people were injured, police said."))
AMSTERDAM = Article(
    doc_id="doc_amsterdam", origin="test:amsterdam", language="nl", published=date(2017, 1, 11),
    title="Betoging op de Dam", url=None, outlet="Testkrant",
    text="Duizenden mensen demonstreerden gisteren vreedzaam op de Dam in Amsterdam tegen geweld.")
BRUSSELS = Article(
    doc_id="doc_brussels", origin="test:brussels", language="en", published=date(2016, 3, 19),
    title="Suspect arrested in Brussels", url="javascript:alert(1)", outlet="Test Times",
    text="Police arrested a suspect in Brussels on Friday after a week-long manhunt.")
THREAT = Article(
    doc_id="doc_threat", origin="test:threat", language="nl", published=date(2017, 2, 2),
    title="Dreigbrief aan gemeente", url=None, outlet="Testkrant",
    text="Een onbekende dreigt in een brief met een aanslag op het gemeentehuis.")


def _span(article: Article, words: str, field: str | None, within: str | None = None) -> dict[str, Any]:
    offset = article.text.index(within) if within else 0
    start = article.text.index(words, offset)
    return {"doc_id": article.doc_id, "start": start, "end": start + len(words), "quote": words, "field": field}


def _record(article: Article, event_id: str, event_type: str, sentence: str, *, subtype: str | None = None,
            modality: str = "asserted", day: str | None = None, date_text: str | None = None,
            place: tuple[str, str, float | None, float | None] | None = None, place_text: str | None = None,
            fatalities: int | None = None, fatalities_text: str | None = None,
            actors: tuple[dict[str, Any], ...] = (), related: tuple[dict[str, str], ...] = ()) -> dict[str, Any]:
    evidence = [_span(article, sentence, None)]
    for words, field in ((date_text, "date"), (place_text, "location"), (fatalities_text, "fatalities")):
        if words:
            evidence.append(_span(article, words, field, within=sentence))
    for actor in actors:
        evidence.append(_span(article, actor["text"], "actors"))
    name, country, lat, lon = place if place else (None, None, None, None)
    return {
        "id": event_id, "type": event_type, "subtype": subtype, "modality": modality,
        "date": {"start": day, "end": day, "precision": "day", "text": date_text, "resolved_from": "published"}
        if day else None,
        "location": {"name": name, "country": country, "admin1": None, "lat": lat, "lon": lon, "geonames_id": None,
                     "precision": "city", "text": place_text} if place else None,
        "actors": list(actors), "weapons": [], "targets": [],
        "fatalities": {"min": fatalities, "max": None, "text": fatalities_text} if fatalities is not None else None,
        "injuries": None, "related": list(related), "evidence": evidence,
        "sources": [{"doc_id": article.doc_id, "url": article.url, "title": article.title, "outlet": article.outlet,
                     "published": article.published.isoformat() if article.published else None}],
        "confidence": 0.8,
    }


IS = {"role": "claimant", "name": "Islamic State", "id": "islamic-state", "kind": "non_state_armed_group",
      "attribution": "claimed", "text": "Islamitische Staat"}

RECORDS: list[tuple[Article, list[dict[str, Any]]]] = [
    (BERLIN, [
        _record(BERLIN, "evt_berlin", "attack", "Eergisteren reed een vrachtauto in op een kerstmarkt in Berlijn.",
                subtype="vehicle_ramming", day="2016-12-19", date_text="Eergisteren",
                place=("Berlin", "DE", 52.52, 13.41), place_text="Berlijn", fatalities=12,
                fatalities_text="minstens twaalf mensen",
                related=({"relation": "claimed_by", "event_id": "evt_berlin_claim"},)),
        _record(BERLIN, "evt_berlin_claim", "claim", "Terreurgroep Islamitische Staat heeft de aanslag opgeëist.",
                actors=(IS,), related=({"relation": "claims", "event_id": "evt_berlin"},)),
    ]),
    (MANCHESTER, [
        _record(MANCHESTER, "evt_manchester", "attack",
                "A suicide bomber killed 22 people at a concert in Manchester on Monday night.",
                subtype="suicide_bombing", day="2017-05-22", date_text="Monday night",
                place=("Manchester", "GB", 53.48, -2.24), place_text="Manchester", fatalities=22,
                fatalities_text="22 people"),
    ]),
    (AMSTERDAM, [
        _record(AMSTERDAM, "evt_amsterdam", "protest", AMSTERDAM.text, subtype="peaceful", day="2017-01-10",
                date_text="gisteren", place=("Amsterdam", "NL", 52.37, 4.89), place_text="Amsterdam"),
    ]),
    (BRUSSELS, [
        _record(BRUSSELS, "evt_brussels", "arrest", BRUSSELS.text, subtype="arrest", day="2016-03-18",
                date_text="Friday", place=("Brussels", "BE", 50.85, 4.35), place_text="Brussels"),
    ]),
    (THREAT, [
        # a threat with a country but no coordinates: on no map, in every list
        _record(THREAT, "evt_threat", "threat", THREAT.text, modality="future",
                place=("Netherlands", "NL", None, None)),
    ]),
]
ALL_IDS = {r["id"] for _, records in RECORDS for r in records}


def fill(store: Store) -> None:
    """Add the hand-built documents and events to a store."""
    assert store.add_documents([(a, [event_from_dict(r) for r in records]) for a, records in RECORDS]) == []


@pytest.fixture
def store() -> Store:
    with Store.open(":memory:") as opened:
        fill(opened)
        yield opened


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(store=store, ingest_token="user-secret", local_token="local-secret"))


def ids(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {e["id"] for e in response.json()["events"]}


# -- /api/events: filters ------------------------------------------------------------------------------------------
def test_events_without_filters_lists_every_event_newest_first(client):
    body = client.get("/api/events").json()
    assert body["total"] == len(ALL_IDS) == len(body["events"])
    assert {e["id"] for e in body["events"]} == ALL_IDS
    dated = [e["date"]["start"] for e in body["events"] if e["date"]]
    assert dated == sorted(dated, reverse=True)
    berlin = next(e for e in body["events"] if e["id"] == "evt_berlin")
    for key in ("type", "subtype", "modality", "date", "location", "actors", "fatalities", "related", "evidence",
                "sources", "confidence"):
        assert key in berlin


@pytest.mark.parametrize("params, expected", [
    ({"type": "attack"}, {"evt_berlin", "evt_manchester"}),
    ({"subtype": "vehicle_ramming"}, {"evt_berlin"}),
    ({"modality": "future"}, {"evt_threat"}),
    ({"country": "nl"}, {"evt_amsterdam", "evt_threat"}),          # any case
    ({"actor": "islamic"}, {"evt_berlin_claim"}),                   # part of a name, any case
    ({"actor": "islamic-state"}, {"evt_berlin_claim"}),             # the id
    ({"since": "2017-01-01"}, {"evt_amsterdam", "evt_manchester"}),
    ({"until": "2016-12-31"}, {"evt_berlin", "evt_brussels"}),
    ({"since": "2016-12-01", "until": "2017-01-31"}, {"evt_berlin", "evt_amsterdam"}),
    ({"text": "vrachtauto"}, {"evt_berlin"}),                       # Dutch words in the evidence
    ({"text": "kerstmarkt"}, {"evt_berlin", "evt_berlin_claim"}),   # ... or in a source's title
    ({"text": "CONCERT"}, {"evt_manchester"}),                      # English, any case
    ({"text": "Dreigbrief"}, {"evt_threat"}),                       # a source title
    ({"bbox": "3,50,15,55"}, {"evt_berlin", "evt_amsterdam", "evt_brussels"}),   # Benelux to Berlin
    ({"bbox": "-5,50,0,55"}, {"evt_manchester"}),
    ({"type": "attack", "country": "DE", "since": "2016-12-19", "until": "2016-12-19"}, {"evt_berlin"}),
    ({"type": "riot"}, set()),
    ({"type": "", "country": ""}, ALL_IDS),                         # empty values are no filter
    # comma-separated values: any of them
    ({"type": "attack,arrest"}, {"evt_berlin", "evt_manchester", "evt_brussels"}),
    ({"type": "attack, claim"}, {"evt_berlin", "evt_manchester", "evt_berlin_claim"}),
    ({"country": "DE,GB"}, {"evt_berlin", "evt_manchester"}),
    ({"subtype": "vehicle_ramming,suicide_bombing"}, {"evt_berlin", "evt_manchester"}),
    ({"modality": "future,negated"}, {"evt_threat"}),
    # the dashboard's words and the labels, English and Dutch
    ({"modality": "planned or expected"}, {"evt_threat"}),
    ({"modality": "gepland of verwacht"}, {"evt_threat"}),
    ({"type": "aanslag"}, {"evt_berlin", "evt_manchester"}),
    ({"type": "Arrest or trial"}, {"evt_brussels"}),
    # countries by name, in English and in Dutch, and by alpha-3 code
    ({"country": "Germany"}, {"evt_berlin"}),
    ({"country": "Duitsland"}, {"evt_berlin"}),
    ({"country": "Nederland,Verenigd Koninkrijk"}, {"evt_amsterdam", "evt_threat", "evt_manchester"}),
    ({"country": "bel"}, {"evt_brussels"}),
    ({"text": "vrachtauto,concert"}, {"evt_berlin", "evt_manchester"}),
    ({"actor": "nobody, islamic"}, {"evt_berlin_claim"}),
    ({"id_prefix": "evt_berlin"}, {"evt_berlin", "evt_berlin_claim"}),
    ({"id_prefix": "evt_berlin_"}, {"evt_berlin_claim"}),
])
def test_events_filters(client, params, expected):
    response = client.get("/api/events", params=params)
    assert ids(response) == expected
    assert response.json()["total"] == len(expected)


# -- pagination and order ------------------------------------------------------------------------------------------
def test_pages_cover_every_event_once_with_links(client):
    seen: list[str] = []
    url = "/api/events?limit=2"
    pages = 0
    while url:
        response = client.get(url)
        body = response.json()
        assert body["total"] == len(ALL_IDS) and body["limit"] == 2
        assert len(body["events"]) <= 2
        seen += [e["id"] for e in body["events"]]
        if body["links"]["next"]:
            assert 'rel="next"' in response.headers["link"]
        url = body["links"]["next"]
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(ALL_IDS)


def test_prev_link_and_offset_past_the_end(client):
    body = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert body["links"]["prev"].endswith("offset=0") and "limit=2" in body["links"]["prev"]
    past = client.get("/api/events", params={"offset": 50}).json()
    assert past["events"] == [] and past["total"] == len(ALL_IDS) and past["links"]["next"] is None


def test_order_by_fatalities(client):
    events = client.get("/api/events", params={"order": "fatalities", "limit": 2}).json()["events"]
    assert [e["id"] for e in events] == ["evt_manchester", "evt_berlin"]


# -- formats -------------------------------------------------------------------------------------------------------
def test_csv_has_a_header_and_one_row_per_event(client):
    response = client.get("/api/events", params={"format": "csv", "text": "kerstmarkt"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["x-total-count"] == "2"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0].keys()) == EXPORT_COLUMNS
    attack = next(r for r in rows if r["id"] == "evt_berlin")
    assert attack["fatalities_min"] == "12" and attack["country"] == "DE" and attack["lat"] == "52.52"
    assert attack["date_start"] == "2016-12-19" and attack["fatalities_max"] == ""   # unknown is empty, not 0
    claim = next(r for r in rows if r["id"] == "evt_berlin_claim")
    assert claim["claimants"] == "Islamic State" and claim["perpetrators"] == ""


def test_csv_pages_like_json(client):
    response = client.get("/api/events", params={"format": "csv", "limit": 2})
    assert len(list(csv.DictReader(io.StringIO(response.text)))) == 2
    assert response.headers["x-total-count"] == str(len(ALL_IDS)) and 'rel="next"' in response.headers["link"]


def test_geojson_points_in_lon_lat_order_and_null_geometry_without_coordinates(client):
    response = client.get("/api/events", params={"format": "geojson"})
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection" and response.headers["x-total-count"] == str(len(ALL_IDS))
    features = {f["id"]: f for f in body["features"]}
    assert len(features) == len(ALL_IDS)     # events without a place keep their feature
    assert features["evt_manchester"]["geometry"] == {"type": "Point", "coordinates": [-2.24, 53.48]}
    assert features["evt_manchester"]["properties"]["fatalities_min"] == 22
    assert features["evt_threat"]["geometry"] is None
    assert features["evt_berlin_claim"]["geometry"] is None


def test_points_are_the_maps_summaries_of_every_event_placed_or_not(client):
    response = client.get("/api/events", params={"format": "points", "limit": 3, "order": "id"})
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert (body["total"], body["limit"], body["offset"]) == (len(ALL_IDS), 3, 0)
    assert response.headers["x-total-count"] == str(len(ALL_IDS))
    assert [p["id"] for p in body["points"]] == ["evt_amsterdam", "evt_berlin", "evt_berlin_claim"]
    assert body["links"]["next"].endswith("offset=3") and body["links"]["prev"] is None
    points = {p["id"]: p for p in client.get("/api/events", params={"format": "points"}).json()["points"]}
    assert set(points) == ALL_IDS
    assert points["evt_manchester"] == {
        "id": "evt_manchester", "type": "attack", "subtype": "suicide_bombing", "modality": "asserted",
        "date_start": "2017-05-22", "date_end": "2017-05-22", "location_name": "Manchester", "country": "GB",
        "fatalities_min": 22, "fatalities_max": None, "injuries_min": None, "injuries_max": None, "actors": [],
        "title": "Suicide bomber kills 22 at Manchester concert", "n_sources": 1, "confidence": 0.8,
        "lon": -2.24, "lat": 53.48}
    assert (points["evt_threat"]["lon"], points["evt_threat"]["lat"], points["evt_threat"]["country"]) == \
        (None, None, "NL")
    assert points["evt_berlin_claim"]["actors"] == ["Islamic State"]
    assert set(p["id"] for p in client.get("/api/events", params={"format": "points", "actor": "islamic"})
               .json()["points"]) == {"evt_berlin_claim"}


# -- one event, documents, stats -----------------------------------------------------------------------------------
def test_event_comes_with_its_evidence_article_text_and_related_events(client):
    body = client.get("/api/events/evt_berlin").json()
    assert body["event"]["id"] == "evt_berlin"
    [document] = body["documents"]
    assert document["doc_id"] == "doc_berlin" and document["language"] == "nl"
    for span in body["event"]["evidence"]:
        assert document["text"][span["start"]:span["end"]] == span["quote"]
    fields = {span["field"] for span in body["event"]["evidence"]}
    assert {None, "date", "location", "fatalities"} <= fields
    related = {(r["relation"], r["event_id"], r["direction"]) for r in body["related"]}
    assert ("claimed_by", "evt_berlin_claim", "out") in related
    assert next(r for r in body["related"] if r["event_id"] == "evt_berlin_claim")["summary"]["type"] == "claim"
    assert [s["id"] for s in body["same_documents"]] == ["evt_berlin_claim"]


def test_claim_links_to_the_event_it_claims(client):
    related = client.get("/api/events/evt_berlin_claim").json()["related"]
    assert [(r["relation"], r["event_id"]) for r in related] == [("claims", "evt_berlin")]
    assert related[0]["summary"]["location_name"] == "Berlin"


def test_document(client):
    body = client.get("/api/documents/doc_berlin").json()
    assert body["text"] == BERLIN.text and body["title"] == BERLIN.title and body["published"] == "2016-12-21"
    assert set(body["event_ids"]) == {"evt_berlin", "evt_berlin_claim"}


def test_stats_counts_by_type_country_and_week(client):
    body = client.get("/api/stats").json()
    assert body["total"] == len(ALL_IDS)
    assert body["by_type"] == {"attack": 2, "claim": 1, "protest": 1, "arrest": 1, "threat": 1}
    assert body["by_country"] == {"NL": 2, "DE": 1, "GB": 1, "BE": 1}
    weeks = {(w["week"], w["week_start"], w["type"]): w["count"] for w in body["by_week"]}
    assert weeks[("2016-W51", "2016-12-19", "attack")] == 1
    assert weeks[("2017-W21", "2017-05-22", "attack")] == 1
    filtered = client.get("/api/stats", params={"country": "NL"}).json()
    assert filtered["total"] == 2 and filtered["by_type"] == {"protest": 1, "threat": 1}


def test_health(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["ingest_token_configured"] is True and body["read_only"] is False


# -- writes show up at once (the response cache is dropped on every write) -----------------------------------------
def test_a_write_through_the_server_invalidates_cached_answers(client, store):
    assert client.get("/api/events", params={"country": "FR"}).json()["total"] == 0
    paris = Article(doc_id="doc_paris", origin="test:paris", language="en", published=date(2015, 11, 14),
                    title="Attacks in Paris", text="Gunmen attacked a concert hall in Paris on Friday night.")
    record = _record(paris, "evt_paris", "attack", paris.text, day="2015-11-13", place=("Paris", "FR", 48.86, 2.35))
    database = client.app.state.database
    database.write(lambda writable: writable.add_documents([(paris, [event_from_dict(record)])]))
    assert ids(client.get("/api/events", params={"country": "FR"})) == {"evt_paris"}
    assert client.get("/api/stats").json()["by_country"]["FR"] == 1


# -- POST /api/ingest: the gate (the pipeline itself: test_serve_ingest.py) ----------------------------------------
def test_ingest_payload_becomes_raw_documents_and_bad_articles_are_rejected():
    payload = {"articles": [
        {"text": "Een tekst.", "language": "nl", "published": "2020-01-02", "title": "T", "ignored": 1},
        {"html": "<p>An article.</p>", "url": "https://x.example/a"},
        {"content_base64": "SGVsbG8=", "media_type": "text", "origin": "a.txt", "metadata": {"language": "en"}},
        {"title": "no text"},
        "not an object",
    ]}
    documents, rejects = raw_documents_from_payload(payload)
    assert [(d.media_type, d.content) for d in documents] == [
        ("text", "Een tekst.".encode()), ("html", b"<p>An article.</p>"), ("text", b"Hello")]
    assert dict(documents[0].metadata) == {"language": "nl", "published": "2020-01-02", "title": "T"}
    assert documents[2].origin == "a.txt" and documents[2].metadata == {"language": "en"}
    assert [(r.origin, r.code) for r in rejects] == [("api:4", "K107"), ("api:5", "K107")]


def test_ingest_is_refused_without_the_token_and_with_a_wrong_one(client):
    article = {"articles": [{"text": "x"}]}
    assert client.post("/api/ingest", json=article).status_code == 401
    assert client.post("/api/ingest", json=article, headers={"Authorization": "Bearer nope"}).status_code == 403
    assert client.post("/api/ingest", json=article, headers={"Authorization": "Basic user-secret"}).status_code == 401
    assert client.get("/api/events").json()["total"] == len(ALL_IDS)


@pytest.mark.parametrize("token", ["user-secret", "local-secret"])
def test_either_token_opens_the_gate(client, token):
    # an empty list reaches the pipeline step and stores nothing: the gate is open
    response = client.post("/api/ingest", json={"articles": []}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.json()["documents"] == 0 and response.json()["rejects"] == []


def test_without_a_user_token_only_the_local_token_opens_the_gate(store):
    client = TestClient(create_app(store=store, local_token="local-secret"))
    assert client.get("/api/health").json()["ingest_token_configured"] is False
    assert client.post("/api/ingest", json={"articles": []},
                       headers={"Authorization": "Bearer user-secret"}).status_code == 403
    assert client.post("/api/ingest", json={"articles": []},
                       headers={"Authorization": "Bearer local-secret"}).status_code == 200


def test_read_only_server_refuses_ingest(tmp_path):
    path = tmp_path / "ro.duckdb"
    with Store.open(path) as writable:
        fill(writable)
    app = create_app(path, read_only=True, ingest_token="user-secret")
    with TestClient(app) as client:
        response = client.post("/api/ingest", json={"articles": []}, headers={"Authorization": "Bearer user-secret"})
        assert response.status_code == 403 and response.json()["error"]["code"] == "ingest_disabled"
        assert client.get("/api/events").json()["total"] == len(ALL_IDS)


# -- one error shape -----------------------------------------------------------------------------------------------
ERRORS = [
    ("GET", "/api/events?limit=0", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?limit=100000", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?offset=-1", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?limit=ten", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?since=2016-13-01", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?since=2017-01-01&until=2016-01-01", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?bbox=1,2,3", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?bbox=10,0,5,1", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?bbox=0,-100,1,1", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?format=xml", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?order=random", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?country=Narnia", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?type=bogus", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?type=attack,bogus", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?modality=happend", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events?subtype=air_strike&type=attack", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/export?type=attacks", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/stats?country=XX", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/stats?until=yesterday", None, {}, 400, "invalid_parameter"),
    ("GET", "/api/events/evt_nope", None, {}, 404, "not_found"),
    ("GET", "/api/documents/doc_nope", None, {}, 404, "not_found"),
    ("GET", "/api/nothing-here", None, {}, 404, "not_found"),
    ("GET", "/static/nothing.js", None, {}, 404, "not_found"),
    ("DELETE", "/api/events", None, {}, 405, "method_not_allowed"),
    ("GET", "/api/ingest", None, {}, 405, "method_not_allowed"),
    ("POST", "/api/ingest", b'{"articles": []}', {}, 401, "unauthorized"),
    ("POST", "/api/ingest", b'{"articles": []}', {"Authorization": "Bearer wrong"}, 403, "forbidden"),
    ("POST", "/api/ingest", b"{not json", {"Authorization": "Bearer user-secret"}, 400, "bad_request"),
    ("POST", "/api/ingest", b'{"docs": []}', {"Authorization": "Bearer user-secret"}, 400, "bad_request"),
    ("POST", "/api/ingest", b'[1, 2]', {"Authorization": "Bearer user-secret"}, 400, "bad_request"),
    ("POST", "/api/ingest", b"{}", {"Authorization": "Bearer user-secret", "Content-Length": str(1 << 30)},
     413, "payload_too_large"),
]


def assert_error_shape(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    assert code in ERROR_CODES


@pytest.mark.parametrize("method, url, body, headers, status, code", ERRORS)
def test_every_error_has_one_shape(client, method, url, body, headers, status, code):
    response = client.request(method, url, content=body, headers=headers)
    assert_error_shape(response, status, code)


@pytest.mark.parametrize("url, parameter, words", [
    ("/api/events?type=attacks", "type", ["did you mean attack", "armed_clash", "remote_violence", "riot"]),
    ("/api/events?modality=happend", "modality", ["asserted (happened)", "negated (did not happen)", "generic"]),
    ("/api/stats?country=Narnia", "country", ["ISO 3166", "Germany", "Duitsland"]),
    ("/api/export?subtype=air_strike&type=attack", "subtype", ["remote_violence", "vehicle_ramming"]),
    ("/api/events?acled=Skirmish", "acled", ["Battles: Armed clash", "Suicide bomb", "Mob violence"]),
])
def test_an_unknown_filter_value_is_an_error_that_lists_the_valid_ones(client, url, parameter, words):
    response = client.get(url)
    assert_error_shape(response, 400, "invalid_parameter")
    error = response.json()["error"]
    assert error["details"][0]["parameter"] == parameter
    for word in words:
        assert word in error["message"], (word, error["message"])


def test_export_with_limit_and_offset_is_the_page_of_events_as_csv(client):
    page = client.get("/api/events?format=csv&order=id&limit=2&offset=1")
    exported = client.get("/api/export?format=csv&order=id&limit=2&offset=1")
    assert exported.status_code == 200 and exported.content == page.content
    assert len(exported.text.splitlines()) == 3


def test_validation_errors_name_the_parameter(client):
    details = client.get("/api/events?limit=0").json()["error"]["details"]
    assert details[0]["parameter"] == "limit" and details[0]["in"] == "query"


def test_internal_errors_have_the_shape_too(store, monkeypatch):
    client = TestClient(create_app(store=store), raise_server_exceptions=False)

    def broken(self, query):
        raise RuntimeError("boom")

    monkeypatch.setattr(Store, "events", broken)
    monkeypatch.setattr(Store, "events_json", broken)
    monkeypatch.setattr(Store, "iter_events", broken)
    monkeypatch.setattr(Store, "records_at", broken)     # a page's records, read through the server's index
    assert_error_shape(client.get("/api/events"), 500, "internal_error")
    assert_error_shape(client.get("/api/events?format=csv"), 500, "internal_error")


def test_error_codes_are_documented():
    doc = (REPO / "docs" / "SERVE.md").read_text(encoding="utf-8")
    for code in ERROR_CODES:
        assert f"`{code}`" in doc, f"docs/SERVE.md does not list the error code {code}"
    for path in ("/api/events", "/api/events/{id}", "/api/documents/{id}", "/api/stats", "/api/ingest",
                 "/api/health"):
        assert f"`{path}" in doc or f"{path}`" in doc, f"docs/SERVE.md does not describe {path}"


# -- the read endpoints' fast route (serve/fastroutes.py) answers as FastAPI does -----------------------------------
# Valid and invalid requests, written out: each must get the same status, headers and bytes from the fast route as
# from FastAPI's own route (create_app(fast_routes=False)).
FAST_ROUTE_REQUESTS = [
    "/api/events", "/api/events?limit=2", "/api/events?limit=2&offset=2", "/api/events?limit=2&limit=1",
    "/api/events?type=attack,claim&order=fatalities", "/api/events?country=Duitsland", "/api/events?country=NL,BE",
    "/api/events?since=2016-12-01&until=2017-01-31", "/api/events?text=kerstmarkt", "/api/events?actor=islamic",
    "/api/events?bbox=0,45,20,60&format=geojson", "/api/events?format=points", "/api/events?format=csv&limit=3",
    "/api/events?modality=future", "/api/events?acled=Battles", "/api/events?id_prefix=evt_b",
    "/api/events?subtype=vehicle_ramming&type=attack", "/api/events?unknown=1&_=x", "/api/events?type=",
    "/api/events?limit=0", "/api/events?limit=ten&offset=-1", "/api/events?order=random", "/api/events?since=",
    "/api/events?since=2017-01-01&until=2016-01-01&limit=0", "/api/events?type=bogus&limit=0",
    "/api/events?text=" + "x" * 401, "/api/events?format=xml&since=2016-13-01",
    "/api/events/evt_berlin", "/api/events/evt_nothing", "/api/events/" + "x" * 201,
    "/api/stats", "/api/stats?type=attack", "/api/stats?country=Narnia", "/api/stats?since=2017-01-01&until=2016-01-01",
]


@pytest.mark.parametrize("path", FAST_ROUTE_REQUESTS)
def test_the_fast_route_answers_every_request_as_fastapi_does(store, path):
    fast = TestClient(create_app(store=store, local_token="t", instance="i"))
    plain = TestClient(create_app(store=store, local_token="t", instance="i", fast_routes=False))
    for method in ("GET", "HEAD"):
        a, b = fast.request(method, path), plain.request(method, path)
        assert (a.status_code, a.content) == (b.status_code, b.content), (method, path)
        assert {k: v for k, v in a.headers.items() if k != "date"} == \
            {k: v for k, v in b.headers.items() if k != "date"}, (method, path)


def test_the_fast_route_takes_the_read_endpoints_and_leaves_the_rest_to_fastapi(store):
    from kroniek.serve.fastroutes import _FastRoute
    app = create_app(store=store)
    fast = sorted(r.path for r in app.router.routes if isinstance(r, _FastRoute))
    assert fast == ["/api/events", "/api/events/{event_id}", "/api/stats"]
    client = TestClient(app)
    # not a read endpoint: FastAPI's route answers (a body to validate)
    assert client.post("/api/ingest", content=b"{").status_code in (400, 401)
    assert client.get("/api/ontology").status_code == 200


# -- safety and the dashboard's files ------------------------------------------------------------------------------
def test_security_headers_and_host_check(store):
    client = TestClient(create_app(store=store, allowed_hosts=("127.0.0.1", "localhost")),
                        base_url="http://127.0.0.1:8000")
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    # DNS rebinding: another name pointed at 127.0.0.1 gets nothing
    assert_error_shape(client.get("/api/events", headers={"Host": "attacker.example"}), 400, "bad_request")
    assert client.get("/api/events", headers={"Host": "localhost:8000"}).status_code == 200


def test_openapi_page_and_schema_are_served_locally(client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/documents/{doc_id}", "/api/stats",
            "/api/ingest", "/api/health"} <= set(schema["paths"])
    names = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"type", "subtype", "modality", "country", "actor", "since", "until", "text", "bbox", "limit",
            "offset", "format"} <= names
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/static/js/apidocs.js" in page.text
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404   # CDN pages off


def test_the_dashboard_loads_nothing_from_elsewhere(client):
    for page in ("index.html", "api.html"):
        html = (STATIC_DIR / page).read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert url.startswith(("/", "#", "data:")) and not url.startswith("//"), f"{page} loads {url}"
        assert client.get("/" if page == "index.html" else "/api/docs").status_code == 200
    for script in (STATIC_DIR / "js").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"""fetch\(\s*["'`]https?:""", text), script.name
        assert not re.search(r"\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|createContextualFragment",
                             text), f"{script.name}: article text must go in as text"
    for vendored in ("d3-array.min.js", "d3-geo.min.js", "d3-zoom.min.js", "d3-brush.min.js",
                     "topojson-client.min.js", "countries-110m.json"):
        assert client.get(f"/static/vendor/{vendored}").status_code == 200


def test_labels_exist_in_english_and_dutch_alike():
    english = json.loads((STATIC_DIR / "i18n" / "en.json").read_text(encoding="utf-8"))
    dutch = json.loads((STATIC_DIR / "i18n" / "nl.json").read_text(encoding="utf-8"))
    groups = [k for k in english if not k.startswith("_")]
    assert groups == [k for k in dutch if not k.startswith("_")]
    for group in groups:
        assert set(english[group]) == set(dutch[group]), group
        assert all(isinstance(v, str) and v for v in dutch[group].values()), group
    assert english["ui"]["events"] == "Events" and dutch["ui"]["events"] == "Gebeurtenissen"
    placeholders = re.compile(r"\{\w+\}")
    for key in english["ui"]:
        assert set(placeholders.findall(english["ui"][key])) == set(placeholders.findall(dutch["ui"][key])), key


def test_event_pages_documents_held_by_the_index_are_the_stores(store, client):
    """The server's index holds every document (serve/eventindex.py): the same JSON as Store.document gives, with
    the events each reports, and an event page lists its sources' documents as the store has them."""
    from kroniek.serve.api import json_bytes
    from kroniek.serve.eventindex import EventIndex

    index = EventIndex(store.index_columns(), store.document_events(), store.records_at, store.all_documents())
    doc_ids = [r[0] for r in store.cursor().execute("SELECT doc_id FROM documents").fetchall()]
    assert len(doc_ids) == len(RECORDS) and set(index.documents) == set(doc_ids)
    for doc_id in doc_ids:
        assert index.document_json(doc_id) == json_bytes(store.document(doc_id))
    for event_id in sorted(ALL_IDS):
        page = client.get(f"/api/events/{event_id}").json()
        event = store.event(event_id)
        wanted = list(dict.fromkeys([s.doc_id for s in event.sources] + [e.doc_id for e in event.evidence]))
        assert page["documents"] == [store.document(d) for d in wanted if store.document(d)], event_id
        assert page["documents"] and page["documents"][0]["event_ids"]


def test_documents_over_the_budget_are_not_held_and_event_pages_read_them_from_the_store(store, client, monkeypatch):
    """A corpus whose documents take more than DOCUMENTS_HELD_BYTES (compressed) keeps none in the index, so the
    server's memory does not grow with the text; event pages then read their documents from the store, the same."""
    from kroniek.serve import eventindex
    from kroniek.serve.eventindex import EventIndex

    closed = []

    def documents():
        try:
            yield from store.all_documents()
        finally:
            closed.append(True)

    index = EventIndex(store.index_columns(), store.document_events(), store.records_at, documents(),
                       documents_budget=100)
    assert index.documents is None and closed == [True]       # the stream stopped early and was closed
    held = EventIndex(store.index_columns(), store.document_events(), store.records_at, store.all_documents())
    assert held.documents is not None and len(held.documents) == len(RECORDS)

    before = {e: client.get(f"/api/events/{e}").json() for e in sorted(ALL_IDS)}
    monkeypatch.setattr(eventindex, "DOCUMENTS_HELD_BYTES", 100)
    client.app.state.database.write(lambda writable: None)    # a new generation: the index is built again
    for event_id, page in before.items():
        after = client.get(f"/api/events/{event_id}").json()
        assert after["documents"] == page["documents"] and after["documents"], event_id
