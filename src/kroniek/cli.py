"""The `kroniek` command: ingest articles, query and export events, evaluate, serve the dashboard.

Every user mistake ends in one line that says what to do, and a meaningful exit code:
0 success, 1 nothing could be done (e.g. no document ingested), 2 wrong usage.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date
from typing import Any

import click

from . import __version__, filters, ontology
from .errors import FilterError, KroniekError
from .lazycommands import LazyCommand, LazyGroup
from .readers import DEMO_DB
from .follow.cli import register as register_follow_commands, web_documents, web_options

DEFAULT_DB = "kroniek.duckdb"


def _db_option(default: str = DEFAULT_DB):
    return click.option("--db", "db_path", default=default, show_default=True, type=click.Path(dir_okay=False),
                        help="DuckDB database file, or a postgresql://USER@HOST:PORT/DBNAME URL.")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from .langid import SUPPORTED_LANGUAGES

    code = value.strip().lower()
    if code not in SUPPORTED_LANGUAGES:
        raise click.BadParameter(f"{value!r} is not a language Kroniek reads; use one of "
                                 f"{', '.join(SUPPORTED_LANGUAGES)}")
    return code


def _shown(db_path: str) -> str:
    from .store import display_db

    return display_db(db_path)


def _open_store(db_path: str, read_only: bool):
    from .store import open_store

    try:
        return open_store(db_path, read_only=read_only)
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc


# Subcommands in packages of their own, imported when they run (FastAPI, scipy and numpy cost ~0.9 s of CPU).
_LAZY = {
    "serve": LazyCommand("kroniek.serve.cli:serve_command",
                         "Serve the HTTP API and the dashboard (map, timeline, events, evidence) for a database."),
    "eval": LazyCommand("kroniek.evaluate.cli:eval_group",
                        "Measure Kroniek on public benchmarks (data paths are arguments; nothing is downloaded)."),
    "analyse": LazyCommand("kroniek.analyse.cli:analyse_group",
                           "Analyses of an event database: conflict theatres and attacks abroad, claims, calls."),
    "spark": LazyCommand("kroniek.spark.cli:spark_group",
                         "Run the ingest as a Spark job over a corpus too large for one machine (the [spark] extra "
                         "and Java)."),
}


@click.group(cls=LazyGroup, lazy=_LAZY, context_settings={"help_option_names": ["-h", "--help"]})
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
            click.echo(f"\r  documents {report.documents:,} · mentions {report.events:,} · "
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
              help="Processes for the pipeline: N - 1 workers and the one that writes the database, which processes documents between its writes.")
@click.option("--learned-roles", is_flag=True,
              help="Add the learned MUC-4 role model's perpetrators, victims, targets and weapons (English; "
                   "slower).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line.")
@web_options
@click.option("--published", callback=_date, metavar="YYYY-MM-DD",
              help="Publication date of documents that carry none (relative dates such as 'gisteren' count from it).")
@click.option("--language", callback=_language, metavar="CODE",
              help="Language of documents that carry none, e.g. nl or en (otherwise it is detected).")
@click.option("--url", help="Address of documents that carry none.")
@click.option("--title", help="Title of documents that carry none.")
def ingest(paths: tuple[str, ...], db_path: str, max_bytes: int, batch_size: int, jobs: int, learned_roles: bool,
           quiet: bool, url_files: tuple[str, ...], allow_private_hosts: bool, published: date | None,
           language: str | None, url: str | None, title: str | None) -> None:
    """Read articles, find their events and store them.

    PATHS are files (.txt with an optional NAME.meta.json beside it, .html, .jsonl, .warc, .warc.gz),
    directories (read recursively), - for standard input, or http(s) URLs: a page is an article, a feed (RSS,
    Atom) or sitemap gives its items' pages. A document already in the database is skipped, so re-running adds
    nothing. Bad documents are named, one line each, and the rest goes on. When `kroniek serve` runs on the same
    database, documents are ingested through a running server (DuckDB allows one writing process).

    --published, --language, --url and --title fill what a document does not say itself: a .txt file without the
    key in its NAME.meta.json, standard input, a JSON Lines record without the key. An HTML file keeps the title,
    date and address its page gives (it takes --language only).

    \b
    Example:
        kroniek ingest articles/ feed.jsonl --db news.duckdb
        kroniek ingest https://www.nu.nl/rss/Algemeen crawl.warc.gz --urls links.txt
        kroniek ingest - --published 2016-12-20 --language nl --title "Aanslag in Berlijn" < bericht.txt
    """
    from .ingest.defaults import with_metadata_defaults
    from .pipeline import ingest_into

    if not paths and not url_files:
        raise click.UsageError("give files, directories, URLs or --urls FILE")
    documents, close_web = web_documents(list(paths), url_files, allow_private_hosts, max_bytes)
    defaults = {"published": published.isoformat() if published else None, "language": language, "url": url,
                "title": title}
    documents = with_metadata_defaults(documents, defaults)
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
    click.echo(f"{report.documents} documents stored, {report.events} mentions, {report.merged_events} events, "
               f"{report.skipped} already stored, "
               f"{len(report.rejects)} rejected → {_shown(db_path)}")
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
    report.merged_events = total.get("merged_events", total["events"])
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
def _values(parse):
    """A click callback: comma-separated values through a kroniek.filters parser (an unknown value is exit 2)."""
    def callback(ctx: click.Context, param: click.Parameter, value: str | None):
        try:
            return parse(value)
        except FilterError as exc:
            raise click.BadParameter(str(exc)) from None
    return callback


def _words(value: str | None) -> tuple[str, ...] | None:
    return filters.split_values(value) or None


def _query_options(function):
    """The filters of `events` and `export` (and of anything else that selects events): each list-valued one
    takes comma-separated values and reaches the command as a tuple (None when not given)."""
    options = [
        click.option("--type", "event_type", callback=_values(filters.parse_types), metavar="TYPE[,…]",
                     help=f"Event types: {', '.join(ontology.EVENT_TYPES)} (or their labels)."),
        click.option("--subtype", callback=_values(filters.parse_subtypes), metavar="SUBTYPE[,…]",
                     help="Event subtypes, e.g. vehicle_ramming,stabbing (of the --type given, if any)."),
        click.option("--modality", callback=_values(filters.parse_modalities), metavar="MODALITY[,…]",
                     help=f"Modalities: {filters.modality_help()}; the dashboard's words are accepted too."),
        click.option("--country", callback=_values(filters.parse_countries), metavar="COUNTRY[,…]",
                     help="ISO 3166 codes or English or Dutch names, e.g. DE,FR or Germany or Duitsland."),
        click.option("--actor", callback=_values(_words), metavar="WORDS[,…]",
                     help="Part of an actor's name or id, e.g. islamic-state or 'Islamic State,PKK'."),
        click.option("--since", callback=_date, help="Events on or after this date (YYYY-MM-DD)."),
        click.option("--until", callback=_date, help="Events on or before this date (YYYY-MM-DD)."),
        click.option("--text", callback=_values(_words), metavar="WORDS[,…]",
                     help="Words in the evidence or a source's title, e.g. kerstmarkt,Christmas market."),
        click.option("--acled", callback=_values(filters.parse_acled), metavar="NAME[,…]",
                     help="ACLED event or sub-event types as its codebook names them, e.g. Battles or "
                          "'Suicide bomb,Grenade'."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _order_option(default: str):
    return click.option("--order", type=click.Choice(["date", "fatalities", "id"]), default=default,
                        show_default=True, help="Newest first, most killed first, or by id.")


def _query(limit: int, offset: int = 0, order: str = "date", **given: Any):
    from .store import EventQuery

    types, subtypes = given.get("event_type"), given.get("subtype")
    if subtypes and types:
        try:
            filters.parse_subtypes(subtypes, types)
        except FilterError as exc:
            raise click.BadParameter(str(exc), param_hint="'--subtype'") from None
    return EventQuery(type=types, subtype=subtypes, modality=given.get("modality"), country=given.get("country"),
                      actor=given.get("actor"), since=given.get("since"), until=given.get("until"),
                      text=given.get("text"), acled=given.get("acled"), limit=limit, offset=offset, order=order)


@contextmanager
def _reading(db_path: str):
    """The database to read (the file, or the running server that holds it); every failure is one line."""
    from .readers import open_reader

    try:
        with open_reader(db_path, announce=lambda url: click.echo(f"reading through the running server at {url}",
                                                                  err=True)) as reader:
            yield reader
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@_db_option()
@_query_options
@_order_option("date")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1 << 53))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0, 1 << 53))
@click.option("--table", "output", flag_value="table", default=True, help="A readable table (default).")
@click.option("--json", "output", flag_value="json", help="JSON Lines, as `kroniek export`.")
@click.option("--csv", "output", flag_value="csv", help="CSV, as `kroniek export`.")
def events(db_path: str, limit: int, offset: int, order: str, output: str, **given: Any) -> None:
    """List events, newest first (or by --order).

    Works while `kroniek serve` holds the database: it then reads through the server.

    \b
    Example:
        kroniek events --type attack --country DE --since 2016-01-01
        kroniek events --modality happened --country Duitsland,FR --order fatalities
        kroniek events --actor islamic-state --json
    """
    from .export import write_events

    query = _query(limit, offset, order, **given)
    with _reading(db_path) as reader:
        if output in ("json", "csv"):
            write_events(reader, query, "jsonl" if output == "json" else "csv", "-")
            return
        found = reader.events(query)
        total = reader.count_events(query)
    if found:
        _print_table(found)
    click.echo(f"{len(found)} of {total} events", err=True)


_MIN_LAST_COLUMN = 16   # perpetrators: on a narrow terminal the line wraps rather than cut every name to nothing


def _print_table(events: list) -> None:
    from .export import flat_row
    from .show import count_text

    # (heading, widest it may be on a terminal, value of an event and its flat row)
    columns = (("id", 20, lambda e, r: e.id), ("type", 15, lambda e, r: e.type),
               ("modality", 12, lambda e, r: e.modality), ("date", 10, lambda e, r: r["date_start"]),
               ("place", 24, lambda e, r: r["location_name"]), ("country", 7, lambda e, r: r["country"]),
               ("killed", 7, lambda e, r: count_text(e.fatalities) if e.fatalities else None),
               ("perpetrators", 40, lambda e, r: ", ".join(r["perpetrators"]) or None))
    rows = []
    for event in events:
        row = flat_row(event)
        rows.append([str(v) if (v := value(event, row)) is not None else "–" for _, _, value in columns])
    widths = [max([len(heading), *(len(r[i]) for r in rows)]) for i, (heading, _, _) in enumerate(columns)]
    if sys.stdout.isatty():   # fit the terminal; a pipe or file gets every name whole
        import shutil

        room = shutil.get_terminal_size().columns - 2 * (len(columns) - 1)
        widths = [min(w, cap) for w, (_, cap, _) in zip(widths, columns)]
        widths[-1] = max(min(widths[-1], _MIN_LAST_COLUMN), min(widths[-1], room - sum(widths[:-1])))

    def fit(text: str, width: int) -> str:
        return (text if len(text) <= width else text[:width - 1] + "…").ljust(width)

    click.echo("  ".join(fit(heading, w) for (heading, _, _), w in zip(columns, widths)).rstrip())
    for row in rows:
        click.echo("  ".join(fit(cell, w) for cell, w in zip(row, widths)).rstrip())


@main.command()
@click.argument("event_id")
@_db_option()
@click.option("--json", "as_json", is_flag=True, help="The record as JSON.")
@click.option("--context", default=1, show_default=True, help="Sentences of context around each quote.")
def show(event_id: str, db_path: str, as_json: bool, context: int) -> None:
    """Show one event with every field and the words it came from, highlighted in the article.

    EVENT_ID is an event's id, an id it had before a merge, or the start of an id that no other event shares
    (`evt_` may be left out). Works while `kroniek serve` holds the database.

    \b
    Example:
        kroniek show evt_4f2a0c9e1b7d3a55 --db news.duckdb
        kroniek show 4f2a --db news.duckdb
    """
    from .eventjson import encode_event
    from .readers import MAX_PREFIX_MATCHES, event_ids_named
    from .show import render_event

    with _reading(db_path) as reader:
        ids, retired = event_ids_named(reader, event_id)
        if not ids:
            raise click.ClickException(f"no event {event_id!r} in {_shown(db_path)}; list ids with `kroniek events`")
        if len(ids) > 1:
            more = " and more" if len(ids) > MAX_PREFIX_MATCHES else ""
            raise click.ClickException(f"{event_id!r} is the start of several ids: "
                                       f"{', '.join(ids[:MAX_PREFIX_MATCHES])}{more}; give more of the id")
        event = reader.event(ids[0])
        if event is None:
            raise click.ClickException(f"no event {event_id!r} in {_shown(db_path)}; list ids with `kroniek events`")
        documents = {s.doc_id: reader.document(s.doc_id) for s in event.sources}
    if as_json:
        click.echo(json.dumps(json.loads(encode_event(event)), ensure_ascii=False, indent=2))
        return
    click.echo(render_event(event, documents, color=sys.stdout.isatty(), context=context,
                            redirected_from=event_id if retired else None))


@main.command()
@_db_option()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "parquet"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", "output", required=True, help="Output file, or - for standard output.")
@_query_options
@_order_option("date")
def export(db_path: str, fmt: str, output: str, order: str, **given: Any) -> None:
    """Write events to a file: JSON Lines (the EVENTS.md contract), CSV, GeoJSON or Parquet.

    The same filters give the same bytes as the API's /api/export. Works while `kroniek serve` holds the
    database: it then reads through the server.

    \b
    Example:
        kroniek export --db news.duckdb --format geojson -o events.geojson
        kroniek export --db news.duckdb --type attack,remote_violence --country IQ,SY -o iraq-syria.jsonl
    """
    from .export import write_events

    query = _query(1_000_000_000, 0, order, **given)
    with _reading(db_path) as reader:
        try:
            n = write_events(reader, query, fmt, output)
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
        click.echo(f"{_shown(db_path)}: schema {store.schema_version()} (this Kroniek: {SCHEMA_VERSION})")


@main.command()
@_db_option(DEMO_DB)
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
                   f"{store.count_events()} events in {_shown(db_path)}\n")
        _print_summary(store)
    click.echo(f"\nexplore it: kroniek events --db {_shown(db_path)}   ·   kroniek show ID --db {_shown(db_path)}")
    if not no_serve:
        from .serve.runner import serve
        try:
            serve(db_path, host="127.0.0.1", port=port,
                  on_ready=lambda url: click.echo(f"dashboard: {url}  (Ctrl-C to stop)", err=True))
        except KroniekError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            pass
        click.echo(f"stopped serving {_shown(db_path)}", err=True)


def _print_summary(store) -> None:
    from .store import EventQuery

    stats = store.stats(EventQuery())
    occurred = sorted(ontology.OCCURRED_MODALITIES)
    happened = store.count_events(EventQuery(modality=tuple(occurred)))
    words = f"{' or '.join(ontology.MODALITY_LABELS[m]['en'] for m in occurred)}: modality {', '.join(occurred)}"
    click.echo(f"{'type':<16}{'events':>7}")
    for event_type, n in stats["by_type"].items():
        click.echo(f"{event_type:<16}{n:>7}")
    click.echo(f"{'all':<16}{stats['total']:>7}   ({happened} {words})")
    countries = ", ".join(f"{c} {n}" for c, n in list(stats["by_country"].items())[:10])
    click.echo(f"countries: {countries or '–'}\n")
    _print_table(store.events(EventQuery(modality=tuple(occurred), limit=15, order="fatalities")))


@main.group("train", cls=LazyGroup, lazy={
    "muc4": LazyCommand("kroniek.train.muc4:command_train",
                        "Train the perpetrator / target / victim / weapon model on MUC-4 (one CPU core, a few "
                        "minutes)."),
    "names": LazyCommand("kroniek.train.names:command",
                         "Train the learned name tagger (PER/ORG/LOC/MISC); the same files give the same bytes."),
})
def train() -> None:
    """Train Kroniek's learned components from data you supply."""


register_follow_commands(main, _query_options)
