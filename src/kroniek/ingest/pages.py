"""A fetched or archived response as a RawDocument: what kind of content it is, and when it was published.

The kind is told by the content, never by the URL or the file name: a feed served as text/html is still a
feed. The published date is the page's own (htmldate: metadata, <time> elements, the URL), then the date the
feed or sitemap gave the item, and never the fetch time; a date later than the fetch time is refused
(K312): a page cannot have been published after it was fetched.
"""
from __future__ import annotations

import re
import zlib
from datetime import date, datetime
from typing import Callable

from ..records import RawDocument, Rejected

__all__ = ["sniff", "page_document", "published_date", "maybe_gunzip"]

_FIRST_TAG = re.compile(rb"<([A-Za-z][\w.:-]*)")
_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>|<!\[CDATA\[.*?\]\]>)", re.S | re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf", b"rdf"}
SITEMAP_ROOTS = {b"urlset", b"sitemapindex"}
TEXT_TYPES = ("text/plain",)


def gunzip_limited(content: bytes, limit: int) -> bytes | None:
    """A gzip body (a .xml.gz sitemap) decompressed, or None when it is broken or unpacks past ``limit``."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(content, limit + 1)
    except zlib.error:
        return None
    return out if len(out) <= limit else None


def sniff(content: bytes, content_type: str = "") -> str:
    """``feed``, ``sitemap``, ``html``, ``text``, ``xml`` (another XML document) or ``other``, by content."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    position = 0
    while True:   # skip the XML declaration, comments and the doctype to reach the first element
        skipped = _SKIP.match(head, position)
        if not skipped or skipped.end() == position:
            break
        position = skipped.end()
    if head[:14].lower() == b"<!doctype html":
        return "html"
    rest = head[position:].lstrip()
    tag = _FIRST_TAG.match(rest) if rest.startswith(b"<") else None
    if tag is not None:
        name = tag.group(1).lower()
        local = name.split(b":")[-1]
        if name in FEED_ROOTS or local in (b"rss", b"feed"):
            return "feed"
        if local in SITEMAP_ROOTS:
            return "sitemap"
        if local in (b"html", b"head", b"body", b"meta", b"title", b"div", b"p", b"article", b"script", b"link"):
            return "html"
        return "xml"
    media = content_type.split(";")[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml"):
        return "html"
    if media in TEXT_TYPES or (not media and b"\x00" not in head):
        return "text"
    return "other"


def published_date(html: bytes, url: str, fetched_at: datetime, item_date: date | None,
                   on_notice: Callable[[str], None] | None = None) -> date | None:
    """The page's date, else the item's; a date after ``fetched_at`` is refused with a K312 notice."""
    from htmldate import find_date   # imported here: only fetched pages need it

    page: date | None = None
    try:
        found = find_date(html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
        page = date.fromisoformat(found) if found else None
    except Exception:   # htmldate on broken markup: no date is better than no article
        page = None
    for name, candidate in (("page", page), ("feed item", item_date)):
        if candidate is None:
            continue
        if candidate > fetched_at.date():
            if on_notice:
                on_notice(f"{url}: the {name}'s date {candidate.isoformat()} is after the fetch time "
                          f"{fetched_at:%Y-%m-%d %H:%M} UTC; date refused [K312]")
            continue
        return candidate
    return None


def _utf8(content: bytes, content_type: str) -> bytes:
    """Bytes in a charset the HTTP header declares, re-encoded as UTF-8 (the pipeline reads UTF-8 first)."""
    match = _CHARSET.search(content_type or "")
    if not match or match.group(1).lower().replace("_", "-") in ("utf-8", "utf8"):
        return content
    try:
        return content.decode(match.group(1)).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return content


def page_document(content: bytes, content_type: str, url: str, fetched_at: datetime, *,
                  item_date: date | None = None, source: str | None = None, origin: str | None = None,
                  max_bytes: int = 10_000_000,
                  on_notice: Callable[[str], None] | None = None) -> RawDocument | Rejected:
    """One article page (HTML or plain text) as a RawDocument with its URL and date, or why it is none."""
    origin = origin or url
    if len(content) > max_bytes:
        return Rejected(origin, "K104", f"{len(content):,} bytes is over the limit of {max_bytes:,} bytes")
    kind = sniff(content, content_type)
    if kind not in ("html", "text"):
        shown = content_type.split(";")[0].strip() or kind
        return Rejected(origin, "K310", f"not an article page ({shown})")
    content = _utf8(content, content_type)
    # "published" is always set (perhaps to None), so that cleaning never takes a date the checks here refused.
    metadata: dict = {"url": url}
    if kind == "html":
        published = published_date(content, url, fetched_at, item_date, on_notice)
    else:
        published = item_date if item_date and item_date <= fetched_at.date() else None
    metadata["published"] = published.isoformat() if published else None
    if source:
        metadata["source"] = source
    return RawDocument(origin, content, kind, metadata)


def maybe_gunzip(content: bytes, limit: int) -> bytes | None:
    """The body itself, or its decompressed form when it is gzip (sitemap.xml.gz); None when broken."""
    if content[:2] == b"\x1f\x8b":
        return gunzip_limited(content, limit)
    return content

