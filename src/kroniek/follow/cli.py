"""`kroniek feeds`, `kroniek watch` and `kroniek alerts`, and the URL options of `kroniek ingest`.

Only click is imported here at module level; httpx, feedparser and warcio load when a command needs them.
"""
from __future__ import annotations

import json
import re
import sys
import time
from datetime import datetime, timezone
from typing import Any, Callable

import click

__all__ = ["register", "web_options", "web_documents"]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _seconds(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    match = _DURATION.match(value)
    if not match or float(match.group(1)) <= 0:
        raise click.BadParameter(f"{value!r} is not a duration; use e.g. 90s, 15m, 2h, 1d")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]


_PRIVATE_HELP = ("Allow URLs on this machine or a private network (127.0.0.1, 10.x, 192.168.x, …). Off by "
                 "default: a feed item or redirect must not make Kroniek read your own network.")


def _settings(allow_private_hosts: bool, max_bytes: int | None = None):
    from ..ingest.fetch import FetchSettings

    return FetchSettings(allow_private_hosts=allow_private_hosts,
                         **({"max_bytes": max_bytes} if max_bytes is not None else {}))


def _note(line: str) -> None:
    click.echo(f"note: {line}", err=True)


# -- kroniek ingest URL / --urls ------------------------------------------------------------------------------
def web_options(function):
    """The options `kroniek ingest` gains for URLs."""
    function = click.option("--allow-private-hosts", is_flag=True, help=_PRIVATE_HELP)(function)
    function = click.option("--urls", "url_files", multiple=True, type=click.Path(dir_okay=False),
                            help="A file with one URL a line (pages, feeds or sitemaps); may be repeated.")(function)
    return function


def web_documents(paths: list[str], url_files: tuple[str, ...], allow_private_hosts: bool, max_bytes: int,
                  on_notice: Callable[[str], None] = _note):
    """Everything `kroniek ingest` reads: files and URLs in PATHS, then the URLs of each --urls file.

    Returns (documents, close): call close() when done (it ends the fetcher's connections).
    """
    from ..ingest.sources import read_sources
    from ..ingest.urlguard import is_url

    if not any(is_url(p) for p in paths) and not url_files:
        return read_sources(paths, max_bytes=max_bytes, on_notice=on_notice), lambda: None
    from ..ingest.web import WebReader, read_url_list

    reader = WebReader.default(_settings(allow_private_hosts, max_bytes), on_notice=on_notice)

    def documents():
        yield from read_sources(paths, max_bytes=max_bytes, web=reader, on_notice=on_notice)
        for path in url_files:
            yield from reader.read_many(read_url_list(path))

    return documents(), reader.close


# -- shared ---------------------------------------------------------------------------------------------------
def _db_option(function):
    return click.option("--db", "db_path", default="kroniek.duckdb", show_default=True,
                        type=click.Path(dir_okay=False), help="DuckDB database file, or a postgresql:// URL.")(function)


def _open(db_path: str, read_only: bool = False):
    from ..errors import KroniekError
    from ..store import open_store

    try:
        store = open_store(db_path, read_only=read_only)
    except KroniekError as exc:
        if "[K201]" in str(exc):
            raise click.ClickException(
                f"{db_path} is held by another process (a running `kroniek serve`?) [K201]: feeds and alerts need "
                "the database for themselves; stop that process for `kroniek watch`, or run "
                "`kroniek watch --once` from cron while it is stopped") from exc
        raise click.ClickException(str(exc)) from exc
    return store, store.follow_tables()


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "never"


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# -- kroniek feeds ------------------------------------------------------------------------------------------
@click.group("feeds")
def feeds_group() -> None:
    """The feeds (RSS, Atom, sitemaps) that `kroniek watch` polls.

    \b
    Example:
        kroniek feeds add https://www.nu.nl/rss/Algemeen --name nu.nl
        kroniek feeds list
    """


