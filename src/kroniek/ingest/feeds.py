"""Feeds (RSS 2.0, RSS 1.0, Atom; feedparser) and sitemaps (including news sitemaps) as lists of items.

An item is a link to an article page with what the listing says about it: an id (what a watch remembers as
seen), a date and a title. Nothing is fetched here.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

from ..records import Rejected

__all__ = ["FeedItem", "Listing", "parse_feed", "parse_sitemap"]

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str
    key: str                        # guid / Atom id / the link: the same item keeps it between fetches
    published: date | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """What a feed or sitemap lists: items, child sitemaps (of a sitemap index), items it could not use."""
    kind: str                       # rss20, rss10, atom10, … (feedparser's version), sitemap or sitemapindex
    title: str | None
    items: tuple[FeedItem, ...]
    sitemaps: tuple[str, ...] = ()
    problems: tuple[Rejected, ...] = ()


def _struct_date(value) -> date | None:
    try:
        return date(*value[:3]) if value else None
    except (TypeError, ValueError):
        return None


def parse_feed(content: bytes, url: str) -> Listing | Rejected:
    """An RSS or Atom feed's items; a feed with errors but with items is used (feedparser is lenient)."""
    import feedparser

    # A stream, never a string: feedparser fetches a string that looks like a URL by itself. The content type
    # is given as XML because the kind was told by the content already.
    parsed = feedparser.parse(io.BytesIO(content), response_headers={"content-location": url,
                                                                     "content-type": "application/xml"})
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    broken = problem is not None and not isinstance(problem, (feedparser.CharacterEncodingOverride,
                                                              feedparser.NonXMLContentType))
    if not entries and (broken or not parsed.get("version")):
        reason = f"{problem.__class__.__name__}: {str(problem)[:120]}" if problem else "no feed items"
        return Rejected(url, "K309", f"malformed feed ({reason})")
    items, problems = [], []
    for number, entry in enumerate(entries, 1):
        link = entry.get("link") or next((l.get("href") for l in entry.get("links") or [] if l.get("href")), None)
        if not link:
            problems.append(Rejected(f"{url} item {number}", "K309", "the feed item has no link"))
            continue
        link = urljoin(url, link.strip())
        published = _struct_date(entry.get("published_parsed")) or _struct_date(entry.get("updated_parsed"))
        items.append(FeedItem(url=link, key=str(entry.get("id") or link), published=published,
                              title=entry.get("title")))
    if not items and broken:
        return Rejected(url, "K309", f"malformed feed ({problem.__class__.__name__}: {str(problem)[:120]})")
    title = (parsed.get("feed") or {}).get("title")
    return Listing(kind=parsed.get("version") or "feed", title=title or None, items=tuple(items),
                   problems=tuple(problems))


def _sitemap_date(text: str | None) -> date | None:
    from ..clean import parse_date

    return parse_date(text) if text else None


def parse_sitemap(content: bytes, url: str) -> Listing | Rejected:
    """A sitemap's pages (with a news sitemap's publication dates), or a sitemap index's child sitemaps."""
    from lxml import etree

    # No entities, no network, no huge trees: a sitemap is untrusted XML.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        return Rejected(url, "K309", f"malformed sitemap ({str(exc)[:120]})")
    local = etree.QName(root).localname
    ns = etree.QName(root).namespace
    q = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    if local == "sitemapindex":
        children = [urljoin(url, (s.findtext(q("loc")) or "").strip()) for s in root.iter(q("sitemap"))]
        return Listing(kind="sitemapindex", title=None, items=(), sitemaps=tuple(c for c in children if c != url))
    items, problems = [], []
    for number, entry in enumerate(root.iter(q("url")), 1):
        loc = (entry.findtext(q("loc")) or "").strip()
        if not loc:
            problems.append(Rejected(f"{url} entry {number}", "K309", "the sitemap entry has no <loc>"))
            continue
        news_date = entry.findtext(f"{NEWS_NS}news/{NEWS_NS}publication_date")
        title = entry.findtext(f"{NEWS_NS}news/{NEWS_NS}title")
        # Only a news sitemap's publication date: <lastmod> says when the page last changed, not when it appeared.
        published = _sitemap_date(news_date)
        link = urljoin(url, loc)
        items.append(FeedItem(url=link, key=link, published=published, title=title))
    return Listing(kind="sitemap", title=None, items=tuple(items), problems=tuple(problems))
