"""A safe and polite HTTP fetcher (httpx) for pages, feeds, sitemaps, robots.txt and webhooks.

Safe: every URL, and every redirect target, passes the SSRF guard (urlguard.py) before anything is sent, and
the connection goes to the very address the guard checked: the request is sent to that IP address, with the
host name in the ``Host`` header and as the TLS server name (httpx's ``sni_hostname`` request extension), so the
certificate is still verified against the name. No second DNS lookup happens, so a name cannot resolve to a
public address for the check and to a private one for the connection (DNS rebinding). Each host name gets
its own httpx client, so a TLS connection verified for one name is never reused for another name that happens
to share its address. Proxies from the environment are ignored for the same reason (``trust_env=False``).
Bodies are streamed and cut off at a size limit; a response must arrive within a deadline however slowly
it trickles in; at most five redirects are followed.

Polite: a named User-Agent, robots.txt (RFC 9309: a missing robots.txt allows everything, an unreachable one
allows nothing for now), at most ``per_host`` requests to one host at once with ``host_delay_s`` between
them (or the site's Crawl-delay, when longer), conditional GET (ETag / Last-Modified), and retries with
exponential back-off on 429 and 5xx answers (honouring Retry-After).

Every failure is a :class:`~kroniek.errors.FetchError` with a K3xx code and a one-line reason.
"""
from __future__ import annotations

import ssl
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterator
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from .. import __version__
from ..errors import FetchError
from .urlguard import CheckedURL, Resolver, check_url

__all__ = ["FetchSettings", "Fetched", "Fetcher", "USER_AGENT", "ROBOTS_AGENT"]

ROBOTS_AGENT = "Kroniek"   # the token robots.txt rules name
USER_AGENT = f"{ROBOTS_AGENT}/{__version__} (political-violence event research from news; python-httpx)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/rdf+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
ROBOTS_MAX_BYTES = 500_000          # RFC 9309 asks crawlers to read at least 500 KiB
ROBOTS_TTL_S = 24 * 3600            # RFC 9309: a cached robots.txt should not be used for more than 24 hours
ROBOTS_RETRY_S = 600                # an unreachable robots.txt is asked again after ten minutes
MAX_CRAWL_DELAY_S = 30.0            # a Crawl-delay longer than this is capped (some sites ask for hours)
MAX_HOSTS = 256                     # host slots (with their client) kept; the least recently used go first


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How the fetcher behaves; the defaults suit following news sites (tests pass zero delays)."""
    timeout_s: float = 20.0         # connect, and each read of the body
    deadline_s: float = 60.0        # the whole response, however slowly it trickles in
    max_bytes: int = 10_000_000     # the same limit as a file on disk (ingest.sources.DEFAULT_MAX_BYTES)
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    per_host: int = 2               # requests to one host at once
    host_delay_s: float = 1.0       # pause between two requests to one host
    retries: int = 2                # further attempts after a 429 / 5xx answer or a dropped connection
    backoff_s: float = 2.0          # first wait before a retry; doubled for each next one
    max_wait_s: float = 120.0       # a Retry-After longer than this is not waited for: the fetch fails
    robots: bool = True
    allow_private_hosts: bool = False
    private_hosts: frozenset[str] = frozenset()   # host names allowed to be private when the rest are not
    ca_file: str | None = None      # certificates to trust instead of certifi's (environment variables are ignored)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response that arrived whole: the final URL after redirects, status, body and validators."""
    url: str
    status: int
    content: bytes
    content_type: str
    fetched_at: datetime            # UTC, naive
    etag: str | None = None
    last_modified: str | None = None
    requested_url: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _HostSlot:
    client: Any
    semaphore: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    users: int = 0
    delay_s: float = 0.0


