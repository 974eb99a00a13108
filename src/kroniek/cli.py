"""The `kroniek` command: ingest articles, query and export events, evaluate, serve the dashboard.

Every user mistake ends in one line that says what to do, and a meaningful exit code:
0 success, 1 nothing could be done (e.g. no document ingested), 2 wrong usage.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import click

from . import __version__
from .errors import KroniekError
from .follow.cli import register as register_follow_commands, web_documents, web_options

DEFAULT_DB = "kroniek.duckdb"


def _db_option(default: str = DEFAULT_DB):
    return click.option("--db", "db_path", default=default, show_default=True, type=click.Path(dir_okay=False),
                        help="DuckDB database file.")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _open_store(db_path: str, read_only: bool):
    from .store import Store

    try:
        return Store.open(db_path, read_only=read_only)
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kroniek")
def main() -> None:
    """Kroniek: news in, evidence-backed events of political violence out (Dutch and English).

    \b
    Example:
        kroniek demo --no-serve
        kroniek ingest articles/ --db news.duckdb
        kroniek events --db news.duckdb --type attack --country DE
    """


# -- ingest ---------------------------------------------------------------------------------------------------------
class _Progress:
    """A one-line progress display on standard error: documents, events, rejects (redrawn per batch on a TTY)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, report) -> None:
        if self.enabled:
            click.echo(f"\r  documents {report.documents:,} · events {report.events:,} · "
                       f"skipped {report.skipped:,} · rejected {len(report.rejects):,}", err=True, nl=False)

    def done(self) -> None:
        if self.enabled:
            click.echo("", err=True)


@main.command()
@click.argument("paths", nargs=-1)
@_db_option()
@click.option("--max-bytes", default=10_000_000, show_default=True, help="Reject documents larger than this.")
@click.option("--batch-size", default=64, show_default=True, help="Documents stored per transaction.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes for the pipeline (the database is written by one).")
@click.option("--learned-roles", is_flag=True,
              help="Add the learned MUC-4 role model's perpetrators, victims, targets and weapons (English; "
                   "slower).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line.")
@web_options
def ingest(paths: tuple[str, ...], db_path: str, max_bytes: int, batch_size: int, jobs: int, learned_roles: bool,
           quiet: bool, url_files: tuple[str, ...], allow_private_hosts: bool) -> None:
    """Read articles, find their events and store them.

    PATHS are files (.txt with an optional NAME.meta.json beside it, .html, .jsonl, .warc, .warc.gz),
    directories (read recursively), - for standard input, or http(s) URLs: a page is an article, a feed (RSS,
    Atom) or sitemap gives its items' pages. A document already in the database is skipped, so re-running adds
    nothing. Bad documents are named, one line each, and the rest goes on. When `kroniek serve` runs on the same
    database, documents are ingested through a running server (DuckDB allows one writing process).

    \b
    Example:
        kroniek ingest articles/ feed.jsonl --db news.duckdb
        kroniek ingest https://www.nu.nl/rss/Algemeen crawl.warc.gz --urls links.txt
    """
    from .pipeline import ingest_into

    if not paths and not url_files:
        raise click.UsageError("give files, directories, URLs or --urls FILE")
    documents, close_web = web_documents(list(paths), url_files, allow_private_hosts, max_bytes)
    progress = _Progress(not quiet)

    def on_reject(rejected) -> None:
        progress.done()
        click.echo(f"rejected: {rejected}", err=True)

    server = _running_server(db_path)
    try:
        if server is not None:
            click.echo(f"ingesting through the running server at {server.url}", err=True)
            report = _ingest_through(server, documents, on_reject)
        else:
            with _open_store(db_path, read_only=False) as store:
                report = ingest_into(store, documents, batch_size=batch_size, on_progress=progress,
                                     on_reject=on_reject, jobs=jobs, learned_roles=learned_roles)
    finally:
        close_web()
    progress.done()
    for notice in report.notices:
        click.echo(f"note: {notice}", err=True)
    click.echo(f"{report.documents} documents stored, {report.events} events, {report.skipped} already stored, "
               f"{len(report.rejects)} rejected → {db_path}")
    if report.documents == 0 and report.skipped == 0:
        sys.exit(1)


