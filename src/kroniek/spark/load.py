"""`kroniek spark ingest --to DB`: the processed documents loaded into a Kroniek database (PostgreSQL for a team,
or a DuckDB file), in input order, through the store's own write path (`pipeline.store_processed`).

The stages ran on the executors; the store merges the reports as `kroniek ingest` would, so the database holds
the same documents, events and ids as `kroniek ingest` of the same input, and takes later ingests as usual. The
documents stream to the driver one partition at a time (toLocalIterator), never all at once.
"""
from __future__ import annotations

from typing import Iterator

from ..pipeline import IngestReport, ProcessedDocument, store_processed
from ..records import Rejected

__all__ = ["load_into"]


def _in_input_order(processed) -> Iterator[ProcessedDocument | Rejected]:
    for item in processed.sortBy(lambda x: x[1]).toLocalIterator():
        if item[0] == "reject":
            yield item[2]
        else:
            _, _, article, reports, notices, _ = item
            yield ProcessedDocument(article, tuple(reports), tuple(notices))


def load_into(processed, db: str) -> IngestReport:
    """Store the job's processed documents ("doc"/"reject" tuples, see spark.stages) into the database `db`."""
    from ..store import open_store

    store = open_store(db)
    try:
        return store_processed(store, _in_input_order(processed))
    finally:
        store.close()
