"""The dashboard in headless Chromium, on the demo database, with every address but loopback unreachable.

Checks that the map shows the events, that a filter changes map, timeline and table together, that an
event page highlights its evidence, and that markup inside an article is shown as text and never runs.
Screenshots go to $KRONIEK_SCREENSHOTS (or a temporary folder, printed). Needs Debian's `chromium` and
`chromium-driver` (.ci/run installs them); skips where they are absent.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from kroniek.eventjson import event_from_dict
from kroniek.records import Article
from kroniek.serve.serverfile import read_server_file
from kroniek.store import Store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[1]
DEMO_DIR = REPO / "src" / "kroniek" / "data" / "demo"

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)",
                allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE = Article(
    doc_id="doc_hostile_markup", origin="test:hostile", language="en", published=date(2019, 3, 16),
    title='Shooting reported <img src=x onerror="window.__pwned=2">', url="javascript:window.__pwned=3",
    outlet="<b>Test</b> Wire",
    text=(f"Gunmen opened fire on a crowd in Christchurch on Friday. {SCRIPT} At least 50 people were killed. "
          f"{IMG} Police arrested a suspect."))


def _hostile_record() -> dict:
    sentence = "Gunmen opened fire on a crowd in Christchurch on Friday."
    start = HOSTILE.text.index(sentence)
    killed = "At least 50 people were killed."
    k = HOSTILE.text.index(killed)
    return {
        "id": "evt_hostile_markup", "type": "attack", "subtype": "shooting", "modality": "asserted",
        "date": {"start": "2019-03-15", "end": "2019-03-15", "precision": "day", "text": "Friday",
                 "resolved_from": "published"},
        "location": {"name": "Christchurch", "country": "NZ", "admin1": None, "lat": -43.53, "lon": 172.63,
                     "geonames_id": None, "precision": "city", "text": "Christchurch"},
        "actors": [], "weapons": ["firearms"], "targets": ["crowd"],
        "fatalities": {"min": 50, "max": None, "text": "At least 50 people"}, "injuries": None, "related": [],
        "evidence": [
            {"doc_id": HOSTILE.doc_id, "start": start, "end": start + len(sentence), "quote": sentence, "field": None},
            # the span runs across the markup: highlighting must not turn it into elements
            {"doc_id": HOSTILE.doc_id, "start": k - len(SCRIPT) - 1, "end": k + len(killed),
             "quote": HOSTILE.text[k - len(SCRIPT) - 1:k + len(killed)], "field": "fatalities"},
        ],
        "sources": [{"doc_id": HOSTILE.doc_id, "url": HOSTILE.url, "title": HOSTILE.title, "outlet": HOSTILE.outlet,
                     "published": "2019-03-16"}],
        "confidence": 0.9,
    }


KRONIEK = [sys.executable, "-c", "from kroniek.cli import main; main()"]


def build_demo_database(path: Path) -> str:
    """The demo database, as `kroniek demo --no-serve` builds it; hand-built events while there is no demo corpus.

    Returns which of the two it is (printed, so a log shows what the dashboard was tested on).
    """
    if any(DEMO_DIR.glob("*.txt")):
        result = subprocess.run(KRONIEK + ["demo", "--no-serve", "--db", str(path)], capture_output=True, text=True,
                                timeout=600, cwd=REPO)
        assert result.returncode == 0, result.stderr
        return "kroniek demo"
    from test_api import fill   # hand-built Dutch and English events
    with Store.open(path) as store:
        fill(store)
    return "hand-built events (the demo corpus is not there yet)"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("KRONIEK_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    """`kroniek serve` on the demo database plus one article full of markup, in its own process; its URL."""
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    print(f"\ndashboard tested on: {build_demo_database(db)}")
    with Store.open(db) as store:
        assert store.add_documents([(HOSTILE, [event_from_dict(_hostile_record())])]) == []
    process = subprocess.Popen([sys.executable, "-m", "kroniek.serve", "--db", str(db), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        info = None
        while time.monotonic() < deadline and process.poll() is None:
            info = read_server_file(db)
            if info:
                try:
                    urllib.request.urlopen(info.url + "/api/health", timeout=2)
                    break
                except OSError:
                    pass
            time.sleep(0.2)
        if process.poll() is not None or info is None:
            pytest.fail(f"kroniek serve did not start: {process.stdout.read() if process.stdout else ''}")
        yield info.url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1000", "--lang=en-GB",
                 # Nothing but loopback: names do not resolve, and every other request goes to a dead proxy.
                 '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
                 "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-GB,en"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def api(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def wait_ready(driver, timeout: float = 20) -> None:
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
    error = driver.execute_script("return document.body.dataset.error || null")
    assert error is None, f"the dashboard shows an error: {error}"


def console_errors(driver) -> list[str]:
    """Errors the page logged (script errors, failed loads, Content-Security-Policy violations)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def open_dashboard(driver, url: str) -> None:
    driver.get(url)
    wait_ready(driver)


def located_count(url: str, **filters: str) -> int:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    collection = api(f"{url}/api/events?format=geojson&limit=10000&{query}")
    return sum(1 for feature in collection["features"] if feature["geometry"])


