"""Polling the followed feeds: fetch each (conditionally), ingest only the items not seen before, fire alerts.

One pass (:func:`poll_feeds`) is a pure function of the database, the fetcher and ``now``: tests pass the
time, so nothing here waits on or reads a clock. A feed that fails is retried after a back-off that doubles
with each failure (``backoff_s``, at most ``max_backoff_s``), and the other feeds go on. An item whose page
could not be fetched for a passing reason (a time-out, a 5xx, an unreachable robots.txt) is not remembered
as seen, and the feed's validators are dropped, so the next pass tries it again. Nothing accumulates
between passes: a watch can run for weeks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterator

from ..errors import FetchError
from ..ingest.feeds import FeedItem, Listing
from ..ingest.web import WebReader
from ..records import RawDocument, Rejected
from ..store.follow import FollowTables

__all__ = ["PassReport", "poll_feeds", "is_transient", "DEFAULT_INTERVAL_S", "MAX_BACKOFF_S"]

DEFAULT_INTERVAL_S = 15 * 60
MAX_BACKOFF_S = 24 * 3600


@dataclass
class PassReport:
    feeds: int = 0
    polled: int = 0
    unchanged: int = 0
    failed: int = 0
    backing_off: int = 0
    documents: int = 0
    events: int = 0
    rejects: list[Rejected] = field(default_factory=list)


def is_transient(rejected: Rejected) -> bool:
    """A failure worth trying again on the next pass (rather than remembering the item as done)."""
    if rejected.code in ("K303", "K305"):
        return True
    if rejected.code == "K304":
        return rejected.reason.startswith(("HTTP 429", "HTTP 5"))
    if rejected.code == "K308":
        return "could not be fetched" in rejected.reason
    return False


def _label(feed: dict) -> str:
    return feed.get("name") or feed["url"]


def _listing_items(reader: WebReader, listing: Listing, url: str, on_line: Callable[[str], None]
                   ) -> list[FeedItem]:
    """A feed's items, or for a sitemap index the items of its sitemaps (one level)."""
    items = list(listing.items)
    for child in listing.sitemaps:
        try:
            found = reader.listing_of(reader.fetcher.get(child))
        except FetchError as exc:
            on_line(f"  {child}: {exc.reason} [{exc.code}]")
            continue
        if isinstance(found, Listing):
            items += found.items
        elif isinstance(found, Rejected):
            on_line(f"  {found}")
    return items


def poll_feeds(store, follow: FollowTables, reader: WebReader, *, now: datetime,
               on_line: Callable[[str], None], backoff_s: float = DEFAULT_INTERVAL_S,
               max_backoff_s: float = MAX_BACKOFF_S, learned_roles: bool = False) -> PassReport:
    """One pass over every followed feed that is not backing off; prints one line per feed and per article."""
    from ..pipeline import ingest_into   # the pipeline loads its lexicons on first use

    report = PassReport()
    for feed in follow.feeds():
        report.feeds += 1
        url, label = feed["url"], _label(feed)
        if feed.get("retry_at") and feed["retry_at"] > now:
            report.backing_off += 1
            on_line(f"{label}: failed {feed['failures']} time(s); next try after {feed['retry_at']:%Y-%m-%d %H:%M}")
            continue
        report.polled += 1

        def fail(code: str, reason: str) -> None:
            failures = (feed.get("failures") or 0) + 1
            wait = min(backoff_s * 2 ** (failures - 1), max_backoff_s)
            follow.feed_polled(url, now, status="failed", error=f"{reason} [{code}]", failures=failures,
                               retry_at=now + timedelta(seconds=wait))
            report.failed += 1
            on_line(f"{label}: {url}: {reason} [{code}]; trying again in {_duration(wait)}")

        etag, last_modified = follow.validators(url)
        try:
            fetched = reader.fetcher.get(url, etag=etag, last_modified=last_modified)
        except FetchError as exc:
            fail(exc.code, exc.reason)
            continue
        if fetched.not_modified:
            follow.feed_polled(url, now, status="unchanged")
            report.unchanged += 1
            on_line(f"{label}: unchanged")
            continue
        listing = reader.listing_of(fetched)
        if listing is None:
            fail("K309", "this URL is a page, not a feed or sitemap")
            continue
        if isinstance(listing, Rejected):
            fail(listing.code, listing.reason)
            continue
        for problem in listing.problems:
            on_line(f"  {problem}")
        items = _listing_items(reader, listing, fetched.url, on_line)
        unseen = follow.unseen(url, (i.key for i in items))
        fresh = list({i.key: i for i in items if i.key in unseen}.values())
        retry_later: set[str] = set()
        page_urls: list[str] = []

        def documents() -> Iterator[RawDocument | Rejected]:
            for item, document in reader.pages(listing, fetched.url, fresh):
                if isinstance(document, Rejected):
                    if is_transient(document):
                        retry_later.add(item.key)
                else:
                    page_url = document.metadata.get("url") or item.url
                    if not follow.documents_by_url([page_url]):    # stored before: it will be skipped
                        page_urls.append(page_url)
                yield document

        result = ingest_into(store, documents(), learned_roles=learned_roles,
                             on_reject=lambda r: on_line(f"  rejected: {r}"))
        for page_url, (title, n_events) in follow.documents_by_url(page_urls).items():
            on_line(f"  + {title or page_url} <{page_url}> · {n_events} event{'s' if n_events != 1 else ''}")
        done = [(i.key, i.url) for i in fresh if i.key not in retry_later]
        follow.mark_seen(url, done, now)
        if retry_later:
            follow.save_validators(url, None, None, now)    # an unconditional fetch next time, to retry them
        else:
            follow.save_validators(url, fetched.etag, fetched.last_modified, now)
        follow.feed_polled(url, now, status="ok", added=result.documents,
                           error=f"{len(retry_later)} item(s) to retry" if retry_later else None)
        report.documents += result.documents
        report.events += result.events
        report.rejects += result.rejects
        on_line(f"{label}: {len(items)} items, {len(fresh)} new, {result.documents} articles stored, "
                f"{result.events} events" + (f", {len(retry_later)} to retry" if retry_later else ""))
    return report


def _duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"
