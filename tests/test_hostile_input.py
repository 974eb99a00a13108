"""Hostile input never takes a batch down (issue 16, items 1-5): lone surrogates, deep nesting, absurd casualty
figures, in JSON Lines, on standard input, in sidecars, through analyse_text and POST /api/ingest. Each bad item is
one line with its code; every other document of the batch, before and after it, is stored."""
from __future__ import annotations

import datetime
import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from kroniek.cli import main
from kroniek.pipeline import analyse_text, ingest_into
from kroniek.records import RawDocument
from kroniek.store import Store

warnings.filterwarnings("ignore", message=".*httpx.*")
from fastapi.testclient import TestClient  # noqa: E402

from kroniek.serve.app import create_app  # noqa: E402

NL_GOOD = ("Gisteren reed een vrachtwagen in op een kerstmarkt in Keulen. Daarbij kwamen twaalf mensen om het leven. "
           "De politie zoekt de dader nog steeds.")
EN_GOOD = ("A gunman opened fire at a mosque in Quebec City on Sunday evening, killing six people and wounding eight "
           "others, police said.")
NL_SURROGATE = "\\ud800 Bij een aanslag in Parijs zijn zondag drie mensen gedood door een schutter, meldt de politie."
EN_SURROGATE = "\\udfff A bomb exploded at a station in Lyon on Monday, killing two people, police said."
DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"text": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}"


def _run(*args: str, input: bytes | str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, input=input)
    return result.exit_code, result.output


def _stored(db: Path) -> tuple[list[tuple[str, str | None, str | None]], list[tuple[str, str]]]:
    with Store.open(db, read_only=True) as store:
        docs = store._db.execute("SELECT text, title, author FROM documents ORDER BY origin").fetchall()
        rejects = [(origin, code) for origin, code, _ in store.rejects()]
    return docs, rejects


def _jsonl(*records: str) -> str:
    return "\n".join(records) + "\n"


def test_a_batch_of_hostile_jsonl_records_stores_every_good_one(tmp_path):
    good_nl = json.dumps({"text": NL_GOOD, "language": "nl", "published": "2016-12-20"})
    good_en = json.dumps({"text": EN_GOOD, "language": "en", "published": "2017-01-30"})
    feed = tmp_path / "feed.jsonl"
    feed.write_text(_jsonl(
        good_nl,
        '{"text": "' + NL_SURROGATE + '", "language": "nl", "published": "2016-12-20"}',
        '{"html": "<p>' + EN_SURROGATE + '</p>", "language": "en", "published": "2016-12-20"}',
        DEEP, DEEP_OBJECT,
        json.dumps({"text": "Yesterday a gunman killed 3000000000 people at a market in Paris, police said.",
                    "language": "en", "published": "2016-12-20"}),
        json.dumps({"text": "Gisteren doodde een schutter 30000000000000000000000 mensen op een markt in Lyon, "
                            "meldt de politie.", "language": "nl", "published": "2016-12-20"}),
        '{"text": "Yesterday a bomb exploded in Berlin, killing two people, police said today.", '
        '"title": "\\udc00 Berlin", "author": "Jan\\ud801", "language": "en", "published": "2016-12-20"}',
        json.dumps({"text": "Een bom ontplofte gisteren in Antwerpen. Er vielen vier doden.", "language": "nl",
                    "published": "2016-12-20", "title": {"nested": [[[1]]]}}),
        good_en), encoding="utf-8")
    db = tmp_path / "news.duckdb"
    code, output = _run("ingest", str(feed), "--db", str(db), "--quiet")
    assert code == 0, output
    assert "Traceback" not in output
    docs, rejects = _stored(db)
    assert rejects == [(f"{feed}:4", "K106"), (f"{feed}:5", "K106")]
    texts = [text for text, _, _ in docs]
    assert NL_GOOD in texts and EN_GOOD in texts
    assert any(t.startswith("\ufffd Bij een aanslag in Parijs") for t in texts)
    assert any(t.startswith("\ufffd A bomb exploded at a station in Lyon") for t in texts)
    assert ("\ufffd Berlin", "Jan\ufffd") in [(title, author) for _, title, author in docs]
    assert len(docs) == 8
    with Store.open(db, read_only=True) as store:
        tolls = [e.fatalities.min for e in store.events() if e.fatalities]
    assert tolls and max(tolls) <= 100_000_000
    assert 12 in tolls and 6 in tolls


def test_standard_input_with_a_surrogate_or_deep_nesting(tmp_path):
    db = tmp_path / "stdin.duckdb"
    body = _jsonl(DEEP_OBJECT, '{"text": "' + NL_SURROGATE + '", "language": "nl", "published": "2016-12-20"}',
                  json.dumps({"text": EN_GOOD, "language": "en"}))
    code, output = _run("ingest", "-", "--db", str(db), "--quiet", input=body.encode("utf-8"))
    assert code == 0, output
    docs, rejects = _stored(db)
    assert rejects == [("-:1", "K106")]
    assert len(docs) == 2


