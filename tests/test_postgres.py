"""The PostgreSQL store on a real server (tests/pg_server.py): the same events and ids as DuckDB, migrations, two
ingest processes at once, serving while others ingest and read, and one-line errors for a bad URL."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import start_server, stop_server

from kroniek.evaluate.gold_events import score_document
from kroniek.store import EventQuery, Store, open_store

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[dev]'")
from kroniek.store.postgres_store import WRITE_LOCK, PostgresStore  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
KRONIEK = [sys.executable, "-c", "from kroniek.cli import main; main()"]
TABLES = {"meta", "documents", "events", "rejects", "reports", "report_keys", "feeds", "fetch_state", "seen_items",
          "alerts", "alert_fired", "document_bands"}


def kroniek(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*KRONIEK, *args], capture_output=True, text=True, cwd=REPO)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = current_schema()").fetchall()}


def _dev_articles(shared_dir: Path, n: int | None = None) -> list[str]:
    path = shared_dir / "data" / "dutch_news_dev" / "articles.jsonl"
    if not path.exists():
        pytest.skip("../shared/data/dutch_news_dev is not present")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:n] if n else lines


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


# -- schema -------------------------------------------------------------------------------------------------------
def test_migrations_create_version_4_once_and_are_idempotent(pg_url):
    with open_store(pg_url) as store:
        assert isinstance(store, PostgresStore)
        assert store.schema_version() == 6
    assert _tables(pg_url) == TABLES
    with open_store(pg_url) as store:       # a second open migrates nothing
        assert store.schema_version() == 6
    result = kroniek("migrate", "--db", pg_url)
    assert "schema 6 (this Kroniek: 6)" in result.stdout
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT key, value FROM meta WHERE key = 'schema_version'").fetchall() == \
            [("schema_version", "6")]
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'events'")}
    assert {"events_type", "events_country", "events_date", "events_bbox", "events_search_trgm"} <= indexes


def test_two_processes_opening_a_new_database_migrate_it_once(pg_url):
    code = f"from kroniek.store import open_store; open_store({pg_url!r}).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    with open_store(pg_url, read_only=True) as store:
        assert store.schema_version() == 6


def test_an_empty_database_read_only_says_to_ingest(pg_url):
    result = kroniek("events", "--db", pg_url, check=False)
    assert result.returncode == 1
    assert "[K203]" in result.stderr and "kroniek ingest" in result.stderr


# -- the same store as DuckDB --------------------------------------------------------------------------------------
def test_store_merges_and_queries_as_duckdb(pg_url):
    from test_store import _article, _record

    batches = [[(_article("d1"), [_record("e1", "d1", fatalities=9)])],
               [(_article("d2"), [_record("e2", "d2", fatalities=12, quote="An attack.")])],
               [(_article("d3"), [_record("e3", "d3", day="2016-12-25", place="Hamburg", geonames_id=2911298,
                                          country="DE")]),
                (_article("d4"), [_record("e4", "d4", type_="arrest", country="FR", place="Paris",
                                          geonames_id=2988507, quote="Arrestatie in Parijs.")])]]
    with Store.open(":memory:") as duck, open_store(pg_url) as pg:
        for batch in batches:
            assert duck.add_documents(batch) == [] and pg.add_documents(batch) == []
        queries = [EventQuery(), EventQuery(type="attack"), EventQuery(country=("FR",)), EventQuery(text="parijs"),
                   EventQuery(actor="islamic"), EventQuery(bbox=(13.0, 52.0, 14.0, 53.0)), EventQuery(order="id"),
                   EventQuery(id_prefix="e"), EventQuery(order="fatalities", limit=2, offset=1)]
        for query in queries:
            assert pg.events_json(query) == duck.events_json(query), query
            assert list(pg.iter_events_json(query)) == duck.events_json(query), query
            assert pg.count_events(query) == duck.count_events(query), query
            assert pg.stats(query) == duck.stats(query), query
        assert [e.id for e in pg.events(EventQuery(order="id"))] == ["e1", "e3", "e4"]
        assert pg.document("d2")["event_ids"] == ["e1"] == duck.document("d2")["event_ids"]
        assert pg.document("d2") == duck.document("d2")
        by_id = sorted(pg.all_documents(), key=lambda d: d["doc_id"])   # what a server's index holds
        assert by_id == sorted(duck.all_documents(), key=lambda d: d["doc_id"])
        assert by_id == [duck.document(d["doc_id"], with_events=False) for d in by_id] and len(by_id) == 4
        assert pg.resolve_event_id("e2") == "e1" and pg.resolve_event_id("nope") is None
        assert pg.counts() == duck.counts() == {"documents": 4, "events": 3, "reports": 4, "rejects": 0}
        assert pg.add_documents(batches[0]) == []          # already stored: nothing changes
        assert pg.counts()["documents"] == 4


def test_the_servers_index_answers_as_the_postgres_store(pg_url):
    """serve/eventindex.py on PostgreSQL's columns (plain lists, ids for locators): PostgreSQL's own answers."""
    from test_event_index import QUERIES, _events
    from kroniek.serve.eventindex import EventIndex
    from kroniek.store.columns import event_columns

    with open_store(pg_url) as pg:
        with pg._connection() as conn, conn.transaction():
            pg._copy(conn, "events", [event_columns(e) for e in _events(150, seed=11)])
        index = EventIndex(pg.index_columns(), pg.document_events(), pg.records_at)   # records held, as served
        assert index.stored is not None
        for query in QUERIES:
            mask = index.mask(query, pg.event_ids)
            assert int(mask.sum()) == pg.count_events(query), query
            for order in ("date", "fatalities", "id"):
                paged = EventQuery(**{**{f: getattr(query, f) for f in query.__slots__}, "order": order,
                                      "offset": 3, "limit": 40})
                rows = index.page(mask, order, 3, 40)
                assert pg.records_at(index.located(rows)) == pg.events_json(paged), (query, order)
                assert bytes(index.joined_records(rows)).decode() == ",".join(pg.events_json(paged))
            assert index.stats(mask) == pg.stats(query), query


def test_follow_tables_behave_as_on_duckdb(pg_url):
    from datetime import datetime

    from test_store import _article, _record

    now = datetime(2024, 5, 1, 12, 0)
    results = []
    for store in (Store.open(":memory:"), open_store(pg_url)):
        with store:
            store.add_documents([(_article("d1"), [_record("e1", "d1")])])
            follow = store.follow_tables()
            out = [follow.add_feed("https://a.example/rss", "A", now), follow.add_feed("https://a.example/rss", "B", now),
                   follow.unseen("https://a.example/rss", ["k1", "k2"])]
            follow.mark_seen("https://a.example/rss", [("k1", "u1"), ("k1", "u1")], now)
            follow.save_validators("https://a.example/rss", "e1", None, now)
            follow.save_validators("https://a.example/rss", "e2", "yesterday", now)
            follow.feed_polled("https://a.example/rss", now, status="ok", added=2)
            out += [follow.unseen("https://a.example/rss", ["k1", "k2"]), follow.validators("https://a.example/rss"),
                    follow.feeds(), follow.documents_by_url(["u:d1", "u:none"])]
            alert = {"name": "berlin", "filters": {"country": ["DE"]}, "target_kind": "file", "target": "/tmp/x",
                     "updates": True}
            out += [follow.add_alert(alert, now), follow.add_alert(alert, now),
                    follow.mark_existing("berlin", "country = ?", ["DE"], now),
                    follow.pending("berlin", "country = ?", ["DE"], True)]
            follow.mark_fired("berlin", [{"id": "e1", "sources": [{}, {}], "fatalities": {"min": 20}}], now)
            follow.mark_fired("berlin", [{"id": "e1", "sources": [{}, {}], "fatalities": {"min": 20}}], now)
            out += [follow.alerts(), follow.remove_alert("berlin"), follow.remove_alert("berlin"),
                    follow.remove_feed("B"), follow.feeds()]
            results.append(out)
    assert results[1] == results[0]
    assert results[0][1] is False and results[0][-2] == "https://a.example/rss"


def test_the_seed_article_scores_as_on_duckdb(pg_url, shared_dir, tmp_path):
    gold = json.loads((shared_dir / "gold" / "seed.gold.json").read_text(encoding="utf-8"))
    seed = shared_dir / "examples" / "seed" / gold["document"]
    duck = str(tmp_path / "seed.duckdb")
    exported = {}
    for db in (duck, pg_url):
        kroniek("ingest", str(seed), "--db", db, "-q")
        out = tmp_path / ("pg.jsonl" if db == pg_url else "duck.jsonl")
        kroniek("export", "--db", db, "-o", str(out))
        exported[db] = out.read_bytes()
    assert exported[pg_url] == exported[duck]
    events = [json.loads(line) for line in exported[pg_url].decode("utf-8").splitlines()]
    score = score_document(gold, seed.read_text(encoding="utf-8"), events)
    assert score.found_required == score.required
    assert score.correct_asserted / score.asserted >= 0.8
    assert score.checks_ok / score.checks_total >= 0.8
    assert score.modality_errors == 0 and score.evidence_errors == 0
    tool = shared_dir / "tools" / "score_events.py"
    scored = subprocess.run([sys.executable, str(tool), str(tmp_path / "pg.jsonl"), "--gold",
                             str(shared_dir / "gold" / "seed.gold.json"), "--text", str(seed)],
                            capture_output=True, text=True)
    assert scored.returncode == 0, scored.stdout + scored.stderr


@pytest.mark.slow
def test_the_dutch_dev_articles_give_the_same_event_ids_on_both_stores(pg_url, shared_dir, tmp_path):
    lines = _dev_articles(shared_dir)
    assert len(lines) == 48
    articles = _write(tmp_path / "dev.jsonl", lines)
    duck = str(tmp_path / "dev.duckdb")
    kroniek("ingest", articles, "--db", duck, "-q")
    kroniek("ingest", articles, "--db", pg_url, "-q", "--batch-size", "7")
    out = {}
    for db in (duck, pg_url):
        kroniek("export", "--db", db, "-o", str(tmp_path / "out.jsonl"))
        out[db] = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    ids = sorted(json.loads(line)["id"] for line in out[duck].splitlines())
    assert len(ids) > 100
    assert sorted(json.loads(line)["id"] for line in out[pg_url].splitlines()) == ids
    assert out[pg_url] == out[duck]


# -- several processes at once ---------------------------------------------------------------------------------------
def test_two_writers_whose_batches_overlap_in_time_merge_into_one_event(pg_url):
    """The race the write lock prevents, made certain: writer 1 has stored its report but not committed (held at
    its last statement by a row lock this test takes), when writer 2 looks for candidates for a report of the same
    event. With the lock, writer 2 waits and then merges into writer 1's event; without it, it would see nothing
    and make a second event."""
    import threading

    from test_store import _article, _record

    with open_store(pg_url) as one, open_store(pg_url) as two, psycopg.connect(pg_url) as holder:
        holder.execute("SELECT value FROM meta WHERE key = 'data_version' FOR UPDATE")
        results: dict[str, list] = {}
        threads = [threading.Thread(target=lambda: results.__setitem__(
                       "one", one.add_documents([(_article("d1"), [_record("e1", "d1", fatalities=9)])]))),
                   threading.Thread(target=lambda: results.__setitem__(
                       "two", two.add_documents([(_article("d2"), [_record("e2", "d2", quote="An attack.")])])))]
        with psycopg.connect(pg_url, autocommit=True) as watcher:
            def wait_for(n: int) -> None:   # until n writers wait on a lock (a bounded number of looks)
                for _ in range(200_000):
                    if watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kroniek' "
                                       "AND wait_event_type = 'Lock'").fetchone()[0] >= n:
                        return
                holder.rollback()
                pytest.fail(f"fewer than {n} writers ever waited")
            threads[0].start()
            wait_for(1)      # writer 1 waits on the row: its report is written, not committed
            threads[1].start()
            wait_for(2)      # writer 2 waits too (on the write lock)
        holder.rollback()
        for thread in threads:
            thread.join()
        assert results == {"one": [], "two": []}
        events = one.events()
        assert [e.id for e in events] == ["e1"]
        assert [s.doc_id for s in events[0].sources] == ["d1", "d2"]


def _incident_lines() -> list[str]:
    """Five reports of one car bombing in Baghdad, in two languages (test_one_record: they are one event), and
    eight reports of other incidents that week (none merges)."""
    from test_one_record import INCIDENTS, ONE_INCIDENT

    rows = [(text, language, day) for text, language, day in ONE_INCIDENT]
    rows += [(text, "nl" if " zijn " in text else "en", day) for text, day in INCIDENTS]
    return [json.dumps({"text": text, "language": language, "published": day, "url": f"r:{i}",
                        "title": text[:40]}) for i, (text, language, day) in enumerate(rows)]


@pytest.mark.slow
def test_two_ingest_processes_at_once_lose_nothing_and_merge_as_one(pg_url, shared_dir, tmp_path):
    reports = _incident_lines()
    # the one incident's reports alternate between the two files; 4 documents are in both (stored once)
    lines = [reports[i] for i in (0, 5, 1, 6, 2, 7, 3, 8, 4, 9, 10, 11, 12)] + _dev_articles(shared_dir, 6)
    first, second = lines[0::2] + lines[1:8:2], lines[1::2]
    paths = [_write(tmp_path / "a.jsonl", first), _write(tmp_path / "b.jsonl", second)]
    procs = [subprocess.Popen([*KRONIEK, "ingest", path, "--db", pg_url, "-q", "--batch-size", "1"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for path in paths]
    outputs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    duck = str(tmp_path / "all.duckdb")
    kroniek("ingest", _write(tmp_path / "all.jsonl", lines), "--db", duck, "-q")
    with open_store(pg_url, read_only=True) as pg, open_store(duck, read_only=True) as dk:
        assert pg.counts()["documents"] == 19 == dk.counts()["documents"]
        assert pg.counts() == dk.counts()
        query = EventQuery(limit=10_000, order="id")
        assert pg.events_json(query) == dk.events_json(query)
        baghdad = [e for e in pg.events(query) if e.type in ("attack", "remote_violence", "killing")
                   and e.location and e.location.name == "Baghdad" and len(e.sources) > 1]
        assert len(baghdad) == 1
        assert sorted(s.url for s in baghdad[0].sources) == [f"r:{i}" for i in range(5)]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_serve_answers_while_ingest_and_events_run_on_the_same_database(pg_url, tmp_path):
    from conftest import EN_ATTACK, NL_ATTACK

    first = tmp_path / "keulen.txt"
    first.write_text(NL_ATTACK, encoding="utf-8")
    second = tmp_path / "lyon.txt"
    second.write_text(EN_ATTACK, encoding="utf-8")
    kroniek("ingest", str(first), "--db", pg_url, "-q", "--language", "nl", "--published", "2016-12-20")
    server, url = start_server(pg_url)
    try:
        before = _get(url + "/api/events")
        ids_before = {e["id"] for e in before["events"]}
        assert ids_before
        # A writer in the middle of a batch: it holds Kroniek's write lock and row locks on every event.
        with psycopg.connect(pg_url) as writer:
            writer.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            writer.execute("UPDATE events SET n_sources = n_sources")
            ingest = subprocess.Popen([*KRONIEK, "ingest", str(second), "--db", pg_url, "-q", "--language", "en",
                                       "--published", "2017-01-08"], cwd=REPO, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
            during = _get(url + "/api/events")                      # the server reads: never blocked
            listed = kroniek("events", "--db", pg_url, "--json")    # another process reads too
            assert {e["id"] for e in during["events"]} == ids_before
            assert {json.loads(line)["id"] for line in listed.stdout.splitlines()} == ids_before
            assert ingest.poll() is None                            # the second writer waits for the lock
            # read before the lock goes: the waiting ingest commits within milliseconds of it
            seen = _get(url + "/api/health")["generation"]
            writer.rollback()
        assert ingest.wait(timeout=600) == 0, ingest.communicate()
        ingest.communicate()
        # The server hears of the other process's commit (LISTEN/NOTIFY) a moment after it: its cache key changes.
        for _ in range(3_000):
            if _get(url + "/api/health")["generation"] != seen:
                break
            time.sleep(0.01)     # give the listening thread the CPU (a busy machine): up to 30 s in all
        else:
            pytest.fail("the server never saw the other process's write")
        after = _get(url + "/api/events")                           # the server's cache saw the other writer
        assert ids_before < {e["id"] for e in after["events"]}
    finally:
        stop_server(server)


# -- errors ---------------------------------------------------------------------------------------------------------
def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", [["events"], ["ingest", "-"], ["export", "-o", "-"], ["migrate"],
                                     ["feeds", "list"], ["analyse", "theatres", "--out", "out"]])
def test_an_unreachable_server_is_one_line_k230(command):
    url = f"postgresql://kroniek:secret@127.0.0.1:{_closed_port()}/kroniek"
    result = subprocess.run([*KRONIEK, *command, "--db", url], capture_output=True, text=True, cwd=REPO, input="")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "[K230]" in lines[0] and "Traceback" not in result.stderr, result.stderr
    assert "secret" not in result.stderr


def test_a_malformed_url_is_one_line_k231():
    result = subprocess.run([*KRONIEK, "events", "--db", "postgresql://u:pw@[::1/db"], capture_output=True,
                            text=True, cwd=REPO)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "[K231]" in result.stderr and "pw" not in result.stderr


def test_without_psycopg_a_postgres_url_says_which_extra_to_install():
    code = "import sys; sys.modules['psycopg'] = None; from kroniek.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code, "events", "--db", "postgresql://u@127.0.0.1/db"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "[K232]" in result.stderr and "kroniek[postgres]" in result.stderr


# -- text search folds case the same way in every store and locale -------------------------------------------------
def _c_locale_database(postgres_admin_url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        # a server set up with the plain C locale folds only ASCII letters in ILIKE and lower()
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
    return urlunsplit(urlsplit(postgres_admin_url)._replace(path="/" + name))


def test_text_and_actor_filters_fold_case_beyond_ascii_as_duckdb_does(postgres_admin_url):
    from test_store import _article, _record

    import psycopg

    url = _c_locale_database(postgres_admin_url, "kroniek_c_locale_search")
    batch = [(_article("d1"), [_record("e1", "d1", quote="Aanslag in MÜNCHEN op de Straße.", place="Munich",
                                       geonames_id=2867714)]),
             (_article("d2"), [_record("e2", "d2", day="2016-12-25", place="Hamburg", geonames_id=2911298,
                                       quote="Schietpartij bij de ÉCOLE in Hamburg.")])]
    try:
        with Store.open(":memory:") as duck, open_store(url) as pg:
            assert duck.add_documents(batch) == [] and pg.add_documents(batch) == []
            for text, expected in (("münchen", ["e1"]), ("MÜNCHEN", ["e1"]), ("München", ["e1"]),
                                   ("strasse", ["e1"]), ("école", ["e2"]), ("ÉCOLE", ["e2"]), ("aanslag", ["e1"])):
                query = EventQuery(text=text, order="id")
                assert [e.id for e in duck.events(query)] == expected, text
                assert [e.id for e in pg.events(query)] == expected, text
            assert [e.id for e in pg.events(EventQuery(actor="ISLAMIC STATE", order="id"))] == ["e1", "e2"]
    finally:
        with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "kroniek_c_locale_search" WITH (FORCE)')
