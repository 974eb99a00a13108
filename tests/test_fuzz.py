"""A seeded fuzz test: a few thousand mutated inputs through reading, cleaning, the whole pipeline and the HTTP API.

No input may raise, and none may be an internal error (K120, K121, a 500): each is a document or one line with its
code. A failure names its seed and index; `python benchmarks/fuzz.py --seed S` runs longer streams of the same kind.
"""
from __future__ import annotations

import asyncio
import datetime
import random

import httpx
import pytest

from kroniek import fuzzinputs
from kroniek.clean import clean_document
from kroniek.ingest.sources import read_sources
from kroniek.pipeline import analyse_text, ingest_into
from kroniek.records import RawDocument, Rejected
from kroniek.serve.app import create_app
from kroniek.store import Store

SEED = 20161219
INTERNAL = {"K120", "K121"}


def test_fuzz_reading_and_cleaning(tmp_path):
    rng = random.Random(SEED)
    lines = [fuzzinputs.mutated_jsonl_line(rng) for _ in range(2000)]
    feed = tmp_path / "fuzz.jsonl"
    feed.write_bytes(b"\n".join(lines) + b"\n")
    items = list(read_sources([str(feed)]))
    assert len(items) == sum(1 for line in lines if line.strip())
    assert not [i for i in items if isinstance(i, Rejected) and i.code in INTERNAL]
    for index in range(800):
        content = fuzzinputs.mutated_bytes(rng)
        for media_type in ("text", "html") if index % 8 == 0 else ("text",):
            result = clean_document(RawDocument(f"fuzz:{index}", content, media_type, {"title": "\ud800"}))
            assert not (isinstance(result, Rejected) and result.code in INTERNAL), (SEED, index, result)
            if not isinstance(result, Rejected):
                result.text.encode("utf-8")
                assert "\x00" not in result.text


def test_fuzz_the_pipeline(tmp_path):
    rng = random.Random(SEED + 1)
    with Store.open(tmp_path / "fuzz.duckdb") as store:
        documents = [RawDocument(f"fuzz:{i}", fuzzinputs.mutated_bytes(rng), "text",
                                 {"language": rng.choice(("nl", "en")), "published": "2016-12-20"})
                     for i in range(80)]
        report = ingest_into(store, documents, batch_size=50)
        assert not [r for r in report.rejects if r.code in INTERNAL], report.rejects[:3]
        assert report.documents + len(report.rejects) + report.skipped == len(documents)
        assert store.counts()["documents"] == report.documents
    for index in range(100):
        text = fuzzinputs.mutated_text(rng)
        events = analyse_text(text, language=("nl", "en")[index % 2], published=datetime.date(2016, 12, 20))
        for event in events:
            assert event.fatalities is None or 0 <= event.fatalities.min <= 100_000_000


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("fuzzapi") / "api.duckdb")
    ingest_into(store, [RawDocument("seed", fuzzinputs.SEEDS[0].encode(), "text", {"language": "nl",
                                                                                  "published": "2016-12-20"})])
    yield create_app(store=store, ingest_token="fuzz")
    store.close()


async def _fuzz_requests(app) -> None:
    # The app called in this one event loop (httpx's ASGI transport, no sockets): a TestClient hands every message
    # of every request between two threads, which was most of this file's time on a busy machine.
    rng = random.Random(SEED + 2)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://127.0.0.1") as client:
        for index in range(60):
            body = fuzzinputs.mutated_api_body(rng)
            response = await client.post("/api/ingest", content=body,
                                         headers={"Authorization": "Bearer fuzz", "Content-Type": "application/json"})
            assert response.status_code < 500, (SEED + 2, index, body[:200], response.text[:300])
            if response.status_code >= 400:
                assert response.json()["error"]["status"] == response.status_code
            else:
                assert not [r for r in response.json()["rejects"] if r["code"] in INTERNAL]
        for index in range(800):
            path = rng.choice(("/api/events", "/api/export", "/api/stats", "/api/events"))
            query = fuzzinputs.mutated_query(rng)
            response = await client.get(f"{path}?{query}")
            assert response.status_code < 500, (SEED + 2, index, path, query, response.text[:300])
            if response.status_code >= 400:
                assert response.json()["error"]["status"] == response.status_code


def test_fuzz_the_api(app):
    asyncio.run(_fuzz_requests(app))