def test_a_deeply_nested_sidecar_is_k110_and_the_article_is_stored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "keulen.txt").write_text(NL_GOOD, encoding="utf-8")
    (folder / "keulen.meta.json").write_text('{"title": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    (folder / "quebec.txt").write_text(EN_GOOD, encoding="utf-8")
    (folder / "quebec.meta.json").write_text('{"title": "Quebec \\ud800", "published": "2017-01-30"}',
                                             encoding="utf-8")
    db = tmp_path / "side.duckdb"
    code, output = _run("ingest", str(folder), "--db", str(db), "--quiet")
    assert code == 0, output
    docs, rejects = _stored(db)
    assert rejects == [(str(folder / "keulen.meta.json"), "K110")]
    assert sorted(title or "" for _, title, _ in docs) == ["", "Quebec \ufffd"]


def test_a_reader_that_fails_midway_loses_nothing_before_it(tmp_db):
    def documents():
        yield RawDocument("one", NL_GOOD.encode(), "text", {"language": "nl"})
        yield RawDocument("two", EN_GOOD.encode(), "text", {"language": "en"})
        raise OSError("the disk went away")

    with Store.open(tmp_db) as store:
        report = ingest_into(store, documents(), batch_size=64)
        assert report.documents == 2
        assert [(r.origin, r.code) for r in report.rejects] == [("<input>", "K120")]
        assert "please report it" in report.rejects[0].reason
        assert store.counts()["documents"] == 2


@pytest.mark.parametrize("text, language", [
    ("\ud800 Bij een aanslag in Parijs zijn zondag drie mensen gedood.", "nl"),
    ("A bomb killed two people in Lyon\udfff on Monday.", "en"),
    ("Yesterday a gunman killed 3000000000 people in Paris.", "en"),
    ("Gisteren doodde een schutter 30000000000000000000000 mensen in Lyon.", "nl"),
    ("\x00" * 100 + "A bomb killed two people in Lyon on Monday.", "en"),
])
def test_analyse_text_never_raises(text, language):
    events = analyse_text(text, language=language, published=datetime.date(2016, 12, 20), title="\udc00")
    for event in events:
        assert event.fatalities is None or event.fatalities.min <= 100_000_000
        for span in event.evidence:
            span.quote.encode("utf-8")


def test_casualty_figures_past_any_war_are_not_counts():
    (event,) = [e for e in analyse_text("Yesterday a gunman killed 3000000000 people at a market in Paris.",
                                        language="en", published=datetime.date(2016, 12, 20))
                if e.type == "killing"] or [None]
    assert event is None or event.fatalities is None or event.fatalities.min == 1
    (nl,) = analyse_text("Bij een aanslag in Parijs zijn gisteren 12 mensen gedood.", language="nl",
                         published=datetime.date(2016, 12, 20))
    assert nl.fatalities.min == 12


@pytest.fixture
def api(tmp_path):
    store = Store.open(tmp_path / "api.duckdb")
    client = TestClient(create_app(store=store, ingest_token="t0ken"), raise_server_exceptions=False)
    yield client, store
    store.close()


def _post(client, body: str | bytes):
    return client.post("/api/ingest", content=body if isinstance(body, bytes) else body.encode("utf-8"),
                       headers={"Authorization": "Bearer t0ken", "Content-Type": "application/json"})


@pytest.mark.parametrize("body", [
    '{"articles": [' + DEEP + "]}",
    '{"articles": [{"text": ' + "[" * 3000 + "]" * 3000 + "}]}",
    "[" * 100_000,
    '{"articles": "\\ud800"}',
    b'\xff\xfe{"articles": []}',
])
def test_api_ingest_refuses_hostile_bodies_with_the_error_shape(api, body):
    client, _ = api
    response = _post(client, body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "bad_request" and error["message"]


def test_api_ingest_stores_articles_with_lone_surrogates(api):
    client, store = api
    body = ('{"articles": [{"text": "' + NL_SURROGATE + '", "language": "nl", "title": "\\ud800"}, '
            '{"text": "' + EN_SURROGATE + '", "language": "en", "author": {"deep": [[1]]}}, '
            '{"text": "Yesterday a gunman killed 3000000000 people at a market in Paris, police said.", '
            '"language": "en"}]}')
    response = _post(client, body)
    assert response.status_code == 200, response.text
    assert response.json()["documents"] == 3 and response.json()["rejects"] == []
    assert store.counts()["documents"] == 3


# -- the per-document budget (issue 16, item 9): measured sizes, no clock ---------------------------------------------
NL_SENTENCE = "Gisteren reed een vrachtwagen in op een kerstmarkt in Keulen. Daarbij kwamen twaalf mensen om het leven. "


@pytest.mark.parametrize("content, media_type, language", [
    (("aanslag " * 200_000).encode(), "text", "nl"),                       # one word repeated 200,000 times
    (("the attack, " * 120_000).encode(), "text", "en"),                   # one 1.4 MB line without a stop
    (("<a href='x'>" * 300_000 + NL_SENTENCE + "</a>" * 300_000).encode(), "html", "nl"),   # 600,000 tags
    ((NL_SENTENCE * 2_500).encode(), "text", "nl"),                         # 5,000 event mentions
])
def test_a_document_over_the_budget_is_k123(content, media_type, language):
    from kroniek.pipeline import process_document

    result = process_document(RawDocument("big", content, media_type, {"language": language}))
    assert getattr(result, "code", None) == "K123", result


def test_a_long_sentence_is_cut_and_its_clauses_still_found():
    from kroniek.annotate.sentences import MAX_SENTENCE_CHARS, split_sentences

    text = "Gisteren reed een vrachtwagen in op een markt in Keulen, " * 400
    spans = split_sentences(text)
    assert len(spans) > 1 and max(len(s.text) for s in spans) <= MAX_SENTENCE_CHARS
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert all(s.text.endswith("Keulen,") for s in spans)
