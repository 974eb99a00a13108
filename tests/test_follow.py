"""Following feeds and alerts: `kroniek feeds`, `kroniek watch`, `kroniek alerts`, against a local site.

The site's request log says what each pass fetched; the alert file says what fired. Passes are given their
time (``now``) so that back-off is tested without waiting.
"""
from __future__ import annotations

import json
import socket
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from kroniek.cli import main
from kroniek.follow.alerts import alert_line, alert_where, normalise_filters, run_alerts, split_values
from kroniek.follow.watch import poll_feeds
from kroniek.ingest.fetch import Fetcher, FetchSettings
from kroniek.ingest.web import WebReader
from kroniek.store import Store
from kroniek.store.follow import FollowTables
from local_site import EN_PAGE, EN_PAGE_2, NL_PAGE, Answer, LocalSite, article_html, rss

T0 = datetime(2024, 5, 1, 12, 0)


def _run(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site():
    with LocalSite() as running:
        running.page("/nl/kerstmarkt", article_html(*NL_PAGE, published="2016-12-20"))
        running.page("/en/lyon", article_html(*EN_PAGE, published="2016-10-02"))
        running.page("/en/mosul", article_html(*EN_PAGE_2, published="2016-11-01"))
        yield running


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_feeds_add_list_remove_fetch_nothing(site, tmp_path):
    db = str(tmp_path / "k.duckdb")
    assert _run("feeds", "add", f"{site.url}/feed.xml", "--name", "test-news", "--db", db)[1] == \
        "following test-news\n"
    assert "already following" in _run("feeds", "add", f"{site.url}/feed.xml", "--db", db)[1]
    code, out, _ = _run("feeds", "list", "--db", db)
    assert f"test-news  {site.url}/feed.xml" in out and "last fetch never · not fetched yet" in out
    code, out, _ = _run("feeds", "list", "--json", "--db", db)
    assert json.loads(out)["url"] == f"{site.url}/feed.xml"
    assert _run("feeds", "add", "ftp://x/feed", "--db", db)[0] == 1
    assert _run("feeds", "remove", "test-news", "--db", db)[1] == f"no longer following {site.url}/feed.xml\n"
    assert _run("feeds", "remove", "test-news", "--db", db)[0] == 1
    assert site.log == []


def test_watch_twice_fetches_only_the_new_page_and_alerts_fire_once(site, tmp_path):
    """The issue's "done when": feeds add, alerts add, watch --once, one new item, watch --once."""
    items = [("nl-1", f"{site.url}/nl/kerstmarkt", None), ("en-1", f"{site.url}/en/lyon", None)]
    site.routes["/feed.xml"] = lambda request, count: Answer(
        200, rss("Test News", items).encode(), {"Content-Type": "application/rss+xml"})
    db, alerts = str(tmp_path / "k.duckdb"), tmp_path / "alerts.jsonl"
    assert _run("feeds", "add", f"{site.url}/feed.xml", "--name", "test", "--db", db)[0] == 0
    assert _run("alerts", "add", "attacks", "--type", "attack", "--to-file", str(alerts), "--db", db)[0] == 0

    code, out, err = _run("watch", "--once", "--allow-private-hosts", "--db", db)
    assert code == 0, err
    paths = site.paths()   # the feed first; its pages are fetched side by side, in any order
    assert paths[0] == "/feed.xml" and sorted(paths[1:]) == ["/en/lyon", "/nl/kerstmarkt"]
    assert f"+ Aanslag op kerstmarkt in Keulen <{site.url}/nl/kerstmarkt>" in out
    assert "test: 2 items, 2 new, 2 articles stored" in out
    first = _lines(alerts)
    assert sorted((a["place"], a["type"]) for a in first) == [("Cologne", "attack"), ("Lyon", "attack")]
    assert all(a["alert"] == "attacks" and a["kind"] == "new" and a["event_id"].startswith("evt_") for a in first)
    cologne = next(a for a in first if a["place"] == "Cologne")
    assert cologne["sources"] == [f"{site.url}/nl/kerstmarkt"] and cologne["date"] == "2016-12-19"
    assert "kerstmarkt in Keulen" in cologne["evidence"]

    site.clear_log()
    items.append(("en-2", f"{site.url}/en/mosul", None))
    code, out, err = _run("watch", "--once", "--allow-private-hosts", "--db", db)
    assert code == 0, err
    assert site.paths() == ["/feed.xml", "/en/mosul"]          # the old pages are not asked for again
    assert "test: 3 items, 1 new, 1 articles stored" in out
    second = _lines(alerts)[len(first):]
    assert [(a["place"], a["type"], a["sources"]) for a in second] == [("Mosul", "attack", [f"{site.url}/en/mosul"])]
    ids = [a["event_id"] for a in _lines(alerts)]
    assert len(ids) == len(set(ids))

    site.clear_log()
    code, out, _ = _run("watch", "--once", "--allow-private-hosts", "--db", db)
    assert site.paths() == ["/feed.xml"] and "test: 3 items, 0 new" in out
    assert len(_lines(alerts)) == 3


def test_an_unchanged_feed_answers_304_and_nothing_else_is_fetched(site, tmp_path):
    body = rss("Test News", [("nl-1", f"{site.url}/nl/kerstmarkt", None)]).encode()
    site.routes["/feed.xml"] = lambda request, count: Answer(304, headers={"ETag": '"a"'}) \
        if request.headers.get("if-none-match") == '"a"' else Answer(200, body, {"ETag": '"a"'})
    db = str(tmp_path / "k.duckdb")
    _run("feeds", "add", f"{site.url}/feed.xml", "--db", db)
    _run("watch", "--once", "--allow-private-hosts", "--db", db)
    site.clear_log()
    code, out, _ = _run("watch", "--once", "--allow-private-hosts", "--db", db)
    assert "unchanged" in out and site.paths() == ["/feed.xml"]
    assert site.log[-1].headers["if-none-match"] == '"a"'


def _pass(store, follow, site, now, **settings):
    reader = WebReader(Fetcher(FetchSettings(allow_private_hosts=True, host_delay_s=0, backoff_s=0, retries=0,
                                             **settings)))
    lines: list[str] = []
    with reader.fetcher:
        report = poll_feeds(store, follow, reader, now=now, on_line=lines.append, backoff_s=600)
    return report, lines


def test_a_failing_feed_backs_off_and_the_others_go_on(site, tmp_path):
    site.routes["/down.xml"] = Answer(500)
    site.xml("/feed.xml", rss("Good", [("nl-1", f"{site.url}/nl/kerstmarkt", None)]))
    with Store.open(tmp_path / "k.duckdb") as store:
        follow = FollowTables(store.cursor())
        follow.add_feed(f"{site.url}/down.xml", "down", T0)
        follow.add_feed(f"{site.url}/feed.xml", "good", T0)
        report, lines = _pass(store, follow, site, T0)
        assert (report.polled, report.failed, report.documents) == (2, 1, 1)
        assert f"down: {site.url}/down.xml: HTTP 500 Internal Server Error from 127.0.0.1 [K304]; " \
               "trying again in 10 min" in lines
        site.clear_log()
        report, lines = _pass(store, follow, site, T0 + timedelta(minutes=5))   # still backing off
        assert site.paths() == ["/feed.xml"] and report.backing_off == 1
        site.clear_log()
        report, lines = _pass(store, follow, site, T0 + timedelta(minutes=11))  # retried; fails again
        assert site.paths() == ["/down.xml", "/feed.xml"]
        assert any("trying again in 20 min" in line for line in lines)          # the back-off doubled
        down = next(f for f in follow.feeds() if f["name"] == "down")
        assert (down["failures"], down["last_status"], down["retry_at"]) == \
            (2, "failed", T0 + timedelta(minutes=31))
        assert down["last_error"] == "HTTP 500 Internal Server Error from 127.0.0.1 [K304]"
        site.routes["/down.xml"] = Answer(200, rss("Back", []).encode(), {"Content-Type": "application/rss+xml"})
        _pass(store, follow, site, T0 + timedelta(minutes=31))
        down = next(f for f in follow.feeds() if f["name"] == "down")
        assert (down["failures"], down["last_status"], down["retry_at"]) == (0, "ok", None)


def test_an_item_that_failed_for_a_passing_reason_is_fetched_again(site, tmp_path):
    asked = []
    site.routes["/flaky"] = lambda request, count: Answer(503) if not asked.append(1) and len(asked) == 1 else \
        Answer(200, article_html(*EN_PAGE_2, published="2016-11-01").encode(), {"Content-Type": "text/html"})
    site.routes["/gone"] = Answer(404)
    site.xml("/feed.xml", rss("News", [("f", f"{site.url}/flaky", None), ("g", f"{site.url}/gone", None)]))
    with Store.open(tmp_path / "k.duckdb") as store:
        follow = FollowTables(store.cursor())
        follow.add_feed(f"{site.url}/feed.xml", None, T0)
        report, lines = _pass(store, follow, site, T0)
        assert report.documents == 0 and any("1 to retry" in line for line in lines)
        site.clear_log()
        report, _ = _pass(store, follow, site, T0 + timedelta(minutes=15))
        assert site.paths() == ["/feed.xml", "/flaky"] and report.documents == 1   # a 404 is not asked again


def _store_with_events(tmp_path, site):
    site.xml("/feed.xml", rss("News", [("nl-1", f"{site.url}/nl/kerstmarkt", None),
                                       ("en-1", f"{site.url}/en/lyon", None)]))
    store = Store.open(tmp_path / "k.duckdb")
    follow = FollowTables(store.cursor())
    follow.add_feed(f"{site.url}/feed.xml", None, T0)
    return store, follow


def test_list_valued_filters_take_comma_separated_values():
    assert split_values("attack, remote_violence,,attack") == ["attack", "remote_violence"]
    assert split_values(("attack,claim", "arrest")) == ["attack", "claim", "arrest"]
    assert normalise_filters({"type": "attack,claim", "country": "de, fr", "since": None, "text": ""}) == \
        {"type": ["attack", "claim"], "country": ["DE", "FR"]}
    where, params = alert_where({"type": ["attack", "claim"], "country": ["DE"]})
    assert where.count(" OR ") == 1 and params == ["attack", "DE", "claim", "DE"]
    with pytest.raises(ValueError):
        normalise_filters({"text": ",".join(str(n) for n in range(600))})


def test_alert_filters_and_targets_file_and_webhook(site, tmp_path):
    hooked = []
    site.routes["/hook"] = lambda request, count: (hooked.append(json.loads(request.body)), Answer(204))[1]
    store, follow = _store_with_events(tmp_path, site)
    with store:
        out_file = tmp_path / "claims.jsonl"
        follow.add_alert({"name": "claims-or-arrests", "filters": {"type": ["claim", "arrest"]},
                          "target_kind": "file", "target": str(out_file), "updates": False}, T0)
        follow.add_alert({"name": "hook", "filters": {"country": ["DE"]}, "target_kind": "webhook",
                          "target": f"{site.url}/hook", "updates": False, "allow_private_hosts": True}, T0)
        _pass(store, follow, site, T0)
        lines: list[str] = []
        fetcher = Fetcher(FetchSettings(allow_private_hosts=True, host_delay_s=0, retries=0))
        with fetcher:
            fired = run_alerts(follow, T0, on_line=lines.append, post_json_for=lambda allow: fetcher.post_json)
            again = run_alerts(follow, T0, on_line=lines.append, post_json_for=lambda allow: fetcher.post_json)
        assert again == 0 and fired == len(_lines(out_file)) + len(hooked)
        assert {a["type"] for a in _lines(out_file)} == {"claim", "arrest"}
        assert {(a["alert"], a["country"]) for a in hooked} == {("hook", "DE")}
        assert f"alert hook: {len(hooked)} new → {site.url}/hook" in lines


def test_a_target_that_fails_gets_the_events_when_it_is_back(site, tmp_path):
    site.routes["/hook"] = Answer(503)
    store, follow = _store_with_events(tmp_path, site)
    with store:
        follow.add_alert({"name": "hook", "filters": {"type": ["attack"]}, "target_kind": "webhook",
                          "target": f"{site.url}/hook", "updates": False, "allow_private_hosts": True}, T0)
        _pass(store, follow, site, T0)
        lines: list[str] = []
        fetcher = Fetcher(FetchSettings(allow_private_hosts=True, host_delay_s=0, retries=0))
        with fetcher:
            assert run_alerts(follow, T0, on_line=lines.append, post_json_for=lambda a: fetcher.post_json) == 0
            assert any(line.startswith(f"alert hook: not delivered to {site.url}/hook: HTTP 503") and
                       line.endswith("[K313]") for line in lines)
            site.routes["/hook"] = Answer(200)
            assert run_alerts(follow, T0, on_line=lines.append, post_json_for=lambda a: fetcher.post_json) == 2


def test_a_webhook_to_a_private_address_is_refused_unless_allowed(site, tmp_path):
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("alerts", "add", "x", "--webhook", f"{site.url}/hook", "--db", db)
    assert code == 1 and "[K301]" in err
    code, out, err = _run("alerts", "add", "x", "--webhook", f"{site.url}/hook", "--allow-private-hosts",
                          "--db", db)
    assert code == 0 and site.log == []


def test_updates_fire_only_when_asked_and_only_when_the_event_grew(tmp_path):
    record = {"id": "evt_1", "type": "attack", "modality": "asserted",
              "date": {"start": "2016-12-19", "end": "2016-12-19"}, "location": {"name": "Berlin", "country": "DE"},
              "fatalities": {"min": 9}, "injuries": None, "evidence": [], "sources": [{"doc_id": "d1", "url": "u1"}]}
    with Store.open(tmp_path / "k.duckdb") as store:
        follow = FollowTables(store.cursor())
        for name, updates in (("plain", False), ("growing", True)):
            follow.add_alert({"name": name, "filters": {"type": ["attack"]}, "target_kind": "file",
                              "target": str(tmp_path / f"{name}.jsonl"), "updates": updates}, T0)
        db = store.cursor()

        def put(rec):
            db.execute("DELETE FROM events WHERE event_id = ?", [rec["id"]])
            db.execute("INSERT INTO events (event_id, type, modality, date_start, date_end, country, location_name, "
                       "fatalities_min, actor_names, search_text, n_sources, record) VALUES (?, 'attack', 'asserted', "
                       "DATE '2016-12-19', DATE '2016-12-19', 'DE', 'Berlin', ?, '', '', ?, ?)",
                       [rec["id"], rec["fatalities"]["min"], len(rec["sources"]), json.dumps(rec)])

        put(record)
        run_alerts(follow, T0, on_line=lambda line: None)
        put(record)                                                      # the same again: nothing
        run_alerts(follow, T0, on_line=lambda line: None)
        grown = {**record, "fatalities": {"min": 12},
                 "sources": record["sources"] + [{"doc_id": "d2", "url": "u2"}]}
        put(grown)
        run_alerts(follow, T0, on_line=lambda line: None)
        run_alerts(follow, T0, on_line=lambda line: None)
        plain, growing = _lines(tmp_path / "plain.jsonl"), _lines(tmp_path / "growing.jsonl")
        assert [(a["kind"], a["fatalities"]) for a in plain] == [("new", 9)]
        assert [(a["kind"], a["fatalities"], a["sources"]) for a in growing] == [
            ("new", 9, ["u1"]), ("update", 12, ["u1", "u2"])]


def test_alerts_add_does_not_report_events_already_stored_unless_asked(site, tmp_path):
    store, follow = _store_with_events(tmp_path, site)
    with store:
        _pass(store, follow, site, T0)
    db = str(tmp_path / "k.duckdb")
    old, every = tmp_path / "old.jsonl", tmp_path / "every.jsonl"
    code, out, _ = _run("alerts", "add", "later", "--type", "attack,claim", "--to-file", str(old), "--db", db)
    assert code == 0 and "events already stored are not reported" in out
    assert _run("alerts", "add", "all", "--type", "attack", "--country", "DE,FR", "--to-file", str(every),
                "--include-existing", "--db", db)[0] == 0
    code, out, _ = _run("alerts", "list", "--db", db)
    assert "all  --type attack --country DE,FR  → file" in out and "later  --type attack,claim" in out
    site.clear_log()
    _run("watch", "--once", "--allow-private-hosts", "--db", db)
    assert _lines(old) == []
    assert sorted(a["country"] for a in _lines(every)) == ["DE", "FR"]


def test_alerts_test_sends_without_marking_and_remove(site, tmp_path):
    db = str(tmp_path / "k.duckdb")
    target = tmp_path / "t.jsonl"
    _run("alerts", "add", "t", "--type", "attack", "--to-file", str(target), "--db", db)
    code, out, _ = _run("alerts", "test", "t", "--db", db)
    assert code == 0 and "test event evt_test sent" in out
    assert [(a["alert"], a["kind"]) for a in _lines(target)] == [("t", "test")]
    assert _run("alerts", "remove", "t", "--db", db)[1] == "alert t removed\n"
    assert _run("alerts", "test", "t", "--db", db)[0] == 1
    assert _run("alerts", "add", "u", "--to-file", "a", "--email", "b@c.d", "--db", db)[0] == 2


def test_email_alerts_reach_a_real_smtp_server(site, tmp_path):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode("utf-8")))
            return "250 OK"

    with socket.socket() as probe:          # a free port (the controller checks its port by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = {"KRONIEK_SMTP_HOST": "127.0.0.1", "KRONIEK_SMTP_PORT": str(port),
               "KRONIEK_SMTP_FROM": "kroniek@example.org"}
        site.xml("/feed.xml", rss("News", [("nl-1", f"{site.url}/nl/kerstmarkt", None)]))
        db = str(tmp_path / "k.duckdb")
        _run("feeds", "add", f"{site.url}/feed.xml", "--db", db)
        assert _run("alerts", "add", "mail", "--country", "DE", "--email", "analyst@example.org", "--db", db)[0] == 0
        code, out, err = _run("watch", "--once", "--allow-private-hosts", "--db", db, env=env)
        assert code == 0, err
        assert "alert mail: " in out and "→ analyst@example.org" in out
        (sender, recipients, content), = received
        assert (sender, recipients) == ("kroniek@example.org", ["analyst@example.org"])
        assert "Subject: Kroniek alert mail:" in content and f"{site.url}/nl/kerstmarkt" in content
        code, out, err = _run("watch", "--once", "--allow-private-hosts", "--db", db, env=env)
        assert len(received) == 1                                   # nothing new: no second message
        code, out, err = _run("alerts", "test", "mail", "--db", db, env={"KRONIEK_SMTP_HOST": ""})
        assert code == 1 and "KRONIEK_SMTP_HOST is not set" in err and "[K313]" in err
    finally:
        controller.stop()


