"""DIR/events/ and DIR/documents/ as Parquet datasets (one file per partition, written by the executors), in the
shapes export.py owns: an events file is what `kroniek export --format parquet` writes, a documents file has
DOCUMENT_COLUMNS. DIR is any path pyarrow writes: local, hdfs://, s3:// (s3a:// is read as s3://)."""
from __future__ import annotations

import os

from ..export import document_row, write_documents_parquet, write_parquet

__all__ = ["prepare_output", "write_events", "write_documents"]


def _filesystem(out: str):
    from pyarrow import fs

    if "://" not in out:
        return fs.LocalFileSystem(), os.path.abspath(out)
    scheme, rest = out.split("://", 1)
    if scheme in ("s3a", "s3n"):
        out = "s3://" + rest
    if scheme == "file":
        return fs.LocalFileSystem(), "/" + rest.lstrip("/")
    return fs.FileSystem.from_uri(out)


def prepare_output(out: str) -> None:
    """Empty DIR/events and DIR/documents (a rerun replaces them)."""
    filesystem, base = _filesystem(out)
    for name in ("events", "documents"):
        path = f"{base.rstrip('/')}/{name}"
        filesystem.create_dir(path, recursive=True)
        filesystem.delete_dir_contents(path, missing_dir_ok=True)


def _writer(out: str, name: str, write):
    def part(index, items):
        filesystem, base = _filesystem(out)
        with filesystem.open_output_stream(f"{base.rstrip('/')}/{name}/part-{index:05d}.parquet") as sink:
            yield write(items, sink)
    return part


def write_events(events, out: str) -> int:
    """RDD of events → DIR/events/part-NNNNN.parquet; returns how many were written."""
    return sum(events.mapPartitionsWithIndex(_writer(out, "events", write_parquet)).collect())


def write_documents(documents, out: str) -> int:
    """RDD of (Article, holder or None) → DIR/documents/part-NNNNN.parquet; returns how many were written."""
    rows = documents.map(lambda d: document_row(d[0], d[1]))
    return sum(rows.mapPartitionsWithIndex(_writer(out, "documents", write_documents_parquet)).collect())