@feeds_group.command("add")
@click.argument("url")
@click.option("--name", help="A short name to show and to remove it by.")
@_db_option
def feeds_add(url: str, name: str | None, db_path: str) -> None:
    """Follow a feed or sitemap; nothing is fetched until `kroniek watch`.

    \b
    Example:
        kroniek feeds add https://feeds.bbci.co.uk/news/world/rss.xml --name bbc-world
    """
    from ..ingest.urlguard import is_url

    if not is_url(url):
        raise click.ClickException(f"{url!r} is not an http(s) URL [K302]")
    store, follow = _open(db_path)
    with store:
        added = follow.add_feed(url.strip(), name, _now())
    click.echo(f"{'following' if added else 'already following'} {name or url}"
               + ("" if added else (f" (named {name} now)" if name else "")))


@feeds_group.command("list")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed.")
def feeds_list(db_path: str, as_json: bool) -> None:
    """The followed feeds, their last fetch and their errors.

    \b
    Example:
        kroniek feeds list --db news.duckdb
    """
    store, follow = _open(db_path, read_only=True)
    with store:
        feeds = follow.feeds()
    if as_json:
        for feed in feeds:
            click.echo(json.dumps(feed, default=_json_default, ensure_ascii=False))
        return
    if not feeds:
        click.echo("no feeds; add one with `kroniek feeds add URL`", err=True)
        return
    for feed in feeds:
        status = feed["last_status"] or "not fetched yet"
        click.echo(f"{feed['name'] or '–'}  {feed['url']}")
        click.echo(f"    last fetch {_when(feed['last_fetch_at'])} · {status} · {feed['items_added'] or 0} articles "
                   "added" + (f" · error: {feed['last_error']}" if feed["last_error"] else "")
                   + (f" · retry after {_when(feed['retry_at'])}" if feed["retry_at"] else ""))


@feeds_group.command("remove")
@click.argument("url_or_name")
@_db_option
def feeds_remove(url_or_name: str, db_path: str) -> None:
    """Stop following a feed (by URL or name); its stored articles stay.

    \b
    Example:
        kroniek feeds remove bbc-world
    """
    store, follow = _open(db_path)
    with store:
        url = follow.remove_feed(url_or_name)
    if url is None:
        raise click.ClickException(f"no single feed {url_or_name!r}; see `kroniek feeds list`")
    click.echo(f"no longer following {url}")


# -- kroniek watch ------------------------------------------------------------------------------------------
@click.command("watch")
@_db_option
@click.option("--once", is_flag=True, help="One pass over the feeds, then stop (for cron).")
@click.option("--interval", default="15m", show_default=True, callback=_seconds,
              help="Time between passes: 90s, 15m, 2h, 1d. A failing feed waits this long, doubled per failure.")
@click.option("--allow-private-hosts", is_flag=True, help=_PRIVATE_HELP)
@click.option("--learned-roles", is_flag=True, help="Add the learned MUC-4 role model's roles (English; slower).")
def watch_command(db_path: str, once: bool, interval: float, allow_private_hosts: bool, learned_roles: bool) -> None:
    """Poll every followed feed, store the articles not seen before, and fire the alerts.

    Each pass prints one line per feed and one per article added. Only new items are fetched; a feed that
    has not changed answers 304 and costs nothing. A failing feed backs off without stopping the others.
    Stop it with Ctrl-C.

    \b
    Example:
        kroniek watch --db news.duckdb --interval 15m
        kroniek watch --db news.duckdb --once        # from cron
    """
    from ..follow.alerts import run_alerts
    from ..follow.watch import poll_feeds
    from ..ingest.fetch import Fetcher
    from ..ingest.web import WebReader

    reader = WebReader(Fetcher(_settings(allow_private_hosts)), on_notice=_note)
    fetchers: dict[bool, Any] = {allow_private_hosts: reader.fetcher}

    def post_json_for(allow_private: bool):
        allow = allow_private or allow_private_hosts
        if allow not in fetchers:
            fetchers[allow] = Fetcher(_settings(allow))
        return fetchers[allow].post_json

    store, follow = _open(db_path)
    try:
        with store:
            if not follow.feeds() and not follow.alerts():
                click.echo("no feeds to watch; add one with `kroniek feeds add URL`", err=True)
            while True:
                now = _now()
                click.echo(f"-- {now:%Y-%m-%d %H:%M:%S} UTC")
                report = poll_feeds(store, follow, reader, now=now, on_line=click.echo, backoff_s=interval,
                                    learned_roles=learned_roles)
                run_alerts(follow, now, on_line=click.echo, post_json_for=post_json_for)
                click.echo(f"-- {report.documents} articles stored, {report.events} events from {report.polled} "
                           f"feeds ({report.unchanged} unchanged, {report.failed} failed, "
                           f"{report.backing_off} backing off)")
                sys.stdout.flush()
                if once:
                    break
                time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        for fetcher in fetchers.values():
            fetcher.close()


