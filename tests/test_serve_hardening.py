"""The server and its file hold against forgery and odd requests (issue 16, items 11-13): a server file that is not
the user's own is ignored, uploads stop at the limit as they stream, out-of-range parameters are 400s, a server on
127.0.0.2 answers to its own name, LIKE wildcards in filters are literal, and ingest counts mentions and events."""
from __future__ import annotations

import asyncio
import json
import os
import re
import urllib.request
import warnings
from pathlib import Path

import conftest
import pytest
from click.testing import CliRunner
from conftest import stop_server

from kroniek.cli import main
from kroniek.pipeline import ingest_into
from kroniek.records import RawDocument
from kroniek.serve.client import find_server
from kroniek.serve.serverfile import ServerInfo, UntrustedServerFile, read_server_file, server_file_path
from kroniek.store import Store
from kroniek.store.query import EventQuery

warnings.filterwarnings("ignore", message=".*httpx.*")
from fastapi.testclient import TestClient  # noqa: E402
from starlette.requests import Request  # noqa: E402

from kroniek.serve.app import create_app  # noqa: E402
from kroniek.serve.errors import ApiError  # noqa: E402
from kroniek.serve.ingest import read_body  # noqa: E402

NL = ("Gisteren reed een vrachtwagen in op een kerstmarkt in Keulen. Daarbij kwamen twaalf mensen om het leven. "
      "De politie zoekt de dader nog steeds.")
EN = ("A gunman opened fire at a mosque in Quebec City on Sunday evening, killing six people and wounding eight "
      "others, police said.")


def _forge(db: Path, *, url: str = "http://127.0.0.1:9", port: int = 9, mode: int = 0o600,
           pid: int | None = None) -> Path:
    path = server_file_path(db)
    path.write_text(json.dumps({"pid": pid or os.getpid(), "host": "127.0.0.1", "port": port, "url": url,
                                "token": "stolen", "db": str(db), "instance": "abc"}), encoding="utf-8")
    os.chmod(path, mode)
    return path


@pytest.mark.parametrize("mode, url, port, problem", [
    (0o644, "http://127.0.0.1:9", 9, "mode 644"),
    (0o660, "http://127.0.0.1:9", 9, "mode 660"),
    (0o600, "http://198.51.100.7:8000", 8000, "not a server on this machine"),
    (0o600, "https://127.0.0.1:9", 9, "not a server on this machine"),
    (0o600, "http://127.0.0.1:9", 10, "not a server on this machine"),
    (0o600, "http://evil.example:9", 9, "not a server on this machine"),
])
def test_a_forged_server_file_is_not_trusted(tmp_path, mode, url, port, problem):
    db = tmp_path / "news.duckdb"
    _forge(db, url=url, port=port, mode=mode)
    with pytest.raises(UntrustedServerFile, match=problem):
        read_server_file(db)
    assert find_server(db) is None


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="changing a file's owner needs root")
def test_a_server_file_of_another_user_is_not_trusted(tmp_path):
    db = tmp_path / "news.duckdb"
    os.chown(_forge(db), 4242, 4242)
    with pytest.raises(UntrustedServerFile, match="another user"):
        read_server_file(db)


def test_a_symlinked_server_file_is_not_trusted(tmp_path):
    db = tmp_path / "news.duckdb"
    real = tmp_path / "elsewhere.json"
    real.write_text("{}", encoding="utf-8")
    server_file_path(db).symlink_to(real)
    with pytest.raises(UntrustedServerFile, match="symbolic link"):
        read_server_file(db)


def test_ingest_with_a_forged_server_file_writes_the_database(tmp_path):
    db = tmp_path / "news.duckdb"
    _forge(db, url="http://198.51.100.7:8000", port=8000)
    (tmp_path / "a.txt").write_text(NL, encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db), "--quiet",
                                       "--language", "nl"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "K124" in result.output and "through the running server" not in result.output
    with Store.open(db, read_only=True) as store:
        assert store.counts()["documents"] == 1


