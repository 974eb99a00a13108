"""The whole `kroniek spark ingest` job: read → stages → copies → events → Parquet, and what it counted."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..ingest.sources import DEFAULT_MAX_BYTES
from ..records import Rejected
from .consolidate import consolidated_events, copy_holders, copy_source
from .read import read_documents
from .stages import process_partition
from .write import prepare_output, write_documents, write_events

__all__ = ["SparkReport", "spark_ingest"]


@dataclass
class SparkReport:
    documents: int = 0             # distinct documents (copies included)
    copies: int = 0                # of which near-duplicate copies of another
    reports: int = 0               # each document's own events (what `kroniek ingest` counts as events)
    events: int = 0                # consolidated events written to DIR/events/
    skipped: int = 0               # documents whose text an earlier one already had
    rejects: list[Rejected] = field(default_factory=list)      # in input order
    notices: list[str] = field(default_factory=list)
    loaded: object = None          # with `to`: the IngestReport of loading the documents into that database


def spark_ingest(spark, paths: list[str], out: str, *, partitions: int | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, learned_roles: bool = False, to: str | None = None
                 ) -> SparkReport:
    """Ingest `paths` with the SparkSession `spark` and write DIR/events/ and DIR/documents/ under `out`; with `to`
    (a PostgreSQL URL or a DuckDB file) load the processed documents into that database as well."""
    from pyspark import StorageLevel

    if to:   # a database that cannot be opened is said before the job, not after it
        from ..store import open_store

        open_store(to).close()
    keep = StorageLevel.MEMORY_AND_DISK       # what does not fit in memory spills instead of being recomputed
    sc = spark.sparkContext
    partitions = partitions or sc.defaultParallelism
    report = SparkReport()
    raw = read_documents(sc, list(paths), max_bytes=max_bytes, partitions=partitions)
    processed = raw.mapPartitions(lambda items: process_partition(items, learned_roles)).persist(keep)
    rejects = processed.filter(lambda x: x[0] == "reject").map(lambda x: (x[1], x[2])).collect()
    report.rejects = [r for _, r in sorted(rejects, key=lambda x: x[0])]
    found = processed.filter(lambda x: x[0] == "doc").map(lambda x: (x[2].doc_id, x[1:]))
    # The first document (in input order) with a text is the one kept, as in `kroniek ingest`.
    docs = found.reduceByKey(lambda a, b: a if a[0] <= b[0] else b, partitions).persist(keep)
    total = found.count()
    notices = docs.flatMap(lambda kv: [(kv[1][0], n) for n in kv[1][3]]).collect()
    report.notices = [n for _, n in sorted(notices, key=lambda x: x[0])]

    holders = copy_holders(docs, partitions).persist(keep)
    with_holder = docs.leftOuterJoin(holders, partitions).map(
        lambda kv: (kv[0], kv[1][0], kv[1][1] if kv[1][1] and kv[1][1] != kv[0] else None)).persist(keep)
    reports = with_holder.filter(lambda d: d[2] is None).flatMap(lambda d: d[1][2])
    aliases = with_holder.filter(lambda d: d[2] is not None).map(lambda d: (d[2], copy_source(d[1][1])))
    events = consolidated_events(reports, aliases, partitions)

    prepare_output(out)
    report.events = write_events(events, out)
    report.documents = write_documents(with_holder.map(lambda d: (d[1][1], d[2])), out)
    report.copies = with_holder.filter(lambda d: d[2] is not None).count()
    report.reports = with_holder.filter(lambda d: d[2] is None).map(lambda d: len(d[1][2])).sum()
    report.skipped = total - report.documents
    if to:
        from .load import load_into

        report.loaded = load_into(processed, to)
    for rdd in (processed, docs, holders, with_holder):
        rdd.unpersist()
    return report