def test_map_shows_the_events(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    points = browser.find_elements(By.CSS_SELECTOR, "#map circle.event-point")
    assert len(points) == located_count(server) > 0
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map path.country")) > 100   # the bundled world map
    assert browser.find_elements(By.CSS_SELECTOR, "#timeline rect.bar")
    stats = api(server + "/api/stats")
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    assert len(rows) == min(50, stats["total"])
    assert browser.find_element(By.ID, "result-count").get_attribute("data-total") == str(stats["total"])
    legend = {li.get_attribute("data-type") for li in browser.find_elements(By.CSS_SELECTOR, "#legend li[data-type]")}
    assert legend == set(stats["by_type"])
    # every file the page loaded came from this server
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(u.startswith(server) for u in loaded), [u for u in loaded if not u.startswith(server)]
    assert console_errors(browser) == []
    browser.save_screenshot(str(screenshots / "1-overview.png"))


def test_a_filter_changes_map_timeline_and_table(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    stats = api(server + "/api/stats")
    # the commonest type that is not everything, so the filter visibly changes all three views
    event_type = next(t for t, n in sorted(stats["by_type"].items(), key=lambda kv: -kv[1]) if n < stats["total"])
    expected = api(f"{server}/api/stats?type={event_type}")
    Select(browser.find_element(By.ID, "filter-type")).select_by_value(event_type)
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "result-count").get_attribute("data-total") == str(expected["total"]))
    wait_ready(browser)
    points = browser.find_elements(By.CSS_SELECTOR, "#map circle.event-point")
    assert len(points) == located_count(server, type=event_type)
    assert {p.get_attribute("data-type") for p in points} <= {event_type}
    bars = browser.find_elements(By.CSS_SELECTOR, "#timeline rect.bar")
    assert {b.get_attribute("data-type") for b in bars} == ({event_type} if expected["by_week"] else set())
    assert sum(int(b.get_attribute("data-count")) for b in bars) == sum(w["count"] for w in expected["by_week"])
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    assert len(rows) == min(50, expected["total"]) and {r.get_attribute("data-type") for r in rows} == {event_type}
    assert f"type={event_type}" in browser.current_url   # the view can be bookmarked
    browser.save_screenshot(str(screenshots / "2-filtered.png"))

    # free text narrows further; clearing the filters brings everything back
    browser.find_element(By.ID, "filter-reset").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "result-count").get_attribute("data-total") == str(stats["total"]))
    wait_ready(browser)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map circle.event-point")) == located_count(server)


def test_opening_an_event_shows_its_evidence_highlighted(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    # the newest event of the database itself (not the hand-made one with markup)
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
               if r.get_attribute("data-id") != "evt_hostile_markup")
    event_id = row.get_attribute("data-id")
    row.find_element(By.CSS_SELECTOR, "a").click()
    wait_ready(browser)
    assert browser.find_element(By.ID, "event-view").get_attribute("data-event-id") == event_id
    payload = api(f"{server}/api/events/{event_id}")
    marks = browser.find_elements(By.CSS_SELECTOR, "#event-view .doc-text mark.ev")
    assert marks, "no evidence is highlighted"
    # each evidence span's marks, read in order, give back its quote
    quotes = browser.execute_script("""
        const byIndex = {};
        for (const m of document.querySelectorAll('#event-view .doc-text mark.ev')) {
          for (const i of m.dataset.spans.split(' ')) byIndex[i] = (byIndex[i] || '') + m.textContent;
        }
        return byIndex;""")
    for index, span in enumerate(payload["event"]["evidence"]):
        document = next(d for d in payload["documents"] if d["doc_id"] == span["doc_id"])
        if document["text"][span["start"]:span["end"]] == span["quote"]:
            assert quotes.get(str(index)) == span["quote"]
    # a field's quote button brings its words into view and focus
    button = browser.find_element(By.CSS_SELECTOR, "#event-view button.quote")
    button.click()
    focused = browser.execute_script("return document.activeElement.tagName + ' ' + document.activeElement.className")
    assert focused.startswith("MARK ev")
    browser.save_screenshot(str(screenshots / "3-event.png"))
    browser.find_element(By.CSS_SELECTOR, "#event-view a.back").click()
    wait_ready(browser)
    assert browser.find_element(By.ID, "overview").is_displayed()


def test_markup_in_an_article_is_shown_as_text_and_never_runs(server, browser, screenshots):
    open_dashboard(browser, server + "/?text=Christchurch")
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    assert [r.get_attribute("data-id") for r in rows] == ["evt_hostile_markup"]
    browser.get(server + "/#/event/evt_hostile_markup")
    wait_ready(browser)
    assert browser.execute_script("return window.__pwned") is None
    text = browser.find_element(By.CSS_SELECTOR, "#event-view .doc-text").get_attribute("textContent")
    assert text == HOSTILE.text                                        # shown literally, character for character
    assert SCRIPT in text and IMG in text
    assert not browser.find_elements(By.CSS_SELECTOR, "#event-view .doc-text *:not(mark)")
    title = browser.find_element(By.CSS_SELECTOR, "#event-view .doc-title").get_attribute("textContent")
    assert title == HOSTILE.title
    # a javascript: URL from an article never becomes a link
    assert not browser.find_elements(By.CSS_SELECTOR, "#event-view a[href^='javascript']")
    highlighted = "".join(m.get_attribute("textContent")
                          for m in browser.find_elements(By.CSS_SELECTOR, "#event-view mark.ev-field"))
    assert SCRIPT in highlighted
    browser.save_screenshot(str(screenshots / "4-hostile-article.png"))
    assert browser.execute_script("return window.__pwned") is None
    assert console_errors(browser) == []   # not even a blocked attempt: the markup never became elements


def test_labels_switch_to_dutch(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    browser.find_element(By.ID, "language-toggle").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.lang") == "nl")
    wait_ready(browser)
    assert browser.find_element(By.ID, "map-title").text == "Kaart"
    assert browser.find_element(By.CSS_SELECTOR, "label[for='filter-type']").text == "Soort"
    browser.save_screenshot(str(screenshots / "5-dutch.png"))
    browser.find_element(By.ID, "language-toggle").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.lang") == "en")
