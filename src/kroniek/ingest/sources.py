"""Reading articles from files, directories, JSON Lines and standard input, as RawDocuments.

Nothing here interprets the text: it only finds documents and their metadata, and names what it cannot read.
"""
from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..records import RawDocument, Rejected
from .urlguard import is_url

__all__ = ["read_sources", "documents_from_bytes", "DEFAULT_MAX_BYTES", "METADATA_KEYS", "SIDECAR_SUFFIX"]

# Larger than any real news article (a long feature is ~100 KB of HTML-free text); a JSON Lines file is
# judged per line, so a large feed is fine.
DEFAULT_MAX_BYTES = 10_000_000
METADATA_KEYS = ("published", "url", "title", "author", "source", "language")
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECAR_SUFFIX = ".meta.json"


def read_sources(paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, web: Any = None,
                 on_notice: Callable[[str], None] | None = None) -> Iterator[RawDocument | Rejected]:
    """Yield a RawDocument (or a Rejected) for every article found under `paths`; `-` reads standard input.

    An http(s) URL is fetched by `web` (an ingest.web.WebReader; a default one, which refuses private hosts,
    when None); a .warc or .warc.gz file is read as a web archive (ingest.warc).
    """
    for path in paths:
        if is_url(path):
            yield from _read_url(path, web, max_bytes, on_notice)
            continue
        if path == "-":
            yield from _read_stream("-", sys.stdin.buffer.read(max_bytes + 1), max_bytes)
            continue
        p = Path(path)
        if p.is_dir():
            for child in sorted(_walk(p)):
                yield from _read_file(child, max_bytes, on_notice)
        elif p.exists():
            yield from _read_file(p, max_bytes, on_notice)
        else:
            yield Rejected(str(path), "K109", "no such file or directory")


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and not name.endswith(SIDECAR_SUFFIX):
                yield Path(dirpath) / name


def _read_url(url: str, web: Any, max_bytes: int, on_notice: Callable[[str], None] | None
              ) -> Iterator[RawDocument | Rejected]:
    from .fetch import FetchSettings
    from .web import WebReader

    reader = web or WebReader.default(FetchSettings(max_bytes=max_bytes), on_notice=on_notice)
    try:
        yield from reader.read(url)
    finally:
        if web is None:
            reader.close()


def _read_file(path: Path, max_bytes: int, on_notice: Callable[[str], None] | None = None
               ) -> Iterator[RawDocument | Rejected]:
    origin = str(path)
    if path.name.lower().endswith((".warc", ".warc.gz")):   # an archive of many pages: no size limit as a whole
        from .warc import read_warc
        yield from read_warc(path, max_bytes, on_notice)
        return
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if suffix not in JSONL_SUFFIXES and size > max_bytes:
            yield Rejected(origin, "K104", f"{size:,} bytes is over the limit of {max_bytes:,} bytes")
            return
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, max_bytes)
            return
        content = path.read_bytes()
    except OSError as exc:
        yield Rejected(origin, "K109", f"cannot read: {exc.strerror or exc}")
        return
    meta_path = path.with_name(path.stem + SIDECAR_SUFFIX)
    sidecar = None
    if meta_path.exists():
        try:
            sidecar = (str(meta_path), meta_path.read_bytes())
        except OSError as exc:
            sidecar = (str(meta_path), exc)
    yield from _file_document(origin, suffix, content, sidecar)


def documents_from_bytes(origin: str, content: bytes, sidecar: tuple[str, bytes] | None = None,
                         max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Rejected]:
    """The documents of one file that an engine has read itself (Spark: local, HDFS, S3), exactly as `read_sources`
    reads that file from disk: `origin` is its path (its suffix says what it is), `sidecar` its NAME.meta.json
    (path, bytes) if there is one. Web archives are read by ingest.warc."""
    suffix = Path(origin).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        for number, line in enumerate(io.BytesIO(content), 1):
            yield from _jsonl_record(f"{origin}:{number}", line, max_bytes)
        return
    if len(content) > max_bytes:
        yield Rejected(origin, "K104", f"{len(content):,} bytes is over the limit of {max_bytes:,} bytes")
        return
    yield from _file_document(origin, suffix, content, sidecar)


def _file_document(origin: str, suffix: str, content: bytes, sidecar: tuple[str, bytes | OSError] | None
                   ) -> Iterator[RawDocument | Rejected]:
    metadata, problem = _sidecar(*sidecar) if sidecar else ({}, None)
    if problem:
        yield problem
    media_type = "html" if suffix in HTML_SUFFIXES else "text"
    yield RawDocument(origin, content, media_type, metadata)


def _sidecar(meta_origin: str, raw: bytes | OSError) -> tuple[dict[str, Any], Rejected | None]:
    try:
        if isinstance(raw, OSError):
            raise raw
        meta = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, Rejected(meta_origin, "K110", f"sidecar ignored: {exc}")
    if not isinstance(meta, dict):
        return {}, Rejected(meta_origin, "K110", "sidecar ignored: not a JSON object")
    return {k: meta[k] for k in METADATA_KEYS if meta.get(k) is not None}, None


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            yield from _jsonl_record(f"{path}:{number}", line, max_bytes)


def _jsonl_record(origin: str, line: bytes, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    if not line.strip():
        return
    if len(line) > max_bytes:
        yield Rejected(origin, "K104", f"{len(line):,} bytes is over the limit of {max_bytes:,} bytes")
        return
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield Rejected(origin, "K106", f"not valid JSON ({exc.__class__.__name__}: {str(exc)[:80]})")
        return
    if not isinstance(record, dict):
        yield Rejected(origin, "K107", "the line is JSON but not an object with 'text' or 'html'")
        return
    metadata = {k: record[k] for k in METADATA_KEYS if record.get(k) is not None}
    if not metadata.get("source") and isinstance(record.get("outlet"), str):
        metadata["source"] = record["outlet"]
    if isinstance(record.get("html"), str) and record["html"].strip():
        yield RawDocument(origin, record["html"].encode("utf-8"), "html", metadata)
    elif isinstance(record.get("text"), str):
        yield RawDocument(origin, record["text"].encode("utf-8"), "text", metadata)
    else:
        yield Rejected(origin, "K107", "the record has no 'text' or 'html' string")


def _read_stream(origin: str, content: bytes, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    if len(content) > max_bytes:
        yield Rejected(origin, "K104", f"over the limit of {max_bytes:,} bytes")
        return
    head = content.lstrip()[:1]
    if head == b"{":
        for number, line in enumerate(content.splitlines(), 1):
            yield from _jsonl_record(f"{origin}:{number}", line, max_bytes)
    else:
        yield RawDocument(origin, content, "html" if head == b"<" else "text", {})
