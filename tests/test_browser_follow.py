"""The dashboard's panel of followed feeds and alerts, in headless Chromium (every address but loopback dead).

Skips where Debian's `chromium` and `chromium-driver` are absent (.ci/run installs them).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from kroniek.serve.serverfile import read_server_file
from kroniek.store import Store
from kroniek.store.follow import FollowTables

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[1]

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)",
                allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# (the panel redraws when the page's language is set; a test reads it only once the dashboard is ready)

HOSTILE_ERROR = '<img src=x onerror="window.__pwned=1"> HTTP 503 from news.example [K304]'


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("follow-browser") / "k.duckdb"
    with Store.open(db) as store:
        follow = FollowTables(store.cursor())
        follow.add_feed("https://news.example/rss", "Example News", datetime(2024, 5, 1, 12))
        follow.feed_polled("https://news.example/rss", datetime(2024, 5, 1, 12, 15), status="failed",
                           error=HOSTILE_ERROR, failures=1, retry_at=datetime(2024, 5, 1, 12, 30))
        follow.add_feed("javascript:window.__pwned=2", "<b>odd</b>", datetime(2024, 5, 1, 12))
        follow.add_alert({"name": "attacks-eu", "filters": {"type": ["attack", "remote_violence"], "country": ["DE"]},
                          "target_kind": "file", "target": "/tmp/attacks.jsonl", "updates": True},
                         datetime(2024, 5, 1, 12))
    process = subprocess.Popen([sys.executable, "-m", "kroniek.serve", "--db", str(db), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    try:
        info = None
        for _ in range(300):
            if process.poll() is not None:
                break
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
                 f"--user-data-dir={profile}", "--window-size=1400,1400", "--lang=en-GB",
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


def test_the_panel_shows_feeds_with_their_errors_and_the_alerts_in_both_languages(server, browser, tmp_path):
    browser.get(server)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#follow-panel tbody tr"))
    panel = browser.find_element(By.ID, "follow-panel")
    assert panel.find_element(By.TAG_NAME, "h2").text == "Followed feeds and alerts"
    rows = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in panel.find_elements(By.CSS_SELECTOR, "tbody tr")]
    feed = next(r for r in rows if r[0] == "Example News")
    assert feed[2].startswith("failed · retry after") and feed[4] == HOSTILE_ERROR   # markup shown as text
    assert any(r[0] == "<b>odd</b>" for r in rows)
    alert = next(r for r in rows if r[0] == "attacks-eu")
    assert alert[1] == "type: attack, remote_violence · country: DE (with updates)"
    assert alert[2] == "file: /tmp/attacks.jsonl"
    links = [a.get_attribute("href") for a in panel.find_elements(By.TAG_NAME, "a")]
    assert links == ["https://news.example/rss"]                   # no javascript: link
    assert browser.execute_script("return window.__pwned || null") is None
    browser.find_element(By.ID, "language-toggle").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return document.querySelector('#follow-panel h2').textContent") == "Gevolgde feeds en meldingen")
    folder = Path(os.environ.get("KRONIEK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    panel = browser.find_element(By.ID, "follow-panel")
    browser.execute_script("arguments[0].scrollIntoView()", panel)
    panel.screenshot(str(folder / "follow-panel-nl.png"))
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
