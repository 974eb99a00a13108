"""`kroniek spark ...`: Kroniek's ingest as a Spark job (imported when the command runs)."""
from __future__ import annotations

import sys

import click

from ..errors import KroniekError

__all__ = ["spark_group"]


@click.group("spark")
def spark_group() -> None:
    """Run the ingest as a Spark job over a corpus too large for one machine (the [spark] extra and Java).

    \b
    Example:
        kroniek spark ingest articles/ --out corpus-out --master 'local[4]'
    """


@spark_group.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", required=True, metavar="DIR",
              help="Where DIR/events/ and DIR/documents/ (Parquet datasets) are written: a path or hdfs://, s3://.")
@click.option("--master", metavar="URL", help="Spark master (default local[*], or what spark-submit set).")
@click.option("--partitions", type=click.IntRange(1, 100_000), help="Partitions of the documents (default: the "
              "cores Spark has).")
@click.option("--max-bytes", default=10_000_000, show_default=True, help="Reject documents larger than this.")
@click.option("--learned-roles", is_flag=True, help="Add the learned MUC-4 role model's fillers (English; slower).")
@click.option("--to", "to", metavar="DB", help="Also load the result into this database (postgresql://USER@HOST/DB, "
              "or a DuckDB file): the same documents, events and ids as `kroniek ingest --db DB`.")
def spark_ingest_command(paths: tuple[str, ...], out: str, master: str | None, partitions: int | None,
                         max_bytes: int, learned_roles: bool, to: str | None) -> None:
    """Read articles from files Spark reads (local, HDFS, S3), find and consolidate their events, write Parquet.

    PATHS are files or directories (.txt with an optional NAME.meta.json, .html, .jsonl, .warc, .warc.gz), read as
    `kroniek ingest` reads them; the events and their ids are those `kroniek ingest` gives for the same input.
    DIR/events/ has the columns of `kroniek export --format parquet`. Bad documents are named, one line each, and the
    rest goes on.

    \b
    Example:
        kroniek spark ingest articles/ feed.jsonl --out corpus-out --master 'local[4]'
        spark-submit --master yarn $(which kroniek) spark ingest hdfs:///news/ --out hdfs:///kroniek/
    """
    from .job import spark_ingest
    from .session import spark_session

    try:
        from pyspark.sql import SparkSession
        existing = SparkSession.getActiveSession()
    except ImportError:
        existing = None
    try:
        spark = spark_session(master, partitions)
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        report = spark_ingest(spark, list(paths), out, partitions=partitions, max_bytes=max_bytes,
                              learned_roles=learned_roles, to=to)
    except KroniekError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if existing is None:
            spark.stop()
    for rejected in report.rejects:
        click.echo(f"rejected: {rejected}", err=True)
    for notice in report.notices:
        click.echo(f"note: {notice}", err=True)
    click.echo(f"{report.documents} documents ({report.copies} copies), {report.reports} reports → {report.events} "
               f"events, {report.skipped} duplicates skipped, {len(report.rejects)} rejected → {out}")
    if report.loaded is not None:
        from ..store import display_db

        loaded = report.loaded
        click.echo(f"loaded: {loaded.documents} documents stored, {loaded.events} mentions, {loaded.merged_events} "
                   f"events, {loaded.skipped} already stored → {display_db(to)}")
    if report.documents == 0:
        sys.exit(1)
