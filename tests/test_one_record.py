"""One incident, one record, through the real pipeline and a real DuckDB store: ingestion order never changes events or
ids, the demo corpus gives each of its incidents once, reports of different incidents never merge, and an id that a
merge retired still finds its event."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kroniek.datafiles import data_path
from kroniek.eventjson import encode_event
from kroniek.ingest.sources import read_sources
from kroniek.pipeline import analyse_text, ingest_into
from kroniek.records import RawDocument
from kroniek.store import EventQuery, Store

DEMO = sorted(str(p) for p in data_path("demo").glob("*.txt"))
EXPECTED = json.loads((Path(__file__).parent / "data" / "demo_events.json").read_text(encoding="utf-8"))["events"]
ALL = EventQuery(limit=1_000_000, order="id")


def _snapshot(store: Store) -> dict[str, bytes]:
    return {e.id: encode_event(e) for e in store.iter_events(ALL)}


def _ingest(paths_or_documents, batch_size: int = 64) -> dict[str, bytes]:
    with Store.open(":memory:") as store:
        documents = read_sources(paths_or_documents) if isinstance(paths_or_documents[0], str) else paths_or_documents
        ingest_into(store, documents, batch_size=batch_size)
        return _snapshot(store)


@pytest.fixture(scope="module")
def demo() -> dict[str, dict]:
    return {i: json.loads(raw) for i, raw in _ingest(DEMO).items()}


def test_the_demo_gives_the_same_events_and_ids_in_any_order_and_batching():
    forwards = _ingest(DEMO)
    assert forwards == _ingest(DEMO[::-1])
    assert forwards == _ingest(DEMO[::-1], batch_size=1)      # each document merged into what is stored
    assert forwards == _ingest(DEMO[1::2] + DEMO[::2], batch_size=3)


def test_the_dutch_dev_articles_give_the_same_events_in_both_orders(shared_dir):
    lines = (shared_dir / "data" / "dutch_news_dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    documents = []
    for line in lines:
        a = json.loads(line)
        documents.append(RawDocument(a["id"], a["text"].encode("utf-8"), "text",
                                     {"language": "nl", "published": a.get("published"), "url": f"nl:{a['id']}"}))
    forwards = _ingest(documents)
    assert len(forwards) > 100
    assert forwards == _ingest(documents[::-1], batch_size=5)


def _stems(event: dict) -> set[str]:
    return {s["url"].removeprefix("demo:") for s in event["sources"]}


def _matches(expected: dict, event: dict) -> bool:
    if event["type"] != expected["type"] or event["modality"] != "asserted":
        return False
    if expected.get("subtype") and event["subtype"] != expected["subtype"]:
        return False
    day = (event["date"] or {}).get("start")
    place = event["location"] or {}
    return day == expected["day"] and place.get("country") == expected["country"] \
        and (expected["place"] is None or place.get("name") == expected["place"]) \
        and _stems(event) & set(expected["sources"])


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["label"] for e in EXPECTED])
def test_each_demo_incident_is_one_record_with_all_its_sources(demo, expected):
    found = [e for e in demo.values() if _matches(expected, e)]
    assert len(found) == 1, [e["id"] for e in found]
    assert _stems(found[0]) == set(expected["sources"])
    # no other asserted record of the same type, day and country (the incident told twice)
    twins = [e for e in demo.values() if e["id"] != found[0]["id"] and e["type"] == expected["type"]
             and e["modality"] == "asserted" and (e["date"] or {}).get("start") == expected["day"]
             and (e["location"] or {}).get("country") == expected["country"]]
    assert twins == []
    if "follows" in expected:
        earlier = next(e for e in EXPECTED if e["label"] == expected["follows"])
        (cause,) = [e for e in demo.values() if _matches(earlier, e)]
        assert {"relation": "follows", "event_id": cause["id"]} in found[0]["related"]
        assert {"relation": "followed_by", "event_id": found[0]["id"]} in cause["related"]


# Short reports of different incidents in Iraq in one week (other towns, other days, other tolls): none may merge.
INCIDENTS = [
    ("A car bomb exploded at a market in Baghdad on Monday, killing 12 people.", "2016-07-05"),
    ("A car bomb exploded at a checkpoint in Baghdad on Tuesday, killing 4 people.", "2016-07-05"),
    ("A suicide bomber blew himself up at a mosque in Kirkuk on Monday, killing 7 worshippers.", "2016-07-05"),
    ("Gunmen opened fire on a bus in Baqubah on Wednesday, killing 3 passengers.", "2016-07-07"),
    ("A roadside bomb killed two soldiers near Tikrit on Thursday.", "2016-07-08"),
    ("Militants stormed a police station in Samarra on Friday, killing 5 policemen.", "2016-07-09"),
    ("Bij een bomaanslag op een markt in Bagdad zijn zaterdag 20 mensen om het leven gekomen.", "2016-07-10"),
    ("Bij een aanslag in Mosoel zijn zaterdag drie agenten gedood.", "2016-07-10"),
]
# One incident, told by five outlets in two languages
ONE_INCIDENT = [
    ("A car bomb exploded at a crowded market in Baghdad on Sunday, killing at least 30 people.", "en", "2016-07-04"),
    ("At least 30 people were killed on Sunday when a car bomb went off at a market in Baghdad, police said.", "en",
     "2016-07-04"),
    ("Bij een autobom op een drukke markt in Bagdad zijn zondag zeker dertig doden gevallen.", "nl", "2016-07-04"),
    ("Een autobom heeft zondag op een markt in Bagdad minstens dertig mensen gedood.", "nl", "2016-07-04"),
    ("The car bombing at a market in Baghdad on Sunday killed 35 people, officials said on Monday.", "en",
     "2016-07-05"),
]


def _documents(rows) -> list[RawDocument]:
    return [RawDocument(f"r{i}", text.encode("utf-8"), "text", {"language": language, "published": published,
                                                                 "url": f"r:{i}"})
            for i, (text, language, published) in enumerate(rows)]


def test_reports_of_different_incidents_in_one_week_never_merge():
    rows = [(text, "nl" if " zijn " in text else "en", published) for text, published in INCIDENTS]
    for text, language, published in rows:     # each text on its own is one violent event
        assert len([e for e in analyse_text(text, language=language, published=__import__("datetime").date
                    .fromisoformat(published)) if e.type in ("attack", "remote_violence")]) == 1, text
    events = [json.loads(raw) for raw in _ingest(_documents(rows)).values()]
    violent = [e for e in events if e["type"] in ("attack", "remote_violence", "killing")]
    assert len(violent) == len(INCIDENTS)
    assert all(len(e["sources"]) == 1 for e in violent)


def test_reports_of_one_incident_in_two_languages_all_merge():
    events = [json.loads(raw) for raw in _ingest(_documents(ONE_INCIDENT)).values()]
    violent = [e for e in events if e["type"] in ("attack", "remote_violence", "killing")]
    assert len(violent) == 1, [(e["type"], e["date"], e["location"]) for e in violent]
    assert sorted(s["url"] for s in violent[0]["sources"]) == [f"r:{i}" for i in range(5)]
    assert violent[0]["fatalities"]["min"] == 35
    assert violent[0]["location"]["name"] == "Baghdad"


def test_an_id_a_merge_retired_still_finds_its_event(tmp_path):
    english = str(data_path("demo", "2016-12-23_berlin_suspect_killed_en.txt"))
    dutch = str(data_path("demo", "2016-12-21_berlijn_kerstmarkt_nl.txt"))
    with Store.open(tmp_path / "k.duckdb") as store:
        ingest_into(store, read_sources([english]))
        (before,) = [e.id for e in store.iter_events(ALL) if e.type == "attack" and e.location.name == "Berlin"]
        claims = [e for e in store.iter_events(ALL) if e.type == "claim"]
        assert [r.event_id for c in claims for r in c.related] == [before]
        ingest_into(store, read_sources([dutch]))
        (after,) = [e.id for e in store.iter_events(ALL) if e.type == "attack" and e.location
                    and e.location.name == "Berlin"]
        assert before == "evt_6a955a8c88b2d5b6" and after == "evt_3910cfb2cfb3cb95"
        assert store.event(before) is None and store.resolve_event_id(before) == after
        # the claim and the shoot-out told in the English article now point at the merged event
        english_links = {r.relation: r.event_id for e in store.iter_events(ALL)
                         if e.sources[0].url.endswith("killed_en") for r in e.related}
        assert english_links == {"claims": after, "follows": after}


def test_the_api_and_show_follow_a_retired_id(tmp_path):
    import warnings

    from click.testing import CliRunner

    warnings.filterwarnings("ignore", message=".*httpx.*")
    from fastapi.testclient import TestClient

    from kroniek.cli import main
    from kroniek.serve.app import create_app

    db = tmp_path / "k.duckdb"
    with Store.open(db) as store:
        ingest_into(store, read_sources([str(data_path("demo", "2016-12-23_berlin_suspect_killed_en.txt")),
                                         str(data_path("demo", "2016-12-21_berlijn_kerstmarkt_nl.txt"))]))
        with TestClient(create_app(store=store)) as client:
            response = client.get("/api/events/evt_6a955a8c88b2d5b6", follow_redirects=False)
            assert response.status_code == 308
            assert response.headers["location"].endswith("/api/events/evt_3910cfb2cfb3cb95")
            assert client.get("/api/events/evt_6a955a8c88b2d5b6").json()["event"]["id"] == "evt_3910cfb2cfb3cb95"
            assert client.get("/api/events/evt_0000000000000000").status_code == 404
    shown = CliRunner().invoke(main, ["show", "evt_6a955a8c88b2d5b6", "--db", str(db)])
    assert shown.exit_code == 0
    assert shown.stdout.startswith("evt_3910cfb2cfb3cb95  attack/vehicle_ramming")
    assert "evt_6a955a8c88b2d5b6 is now part of this event" in shown.stdout
