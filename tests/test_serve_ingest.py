"""Serving while ingesting, with real processes: `kroniek serve` holds the database, and articles ingested from
another process (the client, then `kroniek ingest`) go through it and show up in the API.
"""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import conftest
import pytest
from conftest import stop_server

from kroniek.serve.client import ServerError, find_server
from kroniek.serve.serverfile import ServerInfo, read_server_file, server_file_path, write_server_file

REPO = Path(__file__).resolve().parents[1]
KRONIEK = [sys.executable, "-c", "from kroniek.cli import main; main()"]

ARTICLES = [
    {"language": "nl", "published": "2017-06-01", "title": "Bomaanslag in Kabul eist tientallen levens",
     "text": "Bij een bomaanslag in Kabul zijn woensdag minstens negentig mensen om het leven gekomen. Honderden "
             "anderen raakten gewond toen een vrachtwagen vol explosieven ontplofte bij de ambassadewijk."},
    {"language": "en", "published": "2017-01-30", "title": "Six killed in Quebec City mosque shooting",
     "text": "A gunman opened fire at a mosque in Quebec City on Sunday evening, killing six people and wounding "
             "eight others, police said."},
]


def start_server(db: Path, *options: str) -> tuple[subprocess.Popen, ServerInfo]:
    """`kroniek serve` in its own process on a free port, with the server file it wrote."""
    process, url = conftest.start_server(db, *options)
    info = read_server_file(db)
    assert info is not None and info.pid == process.pid and info.url == url, (info, url)
    return process, info


def get(info: ServerInfo, path: str) -> dict:
    with urllib.request.urlopen(info.url + path, timeout=conftest.HANG_GUARD_S) as response:
        return json.loads(response.read())


def titles(info: ServerInfo) -> set[str]:
    events = get(info, "/api/events?limit=1000")["events"]
    return {s["title"] for e in events for s in e["sources"]}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = tmp_path_factory.mktemp("served") / "shared.duckdb"
    process, info = start_server(db)
    try:
        yield db, info
    finally:
        stop_server(process)


def test_the_database_is_held_by_the_server(served):
    db, _ = served
    # Why ingest goes through the server: a second process cannot open the file itself.
    result = subprocess.run([sys.executable, "-c", f"from kroniek.store import Store; Store.open({str(db)!r})"],
                            capture_output=True, text=True, timeout=conftest.HANG_GUARD_S)
    assert result.returncode != 0 and "K201" in result.stderr


def test_articles_ingested_from_another_process_appear_in_the_api(served):
    db, info = served
    before = get(info, "/api/health")["generation"]
    assert not titles(info) & {a["title"] for a in ARTICLES}
    script = textwrap.dedent(f"""
        import json, sys
        from kroniek.records import RawDocument
        from kroniek.serve.client import find_server
        server = find_server({str(db)!r})
        assert server is not None, "no server found"
        articles = json.loads(sys.stdin.read())
        documents = [RawDocument(f"article-{{i}}", a["text"].encode("utf-8"), "text",
                                 {{k: a[k] for k in ("language", "published", "title")}})
                     for i, a in enumerate(articles)]
        print(json.dumps(server.ingest(documents)))
    """)
    result = subprocess.run([sys.executable, "-c", script], input=json.dumps(ARTICLES), capture_output=True,
                            text=True, timeout=conftest.HANG_GUARD_S, cwd=REPO)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["documents"] == 2 and report["rejects"] == [], report
    assert report["events"] >= 2
    assert {a["title"] for a in ARTICLES} <= titles(info)
    assert get(info, "/api/health")["generation"] > before
    # the same articles again: already stored, nothing new
    again = subprocess.run([sys.executable, "-c", script], input=json.dumps(ARTICLES), capture_output=True,
                           text=True, timeout=conftest.HANG_GUARD_S, cwd=REPO)
    assert json.loads(again.stdout)["skipped"] == 2


