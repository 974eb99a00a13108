"""Reading articles from files, directories, JSON Lines and standard input, as RawDocuments.

Nothing here interprets the text: it only finds documents and their metadata, and names what it cannot read.
"""
from __future__ import annotations

import io
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..records import RawDocument, Rejected
from ..safetext import JSONTooDeep, internal_reject, loads_json, scrub, scrub_metadata
from .urlguard import is_url

__all__ = ["read_sources", "documents_from_bytes", "DEFAULT_MAX_BYTES", "METADATA_KEYS", "SIDECAR_SUFFIX"]

# Larger than any real news article (a long feature is ~100 KB of HTML-free text); a JSON Lines file is
# judged per line, so a large feed is fine.
DEFAULT_MAX_BYTES = 10_000_000
METADATA_KEYS = ("published", "url", "title", "author", "source", "language")
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECAR_SUFFIX = ".meta.json"
MAX_SIDECAR_BYTES = 1_000_000   # a sidecar holds six short values


def read_sources(paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, web: Any = None,
                 on_notice: Callable[[str], None] | None = None) -> Iterator[RawDocument | Rejected]:
    """Yield a RawDocument (or a Rejected) for every article found under `paths`; `-` reads standard input.

    An http(s) URL is fetched by `web` (an ingest.web.WebReader; a default one, which refuses private hosts,
    when None); a .warc or .warc.gz file is read as a web archive (ingest.warc). An error nobody expected while
    reading one path is a K120 line for it, and the next path is read.
    """
    for path in paths:
        try:
            yield from _read_path(path, max_bytes, web, on_notice)
        except Exception as exc:   # a bug in reading one path must not end the batch
            yield internal_reject(str(path), exc, "reading it")


def _read_path(path: str, max_bytes: int, web: Any, on_notice: Callable[[str], None] | None
               ) -> Iterator[RawDocument | Rejected]:
    if is_url(path):
        yield from _read_url(path, web, max_bytes, on_notice)
        return
    if path == "-":
        yield from _read_stream("-", sys.stdin.buffer.read(max_bytes + 1), max_bytes)
        return
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        yield Rejected(str(path), "K109", "no such file or directory")
        return
    except OSError as exc:
        yield Rejected(str(path), "K109", f"cannot read: {exc.strerror or exc}")
        return
    if stat.S_ISDIR(mode):
        for child in sorted(_walk(p)):
            try:
                yield from _read_file(child, max_bytes, on_notice, named=False)
            except Exception as exc:
                yield internal_reject(str(child), exc, "reading it")
    else:
        yield from _read_file(p, max_bytes, on_notice, named=True)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and not name.endswith(SIDECAR_SUFFIX):
                yield Path(dirpath) / name


def _special(mode: int) -> str | None:
    """What kind of special file ``mode`` is (None for a regular file)."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


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


def _read_file(path: Path, max_bytes: int, on_notice: Callable[[str], None] | None = None, named: bool = True
               ) -> Iterator[RawDocument | Rejected]:
    """One file's documents. A special file found in a directory (a FIFO, a device, a socket) is skipped with
    K122, since reading it could block or never end; one named on the command line is read like standard input,
    at most ``max_bytes`` (``kroniek ingest <(zcat a.txt.gz)``), except a socket, which cannot be read."""
    origin = str(path)
    try:
        kind = _special(path.stat().st_mode)
    except OSError as exc:
        yield Rejected(origin, "K109", f"cannot read: {exc.strerror or exc}")
        return
    if kind and (not named or kind == "a socket" or kind == "not a regular file"):
        yield Rejected(origin, "K122", f"{kind}, not a file of articles: skipped")
        return
    if path.name.lower().endswith((".warc", ".warc.gz")) and not kind:   # many pages: no size limit as a whole
        from .warc import read_warc
        yield from read_warc(path, max_bytes, on_notice)
        return
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, max_bytes)
            return
        with path.open("rb") as fh:
            # bytes read are counted, not st_size believed: /dev/zero or a growing file stops at the limit
            content = fh.read(max_bytes + 1)
    except OSError as exc:
        yield Rejected(origin, "K109", f"cannot read: {exc.strerror or exc}")
        return
    if len(content) > max_bytes:
        yield Rejected(origin, "K104", f"more than the limit of {max_bytes:,} bytes")
        return
    yield from _file_document(origin, suffix, content, _read_sidecar(path))


def documents_from_bytes(origin: str, content: bytes, sidecar: tuple[str, bytes] | None = None,
                         max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Rejected]:
    """The documents of one file that an engine has read itself (Spark: local, HDFS, S3), exactly as `read_sources`
    reads that file from disk: `origin` is its path (its suffix says what it is), `sidecar` its NAME.meta.json
    (path, bytes) if there is one. Web archives are read by ingest.warc."""
    suffix = Path(origin).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        for number, line in enumerate(io.BytesIO(content), 1):
            try:
                yield from _jsonl_record(f"{origin}:{number}", line, max_bytes)
            except Exception as exc:   # a bug in one record must not end the file
                yield internal_reject(f"{origin}:{number}", exc, "reading the record")
        return
    if len(content) > max_bytes:
        yield Rejected(origin, "K104", f"more than the limit of {max_bytes:,} bytes")
        return
    yield from _file_document(origin, suffix, content, sidecar)


def _file_document(origin: str, suffix: str, content: bytes, sidecar: tuple[str, bytes | OSError] | None
                   ) -> Iterator[RawDocument | Rejected]:
    metadata, problem = _sidecar(*sidecar) if sidecar else ({}, None)
    if problem:
        yield problem
    media_type = "html" if suffix in HTML_SUFFIXES else "text"
    yield RawDocument(origin, content, media_type, metadata)


def _read_sidecar(path: Path) -> tuple[str, bytes | OSError] | tuple[str, Rejected] | None:
    """The file's NAME.meta.json as (path, bytes), (path, the error reading it), or None when there is none."""
    meta_path = path.with_name(path.stem + SIDECAR_SUFFIX)
    try:
        if not meta_path.exists():
            return None
        if not meta_path.is_file():
            return str(meta_path), Rejected(str(meta_path), "K110", "sidecar ignored: not a regular file")
        with meta_path.open("rb") as fh:
            return str(meta_path), fh.read(MAX_SIDECAR_BYTES + 1)
    except OSError as exc:
        return str(meta_path), exc


