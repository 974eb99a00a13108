"""/api/feeds and /api/alerts: open to read, closed to change without the token, guarded URLs."""
from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")
from fastapi.testclient import TestClient  # noqa: E402

from kroniek.serve.app import STATIC_DIR, create_app  # noqa: E402
from kroniek.store import Store  # noqa: E402
from kroniek.store.follow import FollowTables  # noqa: E402

AUTH = {"Authorization": "Bearer user-secret"}


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "k.duckdb") as opened:
        follow = FollowTables(opened.cursor())
        follow.add_feed("https://news.example/rss", "example", datetime(2024, 5, 1, 12))
        follow.feed_polled("https://news.example/rss", datetime(2024, 5, 1, 12, 15), status="failed",
                           error="HTTP 503 Service Unavailable from news.example [K304]", failures=1,
                           retry_at=datetime(2024, 5, 1, 12, 30))
        follow.add_alert({"name": "attacks", "filters": {"type": ["attack"]}, "target_kind": "file",
                          "target": "/tmp/a.jsonl", "updates": False}, datetime(2024, 5, 1, 12))
        yield opened


@pytest.fixture
def client(store):
    return TestClient(create_app(store=store, ingest_token="user-secret", local_token="local-secret"))


def test_feeds_and_alerts_are_listed_with_their_last_fetch_and_errors(client):
    feed, = client.get("/api/feeds").json()["feeds"]
    assert feed == {"url": "https://news.example/rss", "name": "example", "added_at": "2024-05-01T12:00:00",
                    "last_fetch_at": "2024-05-01T12:15:00", "last_status": "failed",
                    "last_error": "HTTP 503 Service Unavailable from news.example [K304]", "last_added": 0,
                    "items_added": 0, "failures": 1, "retry_at": "2024-05-01T12:30:00"}
    alert, = client.get("/api/alerts").json()["alerts"]
    assert (alert["name"], alert["filters"], alert["target_kind"], alert["fired"]) == \
        ("attacks", {"type": ["attack"]}, "file", 0)


@pytest.mark.parametrize("method, url, body", [
    ("post", "/api/feeds", {"url": "https://news2.example/rss"}),
    ("delete", "/api/feeds?url=example", None),
    ("post", "/api/alerts", {"name": "x", "target_kind": "webhook", "target": "https://hooks.example/x"}),
    ("delete", "/api/alerts/attacks", None),
])
def test_changes_need_the_token(client, method, url, body):
    response = client.request(method.upper(), url, json=body)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    assert len(client.get("/api/feeds").json()["feeds"]) == 1
    assert len(client.get("/api/alerts").json()["alerts"]) == 1


def test_with_the_token_feeds_and_alerts_are_added_and_removed(client):
    answer = client.post("/api/feeds", json={"url": "https://8.8.8.8/rss", "name": "second"}, headers=AUTH)
    assert answer.status_code == 201 and answer.json()["added"] is True
    assert [f["name"] for f in client.get("/api/feeds").json()["feeds"]] == ["example", "second"]
    assert client.delete("/api/feeds", params={"url": "second"}, headers=AUTH).json() == \
        {"removed": "https://8.8.8.8/rss"}
    answer = client.post("/api/alerts", headers=AUTH, json={
        "name": "claims", "filters": {"type": "claim, attack", "country": ["de"]}, "target_kind": "webhook",
        "target": "https://8.8.8.8/hook"})
    assert answer.status_code == 201 and answer.json()["filters"] == {"type": ["claim", "attack"], "country": ["DE"]}
    assert client.delete("/api/alerts/claims", headers=AUTH).json() == {"removed": "claims"}
    assert client.delete("/api/alerts/claims", headers=AUTH).status_code == 404


@pytest.mark.parametrize("body", [
    {"url": "http://127.0.0.1:8000/feed"}, {"url": "http://169.254.169.254/"}, {"url": "http://0x7f000001/"},
    {"url": "file:///etc/passwd"}, {"url": ""}])
def test_the_api_refuses_private_and_unfetchable_feed_urls(client, body):
    answer = client.post("/api/feeds", json=body, headers=AUTH)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_parameter"
    assert len(client.get("/api/feeds").json()["feeds"]) == 1


def test_the_api_refuses_private_webhooks_and_file_targets(client):
    for target_kind, target in (("webhook", "http://10.0.0.5/hook"), ("file", "/home/me/.bashrc")):
        answer = client.post("/api/alerts", headers=AUTH,
                             json={"name": "x", "target_kind": target_kind, "target": target})
        assert answer.status_code == 400, target
    assert [a["name"] for a in client.get("/api/alerts").json()["alerts"]] == ["attacks"]


def test_an_older_database_opened_read_only_has_no_feeds(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:           # a version-1 database: no follow tables
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    with duckdb.connect(str(path), read_only=True) as con:      # the follow tables alone read it as having none
        assert FollowTables(con.cursor()).feeds() == [] and FollowTables(con.cursor()).alerts() == []
    from kroniek.errors import StoreError
    with pytest.raises(StoreError, match=r"\[K204\]"):             # a Store asks for `kroniek migrate` first
        Store.open(path, read_only=True)


def test_the_dashboard_has_a_follow_panel_script_of_its_own(client):
    index = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert '<script type="module" src="/static/js/follow.js"></script>' in index
    script = client.get("/static/js/follow.js")
    assert script.status_code == 200 and "/api/feeds" in script.text and "/api/alerts" in script.text
    assert "innerHTML" not in script.text                         # text goes in as text, never as markup
