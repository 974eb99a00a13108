"""The server compresses text answers with gzip when the client accepts it (serve/compression.py): the same bytes
once inflated, kept apart in the answer cache, never for clients that do not ask, small answers, errors or
non-GET requests; and through a real `kroniek serve` on loopback, a streamed export arrives whole."""
from __future__ import annotations

import gzip
import json
import urllib.request
import warnings

import conftest
import pytest
from conftest import stop_server

from kroniek.pipeline import ingest_into
from kroniek.records import RawDocument
from kroniek.serve.app import create_app
from kroniek.serve.compression import accepts_gzip
from kroniek.store import Store

warnings.filterwarnings("ignore", message=".*httpx.*")
from fastapi.testclient import TestClient  # noqa: E402

NL = ("Gisteren reed een vrachtwagen in op een kerstmarkt in Keulen. Daarbij kwamen twaalf mensen om het leven. "
      "Volgens de politie gaat het om een aanslag.")
EN = ("A gunman opened fire at a mosque in Quebec City on Sunday evening, killing six people and wounding eight "
      "others, police said.")


def _ingest(store: Store) -> None:
    ingest_into(store, [RawDocument("nl", NL.encode(), "text", {"language": "nl", "published": "2016-12-20"}),
                        RawDocument("en", EN.encode(), "text", {"language": "en", "published": "2017-01-30"})])


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("gzip") / "gzip.duckdb")
    _ingest(store)
    yield TestClient(create_app(store=store))
    store.close()


def _raw(client: TestClient, path: str, encoding: str | None) -> tuple[dict[str, str], bytes]:
    """Headers and the bytes as sent (not inflated by the client)."""
    headers = {"Accept-Encoding": encoding} if encoding is not None else {"Accept-Encoding": ""}
    with client.stream("GET", path, headers=headers) as response:
        assert response.status_code == 200, path
        return dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize("path", ["/api/events?format=geojson", "/api/events", "/api/ontology",
                                  "/static/app.css", "/api/export?format=csv", "/"])
def test_text_answers_are_gzip_when_asked_and_the_same_bytes_inflated(client, path):
    plain_headers, plain = _raw(client, path, "identity")
    headers, sent = _raw(client, path, "gzip, deflate, br")
    assert "content-encoding" not in plain_headers
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    assert len(plain) >= 1024 and len(sent) < len(plain)
    assert gzip.decompress(sent) == plain
    if "content-length" in headers:     # whole answers say their compressed length; streamed ones go chunked
        assert int(headers["content-length"]) == len(sent)


@pytest.mark.parametrize("encoding, compressed", [
    ("gzip", True), ("*", True), ("br;q=1.0, gzip;q=0.5", True), ("GZIP", True),
    ("gzip;q=0", False), ("gzip;q=0.0, *", False), ("identity", False), ("", False), ("br", False),
    ("*;q=0", False), ("gzip;q=nonsense", False),
])
def test_accept_encoding_is_read_as_http_says(client, encoding, compressed):
    headers, _ = _raw(client, "/api/events?format=geojson", encoding)
    assert (headers.get("content-encoding") == "gzip") is compressed, encoding
    assert accepts_gzip({"type": "http", "headers": [(b"accept-encoding", encoding.encode())]}) is compressed


def test_the_cache_keeps_compressed_and_plain_answers_apart(tmp_path):
    store = Store.open(tmp_path / "cache.duckdb")
    _ingest(store)
    try:
        client = TestClient(create_app(store=store))
        path = "/api/events?limit=2&order=id"
        first_headers, first = _raw(client, path, "gzip")       # computed, then kept compressed
        plain_headers, plain = _raw(client, path, "identity")   # must not be the kept gzip answer
        again_headers, again = _raw(client, path, "gzip")       # from the cache
        assert first_headers["content-encoding"] == again_headers["content-encoding"] == "gzip"
        assert "content-encoding" not in plain_headers
        assert json.loads(plain)["total"] == 2
        assert gzip.decompress(first) == gzip.decompress(again) == plain
    finally:
        store.close()


def test_small_answers_errors_and_other_methods_are_not_compressed(client):
    small_headers, small = _raw(client, "/api/health", "gzip")
    assert len(small) < 1024 and "content-encoding" not in small_headers and json.loads(small)["status"] == "ok"
    missing = client.get("/api/events/evt_0000000000000000", headers={"Accept-Encoding": "gzip"})
    assert missing.status_code == 404 and "content-encoding" not in missing.headers
    head = client.head("/", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in head.headers


def test_a_real_server_sends_a_streamed_export_compressed(tmp_path):
    db = tmp_path / "served.duckdb"
    store = Store.open(db)
    _ingest(store)
    store.close()
    process, url = conftest.start_server(db, "--read-only")
    try:
        def get(path: str, encoding: str) -> tuple[dict[str, str], bytes]:
            request = urllib.request.Request(url + path, headers={"Accept-Encoding": encoding})
            with urllib.request.urlopen(request, timeout=conftest.HANG_GUARD_S) as response:
                return {k.lower(): v for k, v in response.headers.items()}, response.read()

        for path in ("/api/export", "/api/events?format=geojson", "/static/js/main.js"):
            plain_headers, plain = get(path, "identity")
            headers, sent = get(path, "gzip")
            assert "content-encoding" not in plain_headers, path
            assert headers["content-encoding"] == "gzip", path
            assert gzip.decompress(sent) == plain, path
        assert len(get("/api/export", "identity")[1].splitlines()) == 2
    finally:
        stop_server(process)
