"""The fetcher against a real HTTP server on 127.0.0.1: redirects, robots.txt, retries, ETags, limits.

What was fetched is read from the server's request log; no test measures time.
"""
from __future__ import annotations

import threading
import time

import pytest

from kroniek.errors import FetchError
from kroniek.ingest.fetch import Fetcher, FetchSettings
from local_site import Answer, LocalSite

FAST = dict(host_delay_s=0.0, backoff_s=0.0, retries=2)


@pytest.fixture
def site():
    with LocalSite() as running:
        yield running


def _fetcher(**overrides) -> Fetcher:
    return Fetcher(FetchSettings(**{"allow_private_hosts": True, **FAST, **overrides}))


def test_redirects_are_followed_and_the_final_url_is_kept(site):
    site.routes["/old"] = Answer(301, headers={"Location": "/older"})
    site.routes["/older"] = Answer(302, headers={"Location": f"{site.url}/page"})
    site.page("/page", "<p>hello</p>")
    with _fetcher() as fetcher:
        fetched = fetcher.get(f"{site.url}/old")
    assert (fetched.url, fetched.status, fetched.content) == (f"{site.url}/page", 200, b"<p>hello</p>")
    assert site.paths() == ["/old", "/older", "/page"]


def test_more_than_five_redirects_are_refused(site):
    for n in range(7):
        site.routes[f"/r{n}"] = Answer(302, headers={"Location": f"/r{n + 1}"})
    with _fetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"{site.url}/r0")
    assert caught.value.code == "K307"
    assert site.paths() == ["/r0", "/r1", "/r2", "/r3", "/r4", "/r5"]


@pytest.mark.parametrize("target", ["http://localhost:{port}/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::1]:{port}/admin", "http://2130706433:{port}/admin"])
def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(site, target):
    # Only the host name 127.0.0.1 is allowed to be private here: the redirect's target must pass on its own.
    site.routes["/go"] = Answer(302, headers={"Location": target.format(port=site.port)})
    site.page("/admin", "secret")
    with Fetcher(FetchSettings(private_hosts=frozenset({"127.0.0.1"}), **FAST)) as fetcher, \
            pytest.raises(FetchError) as caught:
        fetcher.get(f"{site.url}/go")
    assert caught.value.code == "K301"
    assert site.paths() == ["/go"]


def test_the_connection_goes_to_the_checked_address_with_the_name_in_the_host_header(site):
    site.page("/a", "ok")
    resolved = []

    def resolve(host, port):
        resolved.append(host)
        return ["127.0.0.1"]

    settings = FetchSettings(private_hosts=frozenset({"news.test"}), **FAST)
    with Fetcher(settings, resolve=resolve) as fetcher:
        fetched = fetcher.get(f"http://news.test:{site.port}/a")
    assert fetched.url == f"http://news.test:{site.port}/a" and fetched.content == b"ok"
    assert resolved == ["news.test", "news.test"]          # robots.txt, then the page: no other lookup
    request = [r for r in site.log if r.path == "/a"][0]
    assert request.headers["host"] == f"news.test:{site.port}"
    assert request.headers["user-agent"].startswith("Kroniek/")


def test_robots_txt_is_read_once_and_obeyed(site):
    site.routes["/robots.txt"] = Answer(200, b"User-agent: *\nDisallow: /private\n", {"Content-Type": "text/plain"})
    site.page("/public", "yes")
    site.page("/private/page", "no")
    with _fetcher() as fetcher:
        assert fetcher.get(f"{site.url}/public").content == b"yes"
        with pytest.raises(FetchError) as caught:
            fetcher.get(f"{site.url}/private/page")
        fetcher.get(f"{site.url}/public")
    assert caught.value.code == "K308"
    assert [r.path for r in site.log] == ["/robots.txt", "/public", "/public"]


def test_robots_txt_rules_for_kroniek_by_name(site):
    site.routes["/robots.txt"] = Answer(200, b"User-agent: Kroniek\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    site.page("/a", "a")
    with _fetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"{site.url}/a")
    assert caught.value.code == "K308" and site.paths() == []


def test_an_unreachable_robots_txt_allows_nothing_for_now(site):
    site.routes["/robots.txt"] = Answer(503)
    site.page("/a", "a")
    with _fetcher(retries=0) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"{site.url}/a")
    assert caught.value.code == "K308" and "could not be fetched" in caught.value.reason
    assert site.paths() == []


def test_429_and_5xx_are_retried_with_back_off(site):
    site.routes["/busy"] = lambda request, count: Answer(429, headers={"Retry-After": "0"}) if count == 1 else \
        Answer(503) if count == 2 else Answer(200, b"at last")
    waits = []
    with Fetcher(FetchSettings(allow_private_hosts=True, host_delay_s=0, backoff_s=0.01, retries=2),
                 sleep=waits.append) as fetcher:
        assert fetcher.get(f"{site.url}/busy").content == b"at last"
    assert site.paths() == ["/busy", "/busy", "/busy"]
    assert waits == [0.0, 0.02]            # Retry-After: 0, then the back-off doubled for the second retry


def test_errors_after_the_last_retry_name_status_and_host(site):
    site.routes["/down"] = Answer(503)
    site.routes["/gone"] = Answer(404)
    with _fetcher() as fetcher:
        with pytest.raises(FetchError) as down:
            fetcher.get(f"{site.url}/down")
        with pytest.raises(FetchError) as gone:
            fetcher.get(f"{site.url}/gone")
    assert (down.value.code, gone.value.code) == ("K304", "K304")
    assert down.value.reason == "HTTP 503 Service Unavailable from 127.0.0.1"
    assert str(gone.value) == f"{site.url}/gone: HTTP 404 Not Found from 127.0.0.1 [K304]"
    assert site.paths() == ["/down"] * 3 + ["/gone"]      # a 404 is not retried


