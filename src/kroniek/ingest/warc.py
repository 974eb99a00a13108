"""Web archives (.warc, .warc.gz; warcio): each archived HTML page is an article.

The source URL is the record's ``WARC-Target-URI`` and the fetch time its ``WARC-Date``, so a page archived
in 2016 is dated by what it says, never by today. Records that are no page (requests, metadata, images,
scripts, redirects, errors) are passed over and counted in one notice. A record that cannot be read is one
K311 line, and reading goes on at the next record the archive holds.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from ..records import RawDocument, Rejected
from .pages import page_document, sniff

__all__ = ["read_warc", "WARC_SUFFIXES"]

WARC_SUFFIXES = (".warc", ".warc.gz")
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_RECORD_START = re.compile(rb"WARC/1\.[01]\r?\n")
_GZIP_START = b"\x1f\x8b\x08"
RESYNC_WINDOW = 1 << 20      # bytes read at a time when looking for the next record after a broken one


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _next_record(fh, start: int, gzipped: bool) -> int | None:
    """The offset of the next record (or gzip member) after ``start``, or None at the end of the file."""
    marker = _GZIP_START if gzipped else None
    position = start
    while True:
        fh.seek(position)
        window = fh.read(RESYNC_WINDOW)
        if not window:
            return None
        if marker is not None:
            found = window.find(marker, 1 if position == start else 0)
            offset = found
        else:
            match = _RECORD_START.search(window, 1 if position == start else 0)
            offset = match.start() if match else -1
        if offset >= 0:
            return position + offset
        position += max(1, len(window) - 16)


def read_warc(path: Path, max_bytes: int = 10_000_000,
              on_notice: Callable[[str], None] | None = None, origin: str | None = None
              ) -> Iterator[RawDocument | Rejected]:
    """Every HTML (or text) response in a WARC file, as RawDocuments with the archived URL and date (`origin`
    names the file in messages, when it is not `path`: a copy Spark fetched)."""
    from warcio.archiveiterator import ArchiveIterator

    origin = origin or str(path)
    passed_over = 0
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield Rejected(origin, "K109", f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
        position: int | None = 0
        number = 0
        while position is not None:
            fh.seek(position)
            records = ArchiveIterator(fh)
            try:
                for record in records:
                    number += 1
                    item = _record_document(record, origin, number, max_bytes, on_notice)
                    if item is None:
                        passed_over += 1
                    else:
                        yield item
                position = None
            except Exception as exc:   # warcio raises many kinds on a damaged archive; one line, then go on
                offset = position + (records.offset or 0) if records.offset is not None else position
                yield Rejected(f"{origin} record {number + 1} (at byte {offset})", "K311",
                               f"broken WARC record ({exc.__class__.__name__}: {str(exc)[:100]})")
                number += 1
                position = _next_record(fh, offset, gzipped)
    if passed_over and on_notice:
        on_notice(f"{origin}: {passed_over} records that are not archived pages were passed over")


def _record_document(record, origin: str, number: int, max_bytes: int,
                     on_notice: Callable[[str], None] | None) -> RawDocument | Rejected | None:
    """One record as a document, a Rejected, or None for a record that is no page."""
    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if content_type and content_type.split(";")[0].strip().lower() not in PAGE_TYPES:
        return None
    where = f"{origin} record {number} ({url or 'no WARC-Target-URI'})"
    if not url:
        return Rejected(where, "K311", "the record has no WARC-Target-URI")
    if fetched_at is None:
        return Rejected(where, "K311", "the record has no readable WARC-Date")
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return Rejected(where, "K104", f"over the limit of {max_bytes:,} bytes")
    if not content_type and sniff(content) not in ("html", "text"):
        return None
    return page_document(content, content_type, url, fetched_at, origin=url, max_bytes=max_bytes,
                         on_notice=on_notice)