# -- kroniek alerts -----------------------------------------------------------------------------------------
@click.group("alerts")
def alerts_group() -> None:
    """Saved queries that report new events to a file, a webhook or an e-mail address.

    \b
    Example:
        kroniek alerts add attacks-de --type attack,remote_violence --country DE --to-file alerts.jsonl
        kroniek alerts list
    """


def _alerts_add(query_options: Callable) -> click.Command:
    @alerts_group.command("add")
    @click.argument("name")
    @_db_option
    @query_options
    @click.option("--to-file", "to_file", type=click.Path(dir_okay=False), help="Append one JSON line per event.")
    @click.option("--webhook", help="POST each event's JSON line to this URL.")
    @click.option("--email", help="E-mail the events of each pass to this address (SMTP from the environment).")
    @click.option("--updates", is_flag=True, help="Also report an event again when it grows (a new source, a "
                                                  "higher toll).")
    @click.option("--include-existing", is_flag=True, help="Report the events already stored too (by default "
                                                           "only events that arrive later).")
    @click.option("--allow-private-hosts", is_flag=True, help="Let the webhook be on this machine or a private "
                                                              "network.")
    def alerts_add(name: str, db_path: str, to_file: str | None, webhook: str | None, email: str | None,
                   updates: bool, include_existing: bool, allow_private_hosts: bool, **filters: Any) -> None:
        """Save a query: every event it matches from now on is reported once to the target.

        Filters are those of `kroniek events`; a list-valued one (--type, --subtype, --modality, --country,
        --actor, --text) takes comma-separated values, any of which matches. E-mail uses KRONIEK_SMTP_HOST,
        KRONIEK_SMTP_PORT, KRONIEK_SMTP_TLS (starttls, ssl, none), KRONIEK_SMTP_USER, KRONIEK_SMTP_PASSWORD
        and KRONIEK_SMTP_FROM. Alerts fire at the end of each `kroniek watch` pass.

        \b
        Example:
            kroniek alerts add attacks --type attack,remote_violence --country DE,FR --to-file attacks.jsonl
            kroniek alerts add claims --type claim --webhook https://hooks.example.org/kroniek
        """
        from ..follow.alerts import alert_where, normalise_filters

        targets = [(kind, value) for kind, value in (("file", to_file), ("webhook", webhook), ("email", email))
                   if value]
        if len(targets) != 1:
            raise click.UsageError("give exactly one target: --to-file PATH, --webhook URL or --email ADDRESS")
        kind, target = targets[0]
        if kind == "webhook":
            from ..errors import FetchError
            from ..ingest.urlguard import check_url
            try:
                check_url(target, allow_private=allow_private_hosts)
            except FetchError as exc:
                raise click.ClickException(str(exc)) from exc
        if kind == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+", target):
            raise click.BadParameter(f"{target!r} is not an e-mail address", param_hint="--email")
        renamed = {"event_type": "type"}
        try:
            stored_filters = normalise_filters({renamed.get(k, k): v for k, v in filters.items()})
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        alert = {"name": name, "filters": stored_filters, "target_kind": kind, "target": target,
                 "updates": updates, "allow_private_hosts": allow_private_hosts}
        store, follow = _open(db_path)
        with store:
            now = _now()
            if not follow.add_alert(alert, now):
                raise click.ClickException(f"an alert named {name!r} exists; remove it first "
                                           f"(`kroniek alerts remove {name}`)")
            existing = 0 if include_existing else follow.mark_existing(name, *alert_where(stored_filters), now)
        click.echo(f"alert {name} saved → {kind} {target}" + (f" ({existing} events already stored are not "
                                                               "reported)" if existing else ""))

    return alerts_add