def _sidecar(meta_origin: str, raw: bytes | OSError | Rejected) -> tuple[dict[str, Any], Rejected | None]:
    if isinstance(raw, Rejected):
        return {}, raw
    if not isinstance(raw, OSError) and len(raw) > MAX_SIDECAR_BYTES:
        return {}, Rejected(meta_origin, "K110", f"sidecar ignored: over {MAX_SIDECAR_BYTES:,} bytes")
    try:
        if isinstance(raw, OSError):
            raise raw
        meta = loads_json(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:   # JSONDecodeError and JSONTooDeep are ValueErrors
        return {}, Rejected(meta_origin, "K110", f"sidecar ignored: {exc}")
    if not isinstance(meta, dict):
        return {}, Rejected(meta_origin, "K110", "sidecar ignored: not a JSON object")
    return scrub_metadata({k: meta[k] for k in METADATA_KEYS if meta.get(k) is not None}), None


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    with path.open("rb") as fh:
        number = 0
        while True:
            # at most max_bytes + 1 of a line in memory: the rest of a longer one is read past in pieces
            line = fh.readline(max_bytes + 1)
            if not line:
                return
            number += 1
            origin = f"{path}:{number}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                size = len(line)
                while (rest := fh.readline(1 << 20)):
                    size += len(rest)
                    if rest.endswith(b"\n"):
                        break
                yield Rejected(origin, "K104", f"{size:,} bytes is over the limit of {max_bytes:,} bytes")
                continue
            try:
                yield from _jsonl_record(origin, line, max_bytes)
            except Exception as exc:   # a bug in one record must not end the file
                yield internal_reject(origin, exc, "reading the record")


def _jsonl_record(origin: str, line: bytes, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    if not line.strip():
        return
    if len(line) > max_bytes:
        yield Rejected(origin, "K104", f"{len(line):,} bytes is over the limit of {max_bytes:,} bytes")
        return
    try:
        record = loads_json(line)
    except JSONTooDeep as exc:
        yield Rejected(origin, "K106", f"not usable JSON: {exc}")
        return
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield Rejected(origin, "K106", f"not valid JSON ({exc.__class__.__name__}: {str(exc)[:80]})")
        return
    if not isinstance(record, dict):
        yield Rejected(origin, "K107", "the line is JSON but not an object with 'text' or 'html'")
        return
    metadata = scrub_metadata({k: record[k] for k in METADATA_KEYS if record.get(k) is not None})
    if not metadata.get("source") and isinstance(record.get("outlet"), str):
        metadata["source"] = scrub(record["outlet"])
    if isinstance(record.get("html"), str) and record["html"].strip():
        yield RawDocument(origin, scrub(record["html"]).encode("utf-8"), "html", metadata)
    elif isinstance(record.get("text"), str):
        yield RawDocument(origin, scrub(record["text"]).encode("utf-8"), "text", metadata)
    else:
        yield Rejected(origin, "K107", "the record has no 'text' or 'html' string")


def _read_stream(origin: str, content: bytes, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    if len(content) > max_bytes:
        yield Rejected(origin, "K104", f"over the limit of {max_bytes:,} bytes")
        return
    head = content.lstrip()[:1]
    if head == b"{":
        for number, line in enumerate(content.splitlines(), 1):
            try:
                yield from _jsonl_record(f"{origin}:{number}", line, max_bytes)
            except Exception as exc:
                yield internal_reject(f"{origin}:{number}", exc, "reading the record")
    else:
        yield RawDocument(origin, content, "html" if head == b"<" else "text", {})
