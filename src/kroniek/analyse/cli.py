"""`kroniek analyse`: analyses of an event database, written as a report (HTML, SVG figures, CSV tables).

Imports nothing heavy until a command runs: pandas, statsmodels and matplotlib come with the `[analyse]` extra, and
a missing extra is one line saying how to install it [K401].
"""
from __future__ import annotations

from datetime import date

import click

from ..errors import KroniekError

__all__ = ["analyse_group"]


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


@click.group("analyse")
def analyse_group() -> None:
    """Analyses of an event database: conflict theatres and attacks abroad, claims, calls.

    \b
    Example:
        kroniek analyse theatres --db kroniek-demo.duckdb --out report/ --group "Islamic State"
    """


@analyse_group.command("theatres")
@click.option("--db", "db_path", default="kroniek.duckdb", show_default=True, type=click.Path(dir_okay=False),
              help="DuckDB database file, or a postgresql:// URL.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for report.html, the SVG figures and the CSV tables (created when missing).")
@click.option("--theatre", multiple=True, metavar="PLACES",
              help="Where the conflict is fought: ISO codes, country names or regions, comma-separated or repeated "
                   "[default: IQ,SY, from data/analyse/theatres.toml].")
@click.option("--abroad", multiple=True, metavar="PLACES",
              help="Where attacks abroad are counted [default: Europe, North America, Oceania].")
@click.option("--group", help="An armed group from the actor dictionary, by id or name (e.g. 'Islamic State'); its "
                              "provinces, branches and media arms count with it.")
@click.option("--since", callback=_date, help="First day of the period (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Last day of the period (YYYY-MM-DD).")
def theatres_command(db_path: str, out_dir: str, theatre: tuple[str, ...], abroad: tuple[str, ...],
                     group: str | None, since: date | None, until: date | None) -> None:
    """Do conflict theatres drive attacks abroad? The two series weekly and monthly, the claims of attacks abroad
    (share claimed, delay), calls to violence and the attacks that followed them, and the lagged association
    between the theatre (fighting, or ground the group lost) and attacks abroad, with confidence intervals.

    Association in reported events is not cause: the report says so, and says what it left out.

    \b
    Example:
        kroniek analyse theatres --db kroniek-demo.duckdb --out report/ --group "Islamic State"
        kroniek analyse theatres --db news.duckdb --out out/ --theatre Syria --abroad Europe --since 2015-01-01
    """
    from ._deps import require_extra
    from .scope import make_scope

    try:
        scope = make_scope(theatre, abroad, group, since, until)
        require_extra()
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc
    from ..store import open_store
    from .frames import load_events
    from .report import write_report
    from .theatres import analyse_theatres

    try:
        with open_store(db_path, read_only=True) as store:
            events = load_events(store)
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc
    result = analyse_theatres(events, scope)
    files = write_report(result, out_dir)
    totals, claims = result.summaries["totals"], result.summaries["claims"]
    click.echo(f"{len(result.weekly)} weeks: {totals.get('theatre_events', 0)} theatre events, "
               f"{totals.get('abroad_attacks', 0)} attacks abroad, {claims['claimed']} of {claims['attacks']} "
               f"claimed, {totals.get('calls', 0)} calls to violence")
    for predictor, summary in result.summaries["association"].items():
        click.echo(f"{predictor.replace('_', ' ')}: {summary['text']}")
    click.echo(f"report → {files.html}")