@alerts_group.command("list")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert.")
def alerts_list(db_path: str, as_json: bool) -> None:
    """The saved alerts, their filters, targets and how many events each reported.

    \b
    Example:
        kroniek alerts list --db news.duckdb
    """
    from ..follow.alerts import describe_filters

    store, follow = _open(db_path, read_only=True)
    with store:
        alerts = follow.alerts()
    if as_json:
        for alert in alerts:
            click.echo(json.dumps(alert, default=_json_default, ensure_ascii=False))
        return
    if not alerts:
        click.echo("no alerts; add one with `kroniek alerts add NAME --type attack --to-file alerts.jsonl`", err=True)
    for alert in alerts:
        click.echo(f"{alert['name']}  {describe_filters(alert['filters'])}  → {alert['target_kind']} "
                   f"{alert['target']}  ({alert['fired']} reported{', with updates' if alert['updates'] else ''})")


@alerts_group.command("remove")
@click.argument("name")
@_db_option
def alerts_remove(name: str, db_path: str) -> None:
    """Delete a saved alert.

    \b
    Example:
        kroniek alerts remove attacks
    """
    store, follow = _open(db_path)
    with store:
        removed = follow.remove_alert(name)
    if not removed:
        raise click.ClickException(f"no alert {name!r}; see `kroniek alerts list`")
    click.echo(f"alert {name} removed")


@alerts_group.command("test")
@click.argument("name")
@_db_option
def alerts_test(name: str, db_path: str) -> None:
    """Send the newest matching event (or a sample) to the alert's target, to check that it arrives.

    Nothing is marked as reported.

    \b
    Example:
        kroniek alerts test attacks
    """
    from ..follow.alerts import DeliveryError, alert_line, alert_where, deliver
    from ..ingest.fetch import Fetcher

    store, follow = _open(db_path, read_only=True)
    with store:
        alert = follow.alert(name)
        if alert is None:
            raise click.ClickException(f"no alert {name!r}; see `kroniek alerts list`")
        where, params = alert_where(alert["filters"])
        rows = store.cursor().execute(f"SELECT record FROM events WHERE {where} ORDER BY date_start DESC NULLS LAST, "
                                      "event_id LIMIT 1", params).fetchall()
    record = json.loads(rows[0][0]) if rows else {
        "id": "evt_test", "type": (alert["filters"].get("type") or ["attack"])[0], "date": None, "location": None,
        "evidence": [{"quote": "A test of a Kroniek alert: no event.", "field": None}], "sources": []}
    line = {**alert_line(name, record, "test")}
    with Fetcher(_settings(bool(alert["allow_private_hosts"]))) as fetcher:
        try:
            deliver(alert, [line], post_json=fetcher.post_json)
        except DeliveryError as exc:
            raise click.ClickException(f"alert {name}: {exc}") from exc
    click.echo(f"alert {name}: test event {record['id']} sent → {alert['target_kind']} {alert['target']}")


def register(main: click.Group, query_options: Callable) -> None:
    """Add feeds, watch and alerts to the `kroniek` command (``query_options``: the filters of `events`)."""
    _alerts_add(query_options)
    main.add_command(feeds_group)
    main.add_command(watch_command)
    main.add_command(alerts_group)
