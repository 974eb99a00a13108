"""`kroniek serve`: the JSON API and the dashboard for one database."""
from __future__ import annotations

import click

from ..errors import KroniekError

__all__ = ["serve_command", "DEFAULT_DB"]

DEFAULT_DB = "kroniek.duckdb"   # the same as every other command's --db


@click.command("serve")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=DEFAULT_DB,
              show_default=True, help="The database to serve (a DuckDB file, created empty when missing, or a "
                                      "postgresql:// URL).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this machine can connect unless you choose another, e.g. 0.0.0.0.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--ingest-token", envvar="KRONIEK_INGEST_TOKEN", default=None, metavar="TOKEN",
              help="Let clients that send `Authorization: Bearer TOKEN` add articles with POST /api/ingest "
                   "(env KRONIEK_INGEST_TOKEN). `kroniek ingest` on this machine needs no token.")
@click.option("--read-only", is_flag=True, help="Open the database read-only: nobody can ingest while serving.")
@click.option("--log-level", type=click.Choice(["warning", "info", "debug"]), default="warning", show_default=True,
              help="`info` also logs every request.")
def serve_command(db_path: str, host: str, port: int, ingest_token: str | None, read_only: bool,
                  log_level: str) -> None:
    """Serve the HTTP API and the dashboard (map, timeline, events, evidence) for a database.

    The server holds the database; while it runs, `kroniek ingest --db` on the same file sends its
    articles through the server, and the dashboard shows the new events. Stop it with Ctrl-C.

    \b
    Example:
        kroniek serve --db events.duckdb --port 8000
        open http://127.0.0.1:8000/  (API: /api/events, docs: /api/docs)
    """
    from .runner import is_loopback, serve   # uvicorn and FastAPI: only when serving, not for --help

    if not is_loopback(host):
        click.echo(f"Warning: listening on {host}: other machines can read this database"
                   + (" and, with the token, add to it." if ingest_token else "."), err=True)

    from ..store import display_db

    shown = display_db(db_path)

    def announce(url: str) -> None:
        click.echo(f"Serving {shown} at {url}  (API docs: {url}api/docs; Ctrl-C to stop)")

    try:
        serve(db_path, host=host, port=port, ingest_token=ingest_token, read_only=read_only,
              log_level=log_level, on_ready=announce)
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:   # Ctrl-C before uvicorn took over the signal; after, uvicorn stops cleanly
        pass
    click.echo(f"stopped serving {shown}", err=True)
