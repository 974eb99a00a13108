"""A small news site on 127.0.0.1 for the fetching tests: pages, feeds, redirects, slow and huge answers.

Every request is logged (method, path, headers), so a test asserts what was fetched rather than how long
anything took. A route is a fixed answer or a function of the request and how often the path was asked.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0            # wait before answering (a slow server)
    stream_bytes: int = 0           # then send this many bytes more, in chunks, without Content-Length


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Route = Answer | Callable[[Request, int], Answer]


class LocalSite:
    def __init__(self, tls: tuple[str, str] | None = None) -> None:
        """``tls``: (certificate file, key file) to serve https instead of http."""
        self.routes: dict[str, Route] = {}
        self.log: list[Request] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:   # quiet
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                  self.rfile.read(length) if length else b"")
                with site._lock:
                    site.log.append(request)
                    count = sum(1 for r in site.log if r.path == request.path)
                route = site.routes.get(self.path.split("?")[0])
                answer = route(request, count) if callable(route) else route
                if answer is None:
                    answer = Answer(404, b"not found", {"Content-Type": "text/plain"})
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                try:
                    self.send_response(answer.status)
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    if answer.stream_bytes:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        self.wfile.write(answer.body)
                        chunk = b"x" * 65536
                        for _ in range(answer.stream_bytes // len(chunk) + 1):
                            self.wfile.write(chunk)
                        return
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_HEAD = _answer

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:   # a client that hung up: not news
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls:
            import ssl
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> "LocalSite":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def page(self, path: str, html: str, **headers: str) -> None:
        self.routes[path] = Answer(200, html.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8", **headers})

    def xml(self, path: str, text: str, content_type: str = "application/xml") -> None:
        self.routes[path] = Answer(200, text.encode("utf-8"), {"Content-Type": content_type})

    def paths(self, method: str = "GET") -> list[str]:
        """Paths asked for, in order (robots.txt left out)."""
        with self._lock:
            return [r.path for r in self.log if r.method == method and r.path != "/robots.txt"]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()


def article_html(title: str, paragraphs: list[str], published: str | None = None) -> str:
    """A news page as sites serve them: navigation, the article, a footer; the date in its metadata."""
    meta = f'<meta property="article:published_time" content="{published}T08:00:00+00:00">' if published else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title}</title>{meta}</head><body>"
            f'<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
            f"<article><h1>{title}</h1>{body}</article><footer>Test News</footer></body></html>")


NL_PAGE = ("Aanslag op kerstmarkt in Keulen", [
    "Gisteravond reed een vrachtwagen in op een kerstmarkt in Keulen. Er vielen minstens vijf doden en tientallen "
    "gewonden. De politie heeft een verdachte aangehouden.",
    "Islamitische Staat heeft de aanslag opgeëist."])
EN_PAGE = ("Gunman kills three in Lyon", [
    "A gunman opened fire on a crowd outside a synagogue in Lyon on Saturday, killing three people and wounding "
    "seven, police said. The suspect was arrested an hour later."])
EN_PAGE_2 = ("Car bomb in Mosul", [
    "A car bomb exploded at a checkpoint in Mosul on Tuesday, killing eleven soldiers, officials said. "
    "Islamic State claimed the bombing."])


def rss(title: str, items: list[tuple[str, str, str | None]]) -> str:
    """An RSS 2.0 feed of (guid, link, RFC 822 date or None) items."""
    entries = "".join(f"<item><title>item {guid}</title><link>{link}</link><guid>{guid}</guid>"
                      + (f"<pubDate>{when}</pubDate>" if when else "") + "</item>" for guid, link, when in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'