def test_kroniek_ingest_goes_through_the_running_server(served, tmp_path):
    help_text = subprocess.run(KRONIEK + ["ingest", "--help"], capture_output=True, text=True,
                               timeout=conftest.HANG_GUARD_S).stdout
    if "through a running server" not in " ".join(help_text.split()):
        pytest.skip("`kroniek ingest` is not wired to the server client yet")
    db, info = served
    articles = tmp_path / "articles"
    articles.mkdir()
    dutch = {"language": "nl", "published": "2015-11-15", "title": "Aanslagen in Parijs",
             "text": "Bij aanslagen in Parijs zijn vrijdagavond minstens honderdtwintig mensen gedood. "
                     "Gewapende mannen schoten op terrassen en in een concertzaal."}
    english = {"language": "en", "published": "2016-07-15", "title": "Truck attack in Nice",
               "text": "A truck drove into a crowd celebrating Bastille Day in Nice on Thursday night, killing "
                       "at least 84 people, officials said."}
    (articles / "feed.jsonl").write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in (dutch, english)),
                                         encoding="utf-8")
    result = subprocess.run(KRONIEK + ["ingest", str(articles), "--db", str(db), "--quiet"], capture_output=True,
                            text=True, timeout=conftest.HANG_GUARD_S, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert info.url in result.stderr                      # it said where it sent them
    assert {dutch["title"], english["title"]} <= titles(info)


def test_server_file_is_private_and_gone_after_stop(tmp_path):
    db = tmp_path / "stop.duckdb"
    process, info = start_server(db)
    path = server_file_path(db)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert info.db == str(db.resolve()) and info.url.startswith("http://127.0.0.1:")
    assert find_server(db) is not None
    assert stop_server(process) != -signal.SIGKILL
    assert not path.exists()
    assert find_server(db) is None
    from kroniek.store import Store
    Store.open(db).close()                               # and the database is free again


def test_read_only_server_tells_an_ingest_why_it_cannot_write(tmp_path):
    db = tmp_path / "ro.duckdb"
    from kroniek.records import RawDocument
    from kroniek.store import Store
    Store.open(db).close()
    process, _ = start_server(db, "--read-only")
    try:
        server = find_server(db)
        assert server is not None
        with pytest.raises(ServerError, match="read-only"):
            server.ingest([RawDocument("a.txt", ARTICLES[1]["text"].encode(), "text", {"language": "en"})])
    finally:
        stop_server(process)


def test_a_stale_server_file_is_ignored(tmp_path):
    db = tmp_path / "stale.duckdb"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    write_server_file(ServerInfo(pid=dead.pid, host="127.0.0.1", port=9, url="http://127.0.0.1:9", token="t",
                                 db=str(db.resolve()), instance="x"))
    assert find_server(db) is None                       # its process is gone
    write_server_file(ServerInfo(pid=os.getpid(), host="127.0.0.1", port=9, url="http://127.0.0.1:9", token="t",
                                 db=str(db.resolve()), instance="x"))
    assert find_server(db) is None                       # alive, but nothing answers there


# -- reading while the server holds the file (issue 15) ------------------------------------------------------------
READS = [
    ["events"],
    ["events", "--json"],
    ["events", "--csv", "--type", "attack,claim", "--order", "fatalities"],
    ["events", "--json", "--country", "Duitsland,GB", "--limit", "1", "--offset", "1"],
    ["show", "evt_manch"],
    ["show", "evt_berlin", "--json"],
    ["export", "--format", "jsonl", "-o", "-"],
    ["export", "--format", "csv", "-o", "-", "--modality", "happened"],
    ["export", "--format", "geojson", "-o", "-", "--order", "id"],
]


def _cli(*args: str):
    from click.testing import CliRunner

    from kroniek.cli import main
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_events_show_and_export_read_through_the_running_server_with_the_same_output(tmp_path):
    from test_api import fill   # hand-built Dutch and English events
    from kroniek.store import Store

    db = tmp_path / "read.duckdb"
    with Store.open(db) as store:
        fill(store)
    alone = [_cli(*command, "--db", str(db)) for command in READS]
    assert all(r.exit_code == 0 and r.stdout for r in alone), [r.stderr for r in alone]
    assert _cli("export", "--db", str(db), "--format", "parquet", "-o", str(tmp_path / "alone.parquet")).exit_code == 0

    process, info = start_server(db)
    try:
        served = [_cli(*command, "--db", str(db)) for command in READS]
        parquet = _cli("export", "--db", str(db), "--format", "parquet", "-o", str(tmp_path / "served.parquet"))
    finally:
        stop_server(process)
    for command, before, now in zip(READS, alone, served):
        assert now.exit_code == 0, (command, now.stderr)
        assert f"reading through the running server at {info.url}" in now.stderr, command
        assert now.stdout == before.stdout, command
    assert parquet.exit_code == 0, parquet.stderr
    assert (tmp_path / "served.parquet").read_bytes() == (tmp_path / "alone.parquet").read_bytes()


def test_a_read_while_another_writer_holds_the_file_says_what_to_do(tmp_path):
    from kroniek.store import Store

    db = tmp_path / "held.duckdb"
    Store.open(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import sys\nfrom kroniek.store import Store\n"
                               f"store = Store.open({str(db)!r})\nprint('holding', flush=True)\nsys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        for command in (["events"], ["show", "evt_x"], ["export", "-o", "-"]):
            result = _cli(*command, "--db", str(db))
            assert result.exit_code == 1, command
            assert "[K201]" in result.stderr and "no `kroniek serve` of it answers" in result.stderr, result.stderr
            assert f"kroniek serve --db {db}" in result.stderr
    finally:
        holder.stdin.close()
        holder.wait(timeout=conftest.HANG_GUARD_S)


def test_ctrl_c_stops_the_server_with_one_quiet_line(tmp_path):
    db = tmp_path / "ctrl-c.duckdb"
    process, _ = start_server(db)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=conftest.HANG_GUARD_S)
    assert process.returncode == 0, output
    assert "Aborted" not in output and "Traceback" not in output
    assert output.strip().splitlines() == [f"stopped serving {db}"]
    assert not server_file_path(db).exists()
