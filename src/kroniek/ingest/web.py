"""URLs as RawDocuments: a page is an article; a feed or a sitemap yields its items, each fetched as a page.

What a URL is, is decided by what it returns (pages.sniff). Every failure is one Rejected naming the URL (and
the feed it came from) with its K3xx code; the other URLs and items go on. Pages of one listing are fetched a
few at a time in threads (the fetcher keeps to its per-host limits), in chunks, so a listing of thousands of
items never holds more than a chunk of pages in memory.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import FetchError
from ..records import RawDocument, Rejected
from .feeds import FeedItem, Listing, parse_feed, parse_sitemap
from .fetch import Fetched, Fetcher, FetchSettings
from .pages import maybe_gunzip, page_document, sniff
from .urlguard import is_url

__all__ = ["WebReader", "read_url_list", "MAX_ITEMS", "MAX_SITEMAP_DEPTH"]

MAX_ITEMS = 1_000            # items taken from one feed or sitemap (a news sitemap lists at most 1,000)
MAX_SITEMAP_DEPTH = 2        # a sitemap index of sitemap indexes; deeper nesting is not followed
CHUNK = 16                   # pages fetched ahead of the pipeline


def read_url_list(path: str) -> Iterator[str | Rejected]:
    """The URLs of a file with one URL a line (blank lines and lines starting with # are skipped)."""
    try:
        with open(path, "rb") as fh:
            lines = fh.read().decode("utf-8", "replace").splitlines()
    except OSError as exc:
        yield Rejected(path, "K109", f"cannot read: {exc.strerror or exc}")
        return
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line):
            yield line
        else:
            yield Rejected(f"{path}:{number}", "K302", f"not an http(s) URL: {line[:80]!r}")


class WebReader:
    """Reads URLs into RawDocuments through one :class:`Fetcher`.

    Args:
        fetcher: the safe, polite fetcher (its settings decide private hosts, limits, robots.txt).
        on_notice: called with a line for what is worth saying but is no rejection (a refused date).
        workers: pages fetched at once (across hosts; each host also has its own limit).
    """

    def __init__(self, fetcher: Fetcher, *, on_notice: Callable[[str], None] | None = None, workers: int = 4,
                 max_items: int = MAX_ITEMS) -> None:
        self.fetcher = fetcher
        self.on_notice = on_notice
        self.workers = workers
        self.max_items = max_items

    @classmethod
    def default(cls, settings: FetchSettings = FetchSettings(), **kwargs) -> "WebReader":
        return cls(Fetcher(settings), **kwargs)

    def close(self) -> None:
        self.fetcher.close()

    # -- any URL --------------------------------------------------------------------------------------------
    def read(self, url: str) -> Iterator[RawDocument | Rejected]:
        """A page, or every page a feed or sitemap lists."""
        try:
            fetched = self.fetcher.get(url)
        except FetchError as exc:
            yield Rejected(url, exc.code, exc.reason)
            return
        yield from self.read_fetched(fetched)

    def read_many(self, urls: Iterable[str | Rejected]) -> Iterator[RawDocument | Rejected]:
        for url in urls:
            if isinstance(url, Rejected):
                yield url
            else:
                yield from self.read(url)

    def read_fetched(self, fetched: Fetched, depth: int = 0) -> Iterator[RawDocument | Rejected]:
        listing = self.listing_of(fetched)
        if listing is None:
            yield self.document(fetched)
            return
        if isinstance(listing, Rejected):
            yield listing
            return
        yield from listing.problems
        for child in listing.sitemaps[:self.max_items]:
            if depth >= MAX_SITEMAP_DEPTH:
                yield Rejected(child, "K309", f"sitemap nested more than {MAX_SITEMAP_DEPTH} deep; not followed")
                continue
            try:
                yield from self.read_fetched(self.fetcher.get(child), depth + 1)
            except FetchError as exc:
                yield Rejected(f"{child} (from {fetched.url})", exc.code, exc.reason)
        for _, document in self.pages(listing, fetched.url):
            yield document

    # -- listings and their pages ---------------------------------------------------------------------------
    def listing_of(self, fetched: Fetched) -> Listing | Rejected | None:
        """The feed or sitemap a response is, or None when it is a page."""
        content = maybe_gunzip(fetched.content, self.fetcher.settings.max_bytes)
        if content is None:
            return Rejected(fetched.url, "K309", "broken gzip data")
        kind = sniff(content, fetched.content_type)
        if kind == "feed":
            return parse_feed(content, fetched.url)
        if kind == "sitemap":
            return parse_sitemap(content, fetched.url)
        if kind == "xml":
            # Another XML root: feedparser still finds items in some near-feeds; otherwise it is no article.
            found = parse_feed(content, fetched.url)
            return found if isinstance(found, Listing) and found.items else \
                Rejected(fetched.url, "K309", "XML that is neither a feed nor a sitemap")
        return None

    def pages(self, listing: Listing, listing_url: str, items: Sequence[FeedItem] | None = None
              ) -> Iterator[tuple[FeedItem, RawDocument | Rejected]]:
        """Each item's page (in the listing's order), fetched a chunk at a time."""
        chosen = list(listing.items if items is None else items)
        if len(chosen) > self.max_items:
            if self.on_notice:
                self.on_notice(f"{listing_url}: {len(chosen):,} items; only the first {self.max_items:,} are read")
            chosen = chosen[:self.max_items]

        def one(item: FeedItem) -> tuple[FeedItem, RawDocument | Rejected]:
            origin = f"{item.url} (from {listing_url})"
            try:
                fetched = self.fetcher.get(item.url)
            except FetchError as exc:
                return item, Rejected(origin, exc.code, exc.reason)
            return item, self.document(fetched, item, listing.title, origin=origin if fetched.url != item.url
                                       else None)

        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            for start in range(0, len(chosen), CHUNK):
                yield from pool.map(one, chosen[start:start + CHUNK])

    def document(self, fetched: Fetched, item: FeedItem | None = None, source: str | None = None,
                 origin: str | None = None) -> RawDocument | Rejected:
        if fetched.not_modified:
            return Rejected(fetched.url, "K304", "HTTP 304 Not Modified to an unconditional request")
        return page_document(fetched.content, fetched.content_type, fetched.url, fetched.fetched_at,
                             item_date=item.published if item else None, source=source,
                             origin=origin, max_bytes=self.fetcher.settings.max_bytes, on_notice=self.on_notice)