def test_ingest_counts_mentions_and_events(tmp_path):
    db = tmp_path / "count.duckdb"
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in (
        {"text": NL, "language": "nl", "published": "2016-12-20"},
        {"text": EN, "language": "en", "published": "2017-01-30"})) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(feed), "--db", str(db), "--quiet"], catch_exceptions=False)
    match = re.search(r"2 documents stored, (\d+) mentions, (\d+) events, 0 already stored", result.output)
    assert match, result.output
    with Store.open(db, read_only=True) as store:
        assert int(match.group(2)) == store.counts()["events"] and int(match.group(1)) == store.counts()["reports"]


def _request(chunks: list[bytes], consumed: list[int]) -> Request:
    """A real Starlette request whose body arrives in ``chunks``, counting how many the server asked for."""
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

    async def receive():
        consumed[0] += 1
        return messages[consumed[0] - 1]

    scope = {"type": "http", "method": "POST", "path": "/api/ingest", "headers": [(b"transfer-encoding", b"chunked")],
             "query_string": b""}
    return Request(scope, receive)


def test_a_chunked_upload_is_stopped_at_the_limit_as_it_streams():
    consumed = [0]
    request = _request([b"x" * 1000] * 1000, consumed)
    with pytest.raises(ApiError) as raised:
        asyncio.run(read_body(request, limit=10_000))
    assert raised.value.status == 413
    assert consumed[0] == 11          # 11 chunks of 1,000 bytes pass 10,000; the other 989 are never read
    assert asyncio.run(read_body(_request([b"ab", b"cd"], [0]), limit=10)) == b"abcd"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("api") / "api.duckdb")
    ingest_into(store, [RawDocument("nl", NL.encode(), "text", {"language": "nl", "published": "2016-12-20"}),
                        RawDocument("en", EN.encode(), "text", {"language": "en", "published": "2017-01-30"})])
    yield TestClient(create_app(store=store), raise_server_exceptions=False), store
    store.close()


@pytest.mark.parametrize("path", [
    "/api/events?offset=9223372036854775808", "/api/events?offset=9223372036854775807",
    "/api/events?offset=-1", "/api/events?limit=99999999999999999999", "/api/export?offset=18446744073709551616",
    "/api/events?since=99999-01-01", "/api/events?bbox=nan,nan,nan,nan",
])
def test_out_of_range_parameters_are_400(api, path):
    client, _ = api
    response = client.get(path)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] in ("invalid_parameter", "bad_request")


@pytest.mark.parametrize("text, expected", [
    ("%", 0), ("_", 0), ("%%%", 0), ("twaalf", 1), ("Quebec", 1), ("twaalf,%", 1), ("Keul_n", 0), ("Keulen,Quebec", 2),
])
def test_like_wildcards_in_filters_are_literal(api, text, expected):
    _, store = api
    assert store.count_events(EventQuery(text=tuple(text.split(",")))) == expected
    assert store.count_events(EventQuery(actor=text.split(",")[0])) == 0 or text in ("twaalf",)


def test_a_server_on_127_0_0_2_answers_to_its_own_host(tmp_path):
    process, url = conftest.start_server(tmp_path / "two.duckdb", "--host", "127.0.0.2")
    try:
        assert url.startswith("http://127.0.0.2:")
        # the server file exists and the server answers as soon as the line is printed
        info = read_server_file(tmp_path / "two.duckdb")
        assert isinstance(info, ServerInfo) and info.url == url
        with urllib.request.urlopen(url + "/api/health", timeout=conftest.HANG_GUARD_S) as response:
            assert json.loads(response.read())["instance"] == info.instance
        request = urllib.request.Request(url + "/api/health", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=conftest.HANG_GUARD_S)
        assert refused.value.code == 400
    finally:
        stop_server(process)