def test_alert_line_shape():
    record = {"id": "evt_x", "type": "attack", "subtype": "vehicle_ramming", "modality": "asserted",
              "date": {"start": "2016-12-19", "end": "2016-12-19"}, "location": {"name": "Berlin", "country": "DE"},
              "fatalities": {"min": 12}, "injuries": {"min": 48},
              "evidence": [{"quote": "Twelve were killed.", "field": "fatalities"},
                           {"quote": "A truck drove into a market.", "field": None}],
              "sources": [{"url": "https://a.example/1"}, {"url": None}]}
    assert alert_line("berlin", record) == {
        "alert": "berlin", "kind": "new", "event_id": "evt_x", "type": "attack", "subtype": "vehicle_ramming",
        "modality": "asserted", "date": "2016-12-19", "date_end": "2016-12-19", "place": "Berlin", "country": "DE",
        "fatalities": 12, "injuries": 48, "evidence": "A truck drove into a market.",
        "sources": ["https://a.example/1"]}


def test_an_event_whose_id_a_merge_changed_does_not_fire_again(tmp_path):
    """Bug: alerts matched events by id, and a later report with a smaller id renames its event (the id is the
    smallest report's), so the merged event fired a second time as new."""
    from kroniek.datafiles import data_path
    from kroniek.ingest.sources import read_sources
    from kroniek.pipeline import ingest_into

    english = str(data_path("demo", "2016-12-23_berlin_suspect_killed_en.txt"))   # its Berlin report: evt_6a95…
    dutch = str(data_path("demo", "2016-12-21_berlijn_kerstmarkt_nl.txt"))       # its Berlin report: evt_3910…
    with Store.open(tmp_path / "k.duckdb") as store:
        follow = FollowTables(store.cursor())
        for name, updates in (("plain", False), ("growing", True)):
            follow.add_alert({"name": name, "filters": {"type": ["attack"], "country": ["DE"]},
                              "target_kind": "file", "target": str(tmp_path / f"{name}.jsonl"),
                              "updates": updates}, T0)
        ingest_into(store, read_sources([english]))
        run_alerts(follow, T0, on_line=lambda line: None)
        ingest_into(store, read_sources([dutch]))
        run_alerts(follow, T0, on_line=lambda line: None)
        plain, growing = _lines(tmp_path / "plain.jsonl"), _lines(tmp_path / "growing.jsonl")
    assert [(a["kind"], a["event_id"]) for a in plain] == [("new", "evt_6a955a8c88b2d5b6")]
    assert [(a["kind"], a["event_id"], len(a["sources"])) for a in growing] == [
        ("new", "evt_6a955a8c88b2d5b6", 1), ("update", "evt_3910cfb2cfb3cb95", 2)]