def test_a_retry_after_longer_than_the_limit_is_not_waited_for(site):
    site.routes["/later"] = Answer(429, headers={"Retry-After": "86400"})
    waits = []
    with Fetcher(FetchSettings(allow_private_hosts=True, **FAST), sleep=waits.append) as fetcher, \
            pytest.raises(FetchError) as caught:
        fetcher.get(f"{site.url}/later")
    assert caught.value.code == "K304" and "86400 s" in caught.value.reason and waits == []


def test_conditional_get_with_etag_and_last_modified(site):
    stamp = "Tue, 20 Dec 2016 09:00:00 GMT"

    def feed(request, count):
        if request.headers.get("if-none-match") == '"v1"' or request.headers.get("if-modified-since") == stamp:
            return Answer(304, headers={"ETag": '"v1"'})
        return Answer(200, b"<rss/>", {"ETag": '"v1"', "Last-Modified": stamp})

    site.routes["/feed"] = feed
    with _fetcher() as fetcher:
        first = fetcher.get(f"{site.url}/feed")
        by_etag = fetcher.get(f"{site.url}/feed", etag=first.etag)
        by_date = fetcher.get(f"{site.url}/feed", last_modified=first.last_modified)
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', stamp)
    assert by_etag.not_modified and by_etag.content == b"" and by_date.not_modified
    assert [r.headers.get("if-none-match") for r in site.log if r.path == "/feed"] == [None, '"v1"', None]


def test_a_slow_server_times_out(site):
    site.routes["/slow"] = Answer(200, b"late", delay_s=1.0)
    # robots.txt is not asked for here: on a busy machine its own answer could miss 0.2 s (K308), which is not
    # what this test is about
    with _fetcher(timeout_s=0.2) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"{site.url}/slow", robots=False)
    assert caught.value.code == "K305" and "did not answer within 0.2 s" in caught.value.reason


def test_a_huge_body_is_cut_off_at_the_limit(site):
    site.routes["/announced"] = Answer(200, b"x" * 200_000)
    site.routes["/streamed"] = Answer(200, b"<html>", stream_bytes=5_000_000)
    with _fetcher(max_bytes=100_000) as fetcher:
        with pytest.raises(FetchError) as announced:
            fetcher.get(f"{site.url}/announced")
        with pytest.raises(FetchError) as streamed:
            fetcher.get(f"{site.url}/streamed")
    assert announced.value.code == "K306" and "200,000 bytes announced" in announced.value.reason
    assert streamed.value.code == "K306" and "stopped reading" in streamed.value.reason


def test_at_most_per_host_requests_at_once(site):
    lock, state = threading.Lock(), {"now": 0, "most": 0}

    def slow(request, count):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return Answer(200, b"ok")

    site.routes["/p"] = slow
    with _fetcher(per_host=2) as fetcher:
        threads = [threading.Thread(target=fetcher.get, args=(f"{site.url}/p",)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert site.paths().count("/p") == 6 and state["most"] == 2


def test_webhook_post_goes_through_the_guard_and_is_not_redirected(site):
    site.routes["/hook"] = Answer(204)
    site.routes["/moved"] = Answer(307, headers={"Location": "/hook"})
    with _fetcher() as fetcher:
        assert fetcher.post_json(f"{site.url}/hook", b'{"a": 1}') == 204
        with pytest.raises(FetchError) as moved:
            fetcher.post_json(f"{site.url}/moved", b"{}")
    with Fetcher(FetchSettings(**FAST)) as strict, pytest.raises(FetchError) as refused:
        strict.post_json(f"{site.url}/hook", b"{}")
    assert moved.value.code == "K307" and refused.value.code == "K301"
    posts = [r for r in site.log if r.method == "POST"]
    assert [(r.path, r.body) for r in posts] == [("/hook", b'{"a": 1}'), ("/moved", b"{}")]


def _certificate(folder, name: str) -> tuple[str, str]:
    """A self-signed certificate for ``name`` (openssl), as (certificate file, key file)."""
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command")
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return str(cert), str(key)


def test_https_goes_to_the_checked_address_and_verifies_the_certificate_against_the_name(tmp_path):
    cert, key = _certificate(tmp_path, "news.test")
    with LocalSite(tls=(cert, key)) as site:
        site.page("/a", "over tls")
        settings = FetchSettings(private_hosts=frozenset({"news.test", "other.test"}), ca_file=cert, **FAST)
        resolve = lambda host, port: ["127.0.0.1"]   # noqa: E731  (no DNS for .test names: the pin is all there is)
        with Fetcher(settings, resolve=resolve) as fetcher:
            assert fetcher.get(f"https://news.test:{site.port}/a").content == b"over tls"
            with pytest.raises(FetchError) as wrong_name:     # same address, a name the certificate is not for
                fetcher.get(f"https://other.test:{site.port}/a", robots=False)
    assert wrong_name.value.code == "K305" and "CERTIFICATE_VERIFY_FAILED" in wrong_name.value.reason
    assert [r.path for r in site.log] == ["/robots.txt", "/a"]
    assert site.log[-1].headers["host"] == f"news.test:{site.port}"
