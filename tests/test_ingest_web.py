"""`kroniek ingest URL…`, `--urls` and WARC files, against a news site on 127.0.0.1 served by the test.

The site's request log says what was fetched; the database says what was stored, with which URL and date.
"""
from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from kroniek.cli import main
from kroniek.ingest.fetch import Fetched, Fetcher, FetchSettings
from kroniek.ingest.web import WebReader
from kroniek.records import RawDocument, Rejected
from local_site import EN_PAGE, EN_PAGE_2, NL_PAGE, Answer, LocalSite, article_html, rss


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _documents(db: str) -> list[tuple]:
    with duckdb.connect(db, read_only=True) as con:
        return con.execute("SELECT url, title, published, outlet FROM documents ORDER BY url").fetchall()


def _source_urls(db: str) -> set[str]:
    import json
    with duckdb.connect(db, read_only=True) as con:
        return {s["url"] for (record,) in con.execute("SELECT record FROM events").fetchall()
                for s in json.loads(record)["sources"]}


@pytest.fixture
def site():
    with LocalSite() as running:
        running.page("/nl/kerstmarkt", article_html(*NL_PAGE, published="2016-12-20"))
        running.page("/en/lyon", article_html(*EN_PAGE, published="2016-10-02"))
        running.page("/en/mosul", article_html(*EN_PAGE_2))           # no date on the page itself
        yield running


def test_rss_feed_items_are_fetched_as_pages_with_their_urls_as_sources(site, tmp_path):
    site.xml("/feed.xml", rss("Test News", [
        ("nl-1", f"{site.url}/nl/kerstmarkt", "Tue, 20 Dec 2016 09:00:00 GMT"),
        ("en-1", "/en/lyon", None),                                      # relative link
        ("en-2", f"{site.url}/en/mosul", "Wed, 02 Nov 2016 10:00:00 GMT"),
    ]), content_type="text/html")                                        # by content, not by type
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("ingest", f"{site.url}/feed.xml", "--allow-private-hosts", "--db", db, "-q")
    assert code == 0, err
    assert "3 documents stored" in out
    paths = site.paths()   # the feed first; its pages are fetched side by side, in any order
    assert paths[0] == "/feed.xml" and sorted(paths[1:]) == ["/en/lyon", "/en/mosul", "/nl/kerstmarkt"]
    assert _documents(db) == [
        (f"{site.url}/en/lyon", "Gunman kills three in Lyon", datetime(2016, 10, 2).date(), "Test News"),
        (f"{site.url}/en/mosul", "Car bomb in Mosul", datetime(2016, 11, 2).date(), "Test News"),  # the item's date
        (f"{site.url}/nl/kerstmarkt", "Aanslag op kerstmarkt in Keulen", datetime(2016, 12, 20).date(), "Test News"),
    ]
    assert _source_urls(db) == {f"{site.url}/nl/kerstmarkt", f"{site.url}/en/lyon", f"{site.url}/en/mosul"}


def test_without_the_flag_a_local_url_is_refused_and_nothing_is_requested(site, tmp_path):
    site.xml("/feed.xml", rss("Test News", [("nl-1", f"{site.url}/nl/kerstmarkt", None)]))
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("ingest", f"{site.url}/feed.xml", "--db", db, "-q")
    assert code == 1
    assert f"rejected: {site.url}/feed.xml: refused: 127.0.0.1 is a loopback address" in err and "[K301]" in err
    assert site.log == []


def test_atom_and_rss_1_0_feeds(site, tmp_path):
    site.xml("/atom.xml", f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title><id>urn:x</id><updated>2016-12-21T00:00:00Z</updated>
<entry><title>NL</title><id>urn:nl</id><link href="{site.url}/nl/kerstmarkt"/><updated>2016-12-20T09:00:00Z</updated></entry>
</feed>""")
    site.xml("/rdf.xml", f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{site.url}/rdf.xml"><title>RDF News</title><link>{site.url}/</link><description>d</description></channel>
<item rdf:about="{site.url}/en/mosul"><title>Mosul</title><link>{site.url}/en/mosul</link><dc:date>2016-11-01</dc:date></item>
</rdf:RDF>""")
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("ingest", f"{site.url}/atom.xml", f"{site.url}/rdf.xml", "--allow-private-hosts",
                          "--db", db, "-q")
    assert code == 0, err
    assert site.paths() == ["/atom.xml", "/nl/kerstmarkt", "/rdf.xml", "/en/mosul"]
    assert [(url, outlet, published.isoformat()) for url, _, published, outlet in _documents(db)] == [
        (f"{site.url}/en/mosul", "RDF News", "2016-11-01"),
        (f"{site.url}/nl/kerstmarkt", "Atom News", "2016-12-20")]