def _ingest_through(server, documents, on_reject):
    """Send documents to a running `kroniek serve`; rejects found while reading are reported here."""
    from .pipeline import IngestReport
    from .records import Rejected

    report = IngestReport()

    def readable():
        for item in documents:
            if isinstance(item, Rejected):
                report.rejects.append(item)
                on_reject(item)
            else:
                yield item

    try:
        total = server.ingest(readable())
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc
    report.documents, report.events, report.skipped = total["documents"], total["events"], total["skipped"]
    for r in total["rejects"]:
        rejected = Rejected(r["origin"], r["code"], r["reason"])
        report.rejects.append(rejected)
        on_reject(rejected)
    return report


def _running_server(db_path: str):
    try:
        from .serve.client import find_server
    except ImportError:
        return None
    return find_server(db_path)


# -- query ----------------------------------------------------------------------------------------------------------
def _query_options(function):
    options = [
        click.option("--type", "event_type", help="Event type, e.g. attack, claim, incitement."),
        click.option("--subtype", help="Event subtype, e.g. vehicle_ramming."),
        click.option("--modality", help="asserted, negated, uncertain, hypothetical, future or generic."),
        click.option("--country", help="ISO 3166 alpha-2 code, e.g. IQ, DE, NL."),
        click.option("--actor", help="Part of an actor's name or id, e.g. 'islamic-state'."),
        click.option("--since", callback=_date, help="Events on or after this date (YYYY-MM-DD)."),
        click.option("--until", callback=_date, help="Events on or before this date (YYYY-MM-DD)."),
        click.option("--text", help="Words in the evidence or a source title."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _query(limit: int, offset: int = 0, **filters: Any):
    from .store import EventQuery

    return EventQuery(type=filters.get("event_type"), subtype=filters.get("subtype"),
                      modality=filters.get("modality"), country=filters.get("country"), actor=filters.get("actor"),
                      since=filters.get("since"), until=filters.get("until"), text=filters.get("text"),
                      limit=limit, offset=offset)


@main.command()
@_db_option()
@_query_options
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--table", "output", flag_value="table", default=True, help="A readable table (default).")
@click.option("--json", "output", flag_value="json", help="JSON Lines, as `kroniek export`.")
@click.option("--csv", "output", flag_value="csv", help="CSV, as `kroniek export`.")
def events(db_path: str, limit: int, offset: int, output: str, **filters: Any) -> None:
    """List events, newest first.

    \b
    Example:
        kroniek events --type attack --country DE --since 2016-01-01
        kroniek events --actor islamic-state --json
    """
    from .export import write_events

    with _open_store(db_path, read_only=True) as store:
        query = _query(limit, offset, **filters)
        if output in ("json", "csv"):
            write_events(store, query, "jsonl" if output == "json" else "csv", "-")
            return
        found = store.events(query)
        total = store.count_events(query)
    _print_table(found)
    click.echo(f"{len(found)} of {total} events", err=True)


def _print_table(events: list) -> None:
    from .export import flat_row
    from .show import count_text

    # (heading, width, value of an event)
    columns = (("id", 20, lambda e, r: e.id), ("type", 15, lambda e, r: e.type),
               ("modality", 11, lambda e, r: e.modality), ("date", 10, lambda e, r: r["date_start"]),
               ("place", 16, lambda e, r: r["location_name"]), ("country", 7, lambda e, r: r["country"]),
               ("killed", 6, lambda e, r: count_text(e.fatalities) if e.fatalities else None),
               ("perpetrators", 30, lambda e, r: ", ".join(r["perpetrators"]) or None))
    click.echo("  ".join(heading.ljust(width) for heading, width, _ in columns).rstrip())
    for event in events:
        row = flat_row(event)
        cells = []
        for _, width, value in columns:
            text = str(value(event, row) if value(event, row) is not None else "–")
            cells.append((text if len(text) <= width else text[:width - 1] + "…").ljust(width))
        click.echo("  ".join(cells).rstrip())


@main.command()
@click.argument("event_id")
@_db_option()
@click.option("--json", "as_json", is_flag=True, help="The record as JSON.")
@click.option("--context", default=1, show_default=True, help="Sentences of context around each quote.")
def show(event_id: str, db_path: str, as_json: bool, context: int) -> None:
    """Show one event with every field and the words it came from, highlighted in the article.

    \b
    Example:
        kroniek show evt_4f2a0c9e1b7d3a55 --db news.duckdb
    """
    from .eventjson import encode_event
    from .show import render_event

    with _open_store(db_path, read_only=True) as store:
        current = store.resolve_event_id(event_id)
        event = store.event(current) if current else None
        if event is None:
            raise click.ClickException(f"no event {event_id!r} in {db_path}; list ids with `kroniek events`")
        documents = {s.doc_id: store.document(s.doc_id) for s in event.sources}
    if as_json:
        click.echo(json.dumps(json.loads(encode_event(event)), ensure_ascii=False, indent=2))
        return
    click.echo(render_event(event, documents, color=sys.stdout.isatty(), context=context,
                            redirected_from=event_id if current != event_id else None))


@main.command()
@_db_option()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "parquet"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", "output", required=True, help="Output file, or - for standard output.")
@_query_options
def export(db_path: str, fmt: str, output: str, **filters: Any) -> None:
    """Write events to a file: JSON Lines (the EVENTS.md contract), CSV, GeoJSON or Parquet.

    \b
    Example:
        kroniek export --db news.duckdb --format geojson -o events.geojson
    """
    from .export import write_events

    with _open_store(db_path, read_only=True) as store:
        query = _query(1_000_000_000, **filters)
        try:
            n = write_events(store, query, fmt, output)
        except (ValueError, OSError) as exc:
            raise click.ClickException(str(exc)) from exc
    if output != "-":
        click.echo(f"{n} events → {output}", err=True)


@main.command()
@_db_option()
def migrate(db_path: str) -> None:
    """Bring a database written by an older Kroniek up to this version's schema (events are recomputed where the
    schema asks for it). Any writing command does this too; this one writes nothing else.

    \b
    Example:
        kroniek migrate --db news.duckdb
    """
    from .store.schema import SCHEMA_VERSION

    with _open_store(db_path, read_only=False) as store:
        click.echo(f"{db_path}: schema {store.schema_version()} (this Kroniek: {SCHEMA_VERSION})")


@main.command()
@_db_option("kroniek-demo.duckdb")
@click.option("--no-serve", is_flag=True, help="Only build the database and print the summary.")
@click.option("--port", default=8000, show_default=True)
def demo(db_path: str, no_serve: bool, port: int) -> None:
    """Build a database from the demo corpus shipped with Kroniek, print a summary, then serve the dashboard.

    The demo texts are illustrative, written for Kroniek about well-documented past events.

    \b
    Example:
        kroniek demo --no-serve
    """
    from .datafiles import data_path
    from .ingest.sources import read_sources
    from .pipeline import ingest_into

    corpus = data_path("demo")
    if not any(corpus.glob("*.txt")):
        raise click.ClickException(f"the demo corpus is missing from {corpus}; reinstall Kroniek")
    with _open_store(db_path, read_only=False) as store:
        report = ingest_into(store, read_sources(sorted(str(p) for p in corpus.glob("*.txt"))),
                             on_reject=lambda r: click.echo(f"rejected: {r}", err=True))
        click.echo(f"{report.documents} demo articles stored ({report.skipped} already there), "
                   f"{store.count_events()} events in {db_path}\n")
        _print_summary(store)
    if not no_serve:
        from .serve.runner import serve
        serve(db_path, host="127.0.0.1", port=port,
              on_ready=lambda url: click.echo(f"\ndashboard: {url}  (Ctrl-C to stop)", err=True))


def _print_summary(store) -> None:
    from .store import EventQuery

    stats = store.stats(EventQuery())
    asserted = store.count_events(EventQuery(modality="asserted"))
    click.echo(f"{'type':<16}{'events':>7}")
    for event_type, n in stats["by_type"].items():
        click.echo(f"{event_type:<16}{n:>7}")
    click.echo(f"{'all':<16}{stats['total']:>7}   ({asserted} asserted as having happened)")
    countries = ", ".join(f"{c} {n}" for c, n in list(stats["by_country"].items())[:10])
    click.echo(f"countries: {countries or '–'}\n")
    _print_table(store.events(EventQuery(modality="asserted", limit=15, order="fatalities")))


def _mount_optional() -> None:
    """Subcommands that live in their own packages (serve, eval, train)."""
    from .evaluate.cli import eval_group

    main.add_command(eval_group)
    try:
        from .serve.cli import serve_command
        main.add_command(serve_command)
    except ImportError:
        pass
    train = click.Group("train", help="Train Kroniek's learned components from data you supply.")
    try:
        from .roles.train import command_train
        train.add_command(command_train)
    except ImportError:
        pass
    main.add_command(train)
    register_follow_commands(main, _query_options)
    main.add_command(__import__("kroniek.analyse.cli", fromlist=["analyse_group"]).analyse_group)


_mount_optional()
