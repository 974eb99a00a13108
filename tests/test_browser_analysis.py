"""The dashboard's Analysis page and group pages in headless Chromium, on the demo database (every address but
loopback unreachable): the two series, the claim delays and the call -> attack links render, and a point opens its
events. Skips where Debian's `chromium` and `chromium-driver` are absent (.ci/run installs them)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kroniek.serve.serverfile import read_server_file

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[1]

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)",
                allow_module_level=True)
pytest.importorskip("selenium")
pytest.importorskip("pandas")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PAGE = "/#/analysis?group=islamic-state&since=2014-01-01&until=2017-12-31"


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_database) -> str:
    db = tmp_path_factory.mktemp("analysis-browser") / "demo.duckdb"
    shutil.copyfile(demo_database, db)       # the server holds its database: a copy of the run's demo
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
                    info = None
            time.sleep(0.2)
        if info is None:
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
    profile = tmp_path_factory.mktemp("chromium-analysis")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1000", "--lang=en-GB",
                 '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
                 "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-GB,en"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def api(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


def wait_ready(driver, timeout: float = 60) -> None:
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))


def open_page(driver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#analysis-view h2"))
    wait_ready(driver)


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_analysis_page_draws_both_series_claims_and_calls(server, browser):
    open_page(browser, server + PAGE)
    assert browser.find_element(By.ID, "analysis-view").is_displayed()
    assert not browser.find_element(By.ID, "overview").is_displayed()
    data = api(server + "/api/analyse/theatres?group=islamic-state&since=2014-01-01&until=2017-12-31")
    bars = browser.find_elements(By.CSS_SELECTOR, "#analysis-series rect.point")
    drawn: dict[str, int] = {}
    for bar in bars:
        drawn[bar.get_attribute("data-series")] = drawn.get(bar.get_attribute("data-series"), 0) + \
            int(bar.get_attribute("data-count"))
    assert drawn["theatre_events"] == sum(r["theatre_events"] for r in data["weekly"]) > 0
    assert drawn["abroad_attacks"] == sum(r["abroad_attacks"] for r in data["weekly"]) > 0
    markers = browser.find_elements(By.CSS_SELECTOR, "#analysis-series path.point[data-series='territory_lost']")
    assert len(markers) == sum(1 for r in data["weekly"] if r["territory_lost"])
    delays = browser.find_elements(By.CSS_SELECTOR, "#analysis-claims rect.delay")
    assert len(delays) == sum(1 for c in data["claims"] if c["claimed"]) >= 6
    berlin = next(c for c in data["claims"] if c["place"] == "Berlin")
    assert browser.find_element(By.CSS_SELECTOR, f"#analysis-claims rect[data-attack='{berlin['attack_id']}']") \
        .get_attribute("data-delay") == "1"
    calls = browser.find_elements(By.CSS_SELECTOR, ".analysis-calls li")
    ramadan = next(li for li in calls if "al-Adnani" in li.text)
    assert "Orlando 2016-06-12" in ramadan.text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#analysis-calls .call-marker")) == len(calls)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#analysis-association tbody tr")) == len(data["association"])
    assert "not cause" in browser.find_element(By.ID, "analysis-caveat").text
    assert console_errors(browser) == []


def test_clicking_a_point_opens_its_events(server, browser):
    open_page(browser, server + PAGE)
    week = next(r for r in api(server + "/api/analyse/theatres?group=islamic-state&since=2014-01-01"
                                        "&until=2017-12-31")["weekly"] if r["week"] == "2016-W51")
    bar = browser.find_element(By.CSS_SELECTOR, f"#analysis-series rect[data-series='abroad_attacks']"
                                                f"[data-start='{week['start']}']")
    expected = week["events"]["abroad_attacks"]
    assert bar.get_attribute("data-ids").split() == expected
    bar.click()
    wait_ready(browser)
    links = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#analysis-selection a.analysis-event"))
    assert [a.get_attribute("data-id") for a in links] == expected
    assert "Berlin" in links[0].text
    links[0].click()
    wait_ready(browser)
    assert browser.find_element(By.ID, "event-view").get_attribute("data-event-id") == expected[0]
    assert not browser.find_element(By.ID, "analysis-view").is_displayed()
    # a claim delay opens the attack and its claims
    open_page(browser, server + PAGE)
    delay = browser.find_element(By.CSS_SELECTOR, "#analysis-claims rect.delay")
    ids = delay.get_attribute("data-ids").split()
    delay.click()
    wait_ready(browser)
    WebDriverWait(browser, 30).until(lambda d: [a.get_attribute("data-id") for a in d.find_elements(
        By.CSS_SELECTOR, "#analysis-selection a.analysis-event")] == ids)
    # a call opens the call and the attacks that followed it
    marker = browser.find_element(By.CSS_SELECTOR, "#analysis-calls .call-marker")
    ids = marker.get_attribute("data-ids").split()
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", marker)
    WebDriverWait(browser, 30).until(lambda d: [a.get_attribute("data-id") for a in d.find_elements(
        By.CSS_SELECTOR, "#analysis-selection a.analysis-event")] == ids)
    assert len(ids) >= 1
    assert console_errors(browser) == []


def test_a_group_page_shows_its_attacks_claims_calls_and_fighting(server, browser):
    open_page(browser, server + PAGE)
    browser.find_element(By.ID, "analysis-group-link").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#group-chart rect.point"))
    wait_ready(browser)
    data = api(server + "/api/analyse/groups/islamic-state")
    bars = browser.find_elements(By.CSS_SELECTOR, "#group-chart rect.point")
    assert {b.get_attribute("data-kind") for b in bars} == {"attacks", "claims", "calls", "fighting"}
    assert sum(int(b.get_attribute("data-count")) for b in bars) == sum(r["events"] for r in data["months"])
    bars[0].click()
    links = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#analysis-selection a.analysis-event"))
    assert [a.get_attribute("data-id") for a in links] == bars[0].get_attribute("data-ids").split()
    browser.find_element(By.ID, "language-toggle").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.lang") == "nl")
    WebDriverWait(browser, 10).until(lambda d: "door de tijd" in d.find_element(By.ID, "analysis-title").text)
    assert browser.find_element(By.ID, "analysis-link").text == "Analyse"
    browser.find_element(By.ID, "language-toggle").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.lang") == "en")
    assert console_errors(browser) == []