def test_sitemap_index_news_sitemap_and_gzip(site, tmp_path):
    import gzip

    news = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{site.url}/en/mosul</loc><lastmod>2020-01-01</lastmod>
<news:news><news:publication_date>2016-11-01T12:00:00+01:00</news:publication_date><news:title>Mosul</news:title></news:news></url>
</urlset>"""
    site.routes["/news.xml.gz"] = Answer(200, gzip.compress(news.encode()), {"Content-Type": "application/gzip"})
    site.xml("/pages.xml", f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url}/en/lyon</loc><lastmod>2021-05-05</lastmod></url></urlset>""")
    site.xml("/sitemap.xml", f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{site.url}/news.xml.gz</loc></sitemap><sitemap><loc>/pages.xml</loc></sitemap></sitemapindex>""")
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("ingest", f"{site.url}/sitemap.xml", "--allow-private-hosts", "--db", db, "-q")
    assert code == 0, err
    assert site.paths() == ["/sitemap.xml", "/news.xml.gz", "/en/mosul", "/pages.xml", "/en/lyon"]
    # the news sitemap's publication date; <lastmod> is when a page changed, never its date
    assert [(url, published.isoformat()) for url, _, published, _ in _documents(db)] == [
        (f"{site.url}/en/lyon", "2016-10-02"), (f"{site.url}/en/mosul", "2016-11-01")]


def test_urls_file_pages_and_bad_lines(site, tmp_path):
    links = tmp_path / "links.txt"
    links.write_text(f"# my reading list\n{site.url}/nl/kerstmarkt\n\nnot a url\n{site.url}/missing\n"
                     f"{site.url}/en/lyon\n", encoding="utf-8")
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("ingest", "--urls", str(links), "--allow-private-hosts", "--db", db, "-q")
    assert code == 0
    assert "2 documents stored" in out and "2 rejected" in out
    assert f"rejected: {links}:4: not an http(s) URL: 'not a url' [K302]" in err
    assert f"rejected: {site.url}/missing: HTTP 404 Not Found from 127.0.0.1 [K304]" in err
    assert site.paths() == ["/nl/kerstmarkt", "/missing", "/en/lyon"]
    assert {row[0] for row in _documents(db)} == {f"{site.url}/nl/kerstmarkt", f"{site.url}/en/lyon"}


def test_bad_responses_are_one_line_each_and_the_batch_goes_on(site, tmp_path):
    site.xml("/broken.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><link>')
    site.routes["/image.png"] = Answer(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(256),
                                       {"Content-Type": "image/png"})
    site.routes["/huge"] = Answer(200, b"<html>", {"Content-Type": "text/html"}, stream_bytes=3_000_000)
    site.routes["/slow"] = Answer(200, b"<html>late</html>", {"Content-Type": "text/html"}, delay_s=4.0)
    site.page("/future", article_html(*EN_PAGE_2, published="2999-01-01"))
    reader = WebReader(Fetcher(FetchSettings(allow_private_hosts=True, host_delay_s=0, backoff_s=0, retries=0,
                                             timeout_s=1.5, max_bytes=1_000_000)))
    with reader.fetcher:   # the time-out leaves a busy machine room for robots.txt and the fast pages
        found = list(reader.read_many([f"{site.url}/{p}" for p in
                                       ("broken.xml", "image.png", "huge", "slow", "en/lyon", "future")]))
    codes = [(item.origin.rsplit("/", 1)[1], item.code) for item in found if isinstance(item, Rejected)]
    assert codes == [("broken.xml", "K309"), ("image.png", "K310"), ("huge", "K306"), ("slow", "K305")]
    pages = [item for item in found if isinstance(item, RawDocument)]
    assert [(p.metadata["url"], p.metadata["published"]) for p in pages] == [
        (f"{site.url}/en/lyon", "2016-10-02"), (f"{site.url}/future", None)]   # a date after the fetch: refused


def test_feed_items_pointing_at_private_addresses_are_refused_and_never_requested(site):
    # The feed itself came from a public site (here: handed over as fetched); its items are checked one by one.
    feed = rss("Public News", [("a", "http://169.254.169.254/latest/meta-data/", None),
                               ("b", f"http://127.0.0.1:{site.port}/nl/kerstmarkt", None),
                               ("c", f"http://0x7f000001:{site.port}/en/lyon", None),
                               ("d", "file:///etc/passwd", None)]).encode()
    fetched = Fetched(url="https://news.example/feed.xml", status=200, content=feed,
                      content_type="application/rss+xml", fetched_at=datetime(2016, 12, 21))
    reader = WebReader(Fetcher(FetchSettings(host_delay_s=0, retries=0)))
    with reader.fetcher:
        found = list(reader.read_fetched(fetched))
    assert [(r.code, r.origin) for r in found[:3]] == [
        ("K301", "http://169.254.169.254/latest/meta-data/ (from https://news.example/feed.xml)"),
        ("K301", f"http://127.0.0.1:{site.port}/nl/kerstmarkt (from https://news.example/feed.xml)"),
        ("K301", f"http://0x7f000001:{site.port}/en/lyon (from https://news.example/feed.xml)")]
    assert found[3].code == "K302" and "etc/passwd" in found[3].origin and len(found) == 4
    assert site.log == []


# -- WARC ---------------------------------------------------------------------------------------------------
def _warc(path: Path, records: list[tuple[str, str, bytes, str]], gz: bool) -> None:
    """Write a WARC file of (uri, date, body, content type) responses with warcio, plus a request record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for uri, when, body, content_type in records:
            writer.write_record(writer.create_warc_record(
                uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                warc_headers_dict={"WARC-Date": when}))
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": when}))


WARC_PAGES = [
    ("https://www.nos.nl/artikel/kerstmarkt", "2016-12-20T10:00:00Z",
     article_html(*NL_PAGE, published="2016-12-20").encode(), "text/html; charset=utf-8"),
    ("https://www.example.com/style.css", "2016-12-20T10:00:01Z", b"body{}", "text/css"),
    ("https://www.example.com/world/mosul", "2016-11-02T09:00:00Z",
     article_html(*EN_PAGE_2, published="2016-11-05").encode(), "text/html"),   # dated after its fetch time
]


@pytest.mark.parametrize("gz", [False, True])
def test_warc_pages_are_articles_with_the_archived_urls_and_dates(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(path, WARC_PAGES, gz)
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("ingest", str(path), "--db", db, "-q")
    assert code == 0, err
    assert "2 documents stored" in out
    assert "records that are not archived pages were passed over" in err
    assert "date 2016-11-05 is after the fetch time 2016-11-02 09:00 UTC; date refused [K312]" in err
    assert [(url, published and published.isoformat()) for url, _, published, _ in _documents(db)] == [
        ("https://www.example.com/world/mosul", None), ("https://www.nos.nl/artikel/kerstmarkt", "2016-12-20")]
    assert "https://www.nos.nl/artikel/kerstmarkt" in _source_urls(db)


def test_a_broken_warc_record_is_one_line_and_the_next_records_are_read(tmp_path):
    path = tmp_path / "crawl.warc"
    _warc(path, WARC_PAGES, gz=False)
    data = path.read_bytes()
    first_response = data.index(b"WARC-Type: response")
    length_at = data.index(b"Content-Length: ", first_response)
    damaged = data[:length_at] + b"Content-Length: banana" + data[data.index(b"\r\n", length_at):]
    path.write_bytes(damaged)
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("ingest", str(path), "--db", db, "-q")
    assert "broken WARC record" in err and "[K311]" in err
    assert [row[0] for row in _documents(db)] == ["https://www.example.com/world/mosul"]