class Fetcher:
    """Fetch URLs safely and politely; thread-safe. Use as a context manager, or call :meth:`close`.

    Args:
        settings: time-outs, limits, politeness.
        resolve: a resolver ``(host, port) -> [address, ...]`` (the system's by default); tests pass their own.
        sleep: how to wait (``time.sleep``); waits happen only for host delays and retries.
    """

    def __init__(self, settings: FetchSettings = FetchSettings(), *, resolve: Resolver | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self._resolve = resolve
        self._sleep = sleep
        self._lock = threading.Lock()
        self._hosts: OrderedDict[str, _HostSlot] = OrderedDict()
        self._robots: OrderedDict[str, tuple[float, RobotFileParser | bool]] = OrderedDict()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            for slot in self._hosts.values():
                slot.client.close()
            self._hosts.clear()

    # -- public ---------------------------------------------------------------------------------------------
    def check(self, url: str) -> CheckedURL:
        """The SSRF guard with this fetcher's settings (raises FetchError K301/K302/K303)."""
        allow = self.settings.allow_private_hosts
        if not allow and self.settings.private_hosts:
            try:
                allow = (urlsplit(url.strip()).hostname or "") in self.settings.private_hosts
            except ValueError:
                allow = False
        return check_url(url, allow_private=allow, resolve=self._resolve)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None, robots: bool | None = None) -> Fetched:
        """GET a URL, following up to ``max_redirects`` redirects, each through the guard.

        With ``etag`` / ``last_modified`` the request is conditional; a 304 answer comes back with an empty body
        (``not_modified``). Raises FetchError for anything but a 2xx or 304 answer that arrived whole.
        """
        headers = {"Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes if max_bytes is not None else self.settings.max_bytes
        check_robots = self.settings.robots if robots is None else robots
        current = url.strip()
        for _ in range(self.settings.max_redirects + 1):
            checked = self.check(current)
            if check_robots and not self._robots_allow(checked):
                raise FetchError("K308", current, f"robots.txt of {checked.host} disallows it for {ROBOTS_AGENT}")
            status, response_headers, content = self._exchange("GET", checked, headers, None, limit)
            if status in REDIRECT_STATUSES:
                location = response_headers.get("location")
                if not location:
                    raise FetchError("K307", current, f"HTTP {status} redirect without a Location header")
                current = urljoin(current, location.strip())
                continue
            return Fetched(url=current, status=status, content=content,
                           content_type=response_headers.get("content-type", ""),
                           fetched_at=datetime.now(timezone.utc).replace(tzinfo=None),
                           etag=response_headers.get("etag"), last_modified=response_headers.get("last-modified"),
                           requested_url=url)
        raise FetchError("K307", url, f"more than {self.settings.max_redirects} redirects (the last to {current})")

    def post_json(self, url: str, body: bytes) -> int:
        """POST a JSON body (a webhook). Redirects are not followed: a webhook URL must be the final one."""
        checked = self.check(url)
        status, _, _ = self._exchange("POST", checked, {"Content-Type": "application/json"}, body, 64_000)
        if status in REDIRECT_STATUSES:
            raise FetchError("K307", url, f"HTTP {status}: webhooks are not redirected; give the final URL")
        return status

    # -- one request ----------------------------------------------------------------------------------------
    def _exchange(self, method: str, checked: CheckedURL, headers: dict[str, str], body: bytes | None,
                  limit: int) -> tuple[int, dict[str, str], bytes]:
        """One request with retries; returns status, headers and (for non-redirects) the whole body."""
        import httpx

        url = checked.url
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            with self._host(checked.host) as slot:
                try:
                    response = slot.client.send(self._request(slot.client, method, checked, headers, body),
                                                stream=True)
                except httpx.TimeoutException:
                    raise FetchError("K305", url, f"{checked.host} did not answer within "
                                                  f"{self.settings.timeout_s:g} s") from None
                except httpx.TransportError as exc:
                    if last or "CERTIFICATE" in str(exc):   # a bad certificate stays bad: no retry
                        raise FetchError("K305", url, f"connection to {checked.host} failed "
                                                      f"({_reason(exc)})") from None
                    wait = self.settings.backoff_s * 2 ** attempt
                    response = None
                if response is not None:
                    try:
                        status = response.status_code
                        if status in RETRY_STATUSES and not last:
                            wait = _retry_after(response.headers.get("retry-after"))
                            if wait is None:
                                wait = self.settings.backoff_s * 2 ** attempt
                            if wait > self.settings.max_wait_s:
                                raise FetchError("K304", url, f"HTTP {status} from {checked.host}; it asks to wait "
                                                              f"{wait:.0f} s, longer than {self.settings.max_wait_s:g} s")
                        elif status >= 400:
                            raise FetchError("K304", url, f"HTTP {status} {response.reason_phrase} from "
                                                          f"{checked.host}")
                        else:
                            content = b"" if status in REDIRECT_STATUSES or status == 304 else \
                                self._read(response, url, limit)
                            return status, {k.lower(): v for k, v in response.headers.items()}, content
                    finally:
                        response.close()
            self._sleep(wait)
        raise AssertionError("unreachable")   # the last attempt returns or raises

    def _request(self, client: Any, method: str, checked: CheckedURL, headers: dict[str, str],
                 body: bytes | None) -> Any:
        import httpx

        pinned = httpx.URL(checked.url).copy_with(host=checked.address)
        extensions = {"sni_hostname": checked.host} if checked.scheme == "https" else {}
        return client.build_request(method, pinned, headers={**headers, "Host": checked.host_header},
                                    content=body, extensions=extensions)

    def _read(self, response: Any, url: str, limit: int) -> bytes:
        import httpx

        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError("K306", url, f"{int(declared):,} bytes announced, over the limit of {limit:,} bytes")
        started = time.monotonic()
        chunks, total = [], 0
        try:
            for chunk in response.iter_bytes(65_536):
                total += len(chunk)
                if total > limit:
                    raise FetchError("K306", url, f"more than {limit:,} bytes; stopped reading")
                if time.monotonic() - started > self.settings.deadline_s:
                    raise FetchError("K305", url, f"the body took longer than {self.settings.deadline_s:g} s")
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise FetchError("K305", url, f"the body stopped arriving for {self.settings.timeout_s:g} s") from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise FetchError("K305", url, f"the body could not be read ({_reason(exc)})") from None
        return b"".join(chunks)

    # -- politeness -----------------------------------------------------------------------------------------
    @contextmanager
    def _host(self, host: str) -> Iterator[_HostSlot]:
        """Hold one of the host's request slots, after its delay since the previous request has passed."""
        slot = self._slot(host)
        try:
            with slot.semaphore:
                with slot.lock:
                    now = time.monotonic()
                    wait = slot.next_at - now
                    slot.next_at = max(now, slot.next_at) + max(self.settings.host_delay_s, slot.delay_s)
                if wait > 0:
                    self._sleep(wait)
                yield slot
        finally:
            with self._lock:
                slot.users -= 1

    @contextmanager
    def _host_delay(self, host: str) -> Iterator[_HostSlot]:
        slot = self._slot(host)
        try:
            yield slot
        finally:
            with self._lock:
                slot.users -= 1

    def _slot(self, host: str) -> _HostSlot:
        import httpx

        with self._lock:
            slot = self._hosts.get(host)
            if slot is None:
                timeout = httpx.Timeout(self.settings.timeout_s)
                verify = ssl.create_default_context(cafile=self.settings.ca_file) if self.settings.ca_file else True
                client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=verify,
                                      headers={"User-Agent": self.settings.user_agent},
                                      limits=httpx.Limits(max_connections=self.settings.per_host))
                slot = self._hosts[host] = _HostSlot(client, threading.Semaphore(self.settings.per_host))
                # Bounded: a watch that runs for weeks meets many hosts; drop idle ones, oldest first.
                for name in [n for n, s in self._hosts.items() if s.users == 0 and n != host]:
                    if len(self._hosts) <= MAX_HOSTS:
                        break
                    self._hosts.pop(name).client.close()
            self._hosts.move_to_end(host)
            slot.users += 1
            return slot

    def _robots_allow(self, checked: CheckedURL) -> bool:
        origin = f"{checked.scheme}://{checked.host_header}"
        now = time.monotonic()
        with self._lock:
            cached = self._robots.get(origin)
        if cached is None or cached[0] < now:
            cached = self._load_robots(origin, now)
            with self._lock:
                self._robots[origin] = cached
                while len(self._robots) > MAX_HOSTS:
                    self._robots.popitem(last=False)
        rules = cached[1]
        if isinstance(rules, bool):
            if not rules:
                raise FetchError("K308", checked.url, f"robots.txt of {checked.host} could not be fetched; "
                                                      "nothing is fetched from it until it can")
            return True
        return rules.can_fetch(ROBOTS_AGENT, checked.url)

    def _load_robots(self, origin: str, now: float) -> tuple[float, RobotFileParser | bool]:
        try:
            fetched = self.get(origin + "/robots.txt", max_bytes=ROBOTS_MAX_BYTES, robots=False)
        except FetchError as exc:
            if (exc.code == "K304" and exc.reason.startswith("HTTP 4")) or exc.code == "K306":
                return now + ROBOTS_TTL_S, True     # no robots.txt (or an absurd one): no rules
            return now + ROBOTS_RETRY_S, False
        parser = RobotFileParser()
        parser.parse(fetched.content.decode("utf-8", "replace").splitlines())
        parser.modified()
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            with self._host_delay(urlsplit(origin).hostname or "") as slot:
                slot.delay_s = min(float(delay), MAX_CRAWL_DELAY_S)
        return now + ROBOTS_TTL_S, parser


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number, or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _reason(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0][:160]
