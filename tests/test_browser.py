"""The dashboard in headless Chromium, on the demo database, with every address but loopback unreachable.

Checks that the map shows the events and zooms, groups and re-frames them, that its tooltip appears on hover and
focus, that a filter changes map, timeline, legend, countries and table together, that the timeline spans the
filter and its brush sets the dates, that the actor filter filters, that an open-ended toll reads "50+", that the
legend comes from /api/ontology, that nothing overflows at 420 px, that an event page highlights its evidence, and
that markup inside an article is shown as text and never runs. Screenshots go to $KRONIEK_SCREENSHOTS (or the
test's temporary folder, printed). Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them) and
selenium; skips where they are absent.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from conftest import start_server, stop_server
from kroniek.eventjson import event_from_dict
from kroniek.records import Article
from kroniek.store import Store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[1]
DEMO_DIR = REPO / "src" / "kroniek" / "data" / "demo"

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)",
                allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[dev]')")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
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


DESKTOP = (1400, 1000)
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
    process, url = start_server(db)
    try:
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=en-GB",
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
    """Until the page has drawn what it asked for and the map has finished moving to its new frame."""
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
        "return document.body.dataset.ready === '1' && document.getElementById('map').dataset.moving !== '1'"))
    error = driver.execute_script("return document.body.dataset.error || null")
    assert error is None, f"the dashboard shows an error: {error}"


def console_errors(driver) -> list[str]:
    """Errors the page logged (script errors, failed loads, Content-Security-Policy violations)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def open_dashboard(driver, url: str) -> None:
    driver.get(url)
    wait_ready(driver)


def located(url: str, **filters: str) -> dict[str, dict]:
    """The events with coordinates for these filters, by id (from the API's GeoJSON, which keeps every event)."""
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    collection = api(f"{url}/api/events?format=geojson&limit=10000&{query}")
    return {f["id"]: f for f in collection["features"] if f["geometry"]}


def marker_ids(driver) -> list[str]:
    """The ids of every event on the map, whether drawn alone or inside a numbered group marker."""
    return driver.execute_script("""
        return [...document.querySelectorAll('#map .marker')].flatMap(m =>
          m.classList.contains('cluster') ? m.dataset.ids.split(' ') : [m.dataset.id]);""")


def zoom_of(driver) -> tuple[float, float, float]:
    k, x, y = (driver.find_element(By.ID, "map").get_attribute("data-zoom") or "1,0,0").split(",")
    return float(k), float(x), float(y)


def wait_total(driver, total: int) -> None:
    WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.ID, "result-count").get_attribute("data-total") == str(total))
    wait_ready(driver)


def timeline_bars(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#timeline rect.bar")


def test_map_shows_the_events(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    ids = marker_ids(browser)
    assert sorted(ids) == sorted(located(server)) and ids   # each placed event once, alone or in a group
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map path.country")) > 100   # the bundled world map
    # the demo's European events sit close together: at least one numbered group, which counts its events
    groups = browser.find_elements(By.CSS_SELECTOR, "#map g.cluster")
    assert groups and all(int(g.get_attribute("data-count")) == len(g.get_attribute("data-ids").split()) > 1
                          for g in groups)
    assert {g.find_element(By.CSS_SELECTOR, "text").text for g in groups} == \
        {g.get_attribute("data-count") for g in groups}
    assert timeline_bars(browser)
    stats = api(server + "/api/stats")
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    assert len(rows) == min(50, stats["total"])
    assert browser.find_element(By.ID, "result-count").get_attribute("data-total") == str(stats["total"])
    # every file the page loaded came from this server
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(u.startswith(server) for u in loaded), [u for u in loaded if not u.startswith(server)]
    assert server + "/api/ontology" in loaded
    assert console_errors(browser) == []
    browser.save_screenshot(str(screenshots / "1-overview.png"))


def test_the_legend_comes_from_the_ontology(server, browser):
    open_dashboard(browser, server + "/")
    ontology = api(server + "/api/ontology")
    items = browser.find_elements(By.CSS_SELECTOR, "#legend li[data-type]")
    # every type of the ontology, in its order, with its colour and its English label
    assert [li.get_attribute("data-type") for li in items] == [t["name"] for t in ontology["types"]]
    for li, entry in zip(items, ontology["types"]):
        label = li.find_element(By.CSS_SELECTOR, ".legend-label").text
        assert label == entry["label"]["en"][0].upper() + entry["label"]["en"][1:]
        colour = browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor",
                                        li.find_element(By.CSS_SELECTOR, ".swatch"))
        r, g, b = (int(entry["colour"][i:i + 2], 16) for i in (1, 3, 5))
        assert colour == f"rgb({r}, {g}, {b})"
    stats = api(server + "/api/stats")
    assert {li.get_attribute("data-type"): int(li.get_attribute("data-count")) for li in items} == \
        {t["name"]: stats["by_type"].get(t["name"], 0) for t in ontology["types"]}
    # the modality filter offers the ontology's modalities under its labels ("happened", not "asserted")
    options = Select(browser.find_element(By.ID, "filter-modality")).options
    assert [o.get_attribute("value") for o in options] == [""] + [m["name"] for m in ontology["modalities"]]
    assert options[1].text == "Happened" and options[2].text == "Did not happen"
    # a type chosen in the legend filters on it
    event_type = max(stats["by_type"], key=stats["by_type"].get)
    browser.find_element(By.CSS_SELECTOR, f"#legend li[data-type='{event_type}'] button").click()
    wait_total(browser, stats["by_type"][event_type])
    assert Select(browser.find_element(By.ID, "filter-type")).first_selected_option.get_attribute("value") == event_type


def test_zoom_and_pan_change_the_view(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    svg = browser.find_element(By.ID, "map")
    browser.find_element(By.ID, "map-world").click()
    WebDriverWait(browser, 10).until(lambda d: zoom_of(d) == (1.0, 0.0, 0.0))
    wait_ready(browser)
    first = browser.find_element(By.CSS_SELECTOR, "#map .marker")
    before = first.rect

    browser.find_element(By.ID, "map-zoom-in").click()            # the + button doubles the scale
    WebDriverWait(browser, 10).until(lambda d: abs(zoom_of(d)[0] - 2) < 1e-6)
    wait_ready(browser)
    land = browser.execute_script("return document.querySelector('#map .land').getAttribute('transform')")
    assert "scale(2)" in land

    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(svg), 0, -400).perform()   # the wheel
    WebDriverWait(browser, 10).until(lambda d: zoom_of(d)[0] > 2.5)
    wait_ready(browser)
    k, x, y = zoom_of(browser)

    ActionChains(browser).move_to_element(svg).click_and_hold().move_by_offset(-120, -40).release().perform()
    WebDriverWait(browser, 10).until(lambda d: zoom_of(d)[1:] != (x, y))   # dragging pans
    assert zoom_of(browser)[0] == k
    assert browser.find_element(By.CSS_SELECTOR, "#map .marker").rect != before   # the events moved with the land
    browser.save_screenshot(str(screenshots / "2-zoomed.png"))

    browser.find_element(By.ID, "map-fit").click()
    WebDriverWait(browser, 10).until(lambda d: zoom_of(d)[0] != k)
    wait_ready(browser)


def test_a_group_of_events_zooms_in_or_opens_into_a_ring(server, browser):
    open_dashboard(browser, server + "/")
    browser.find_element(By.ID, "map-world").click()
    WebDriverWait(browser, 10).until(lambda d: zoom_of(d) == (1.0, 0.0, 0.0))
    wait_ready(browser)
    everything = sorted(marker_ids(browser))
    for _ in range(12):   # select the largest group until its events stand alone
        groups = browser.find_elements(By.CSS_SELECTOR, "#map g.cluster")
        if not groups:
            break
        group = max(groups, key=lambda g: int(g.get_attribute("data-count")))
        members = set(group.get_attribute("data-ids").split())
        k = zoom_of(browser)[0]
        browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", group)
        WebDriverWait(browser, 10).until(lambda d: zoom_of(d)[0] > k or d.find_elements(By.CSS_SELECTOR, "#map .ring"))
        wait_ready(browser)
        ring = browser.find_elements(By.CSS_SELECTOR, "#map .ring")
        if ring:   # events of one place, set out around it: each its own marker, each openable
            spread = {c.get_attribute("data-id") for c in ring[0].find_elements(By.CSS_SELECTOR, ".event-point")}
            assert spread == members
            break
    else:
        pytest.fail("selecting groups never set their events apart")
    assert sorted(marker_ids(browser)) == everything   # nothing lost or doubled on the way


def test_a_filter_reframes_the_map_on_its_events(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    whole = zoom_of(browser)
    stats = api(server + "/api/stats")
    country = next(c for c, n in stats["by_country"].items() if len(located(server, country=c)) >= 2)
    Select(browser.find_element(By.ID, "filter-country")).select_by_value(country)
    wait_total(browser, stats["by_country"][country])
    assert sorted(marker_ids(browser)) == sorted(located(server, country=country))
    assert zoom_of(browser)[0] > whole[0]           # closer than the view of every event
    frame = browser.find_element(By.ID, "map").rect
    for marker in browser.find_elements(By.CSS_SELECTOR, "#map .marker"):
        box = marker.rect
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert frame["x"] <= centre[0] <= frame["x"] + frame["width"], marker.get_attribute("data-id")
        assert frame["y"] <= centre[1] <= frame["y"] + frame["height"], marker.get_attribute("data-id")
    # the country list counts for the other filters; the chosen country is pressed
    pressed = browser.find_elements(By.CSS_SELECTOR, "#countries button[aria-pressed='true']")
    assert [b.get_attribute("data-country") for b in pressed] == [country]
    browser.save_screenshot(str(screenshots / "3-country.png"))


def test_a_filter_changes_map_timeline_legend_countries_and_table(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    stats = api(server + "/api/stats")
    # the commonest type that is not everything, so the filter visibly changes every view
    event_type = next(t for t, n in sorted(stats["by_type"].items(), key=lambda kv: -kv[1]) if n < stats["total"])
    expected = api(f"{server}/api/stats?type={event_type}")
    Select(browser.find_element(By.ID, "filter-type")).select_by_value(event_type)
    wait_total(browser, expected["total"])
    placed = located(server, type=event_type)
    assert sorted(marker_ids(browser)) == sorted(placed)
    assert {p.get_attribute("data-type") for p in browser.find_elements(By.CSS_SELECTOR, "#map .event-point")} \
        <= {event_type}
    bars = timeline_bars(browser)
    assert {b.get_attribute("data-type") for b in bars} == ({event_type} if expected["by_week"] else set())
    assert sum(int(b.get_attribute("data-count")) for b in bars) == sum(w["count"] for w in expected["by_week"])
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    assert len(rows) == min(50, expected["total"]) and {r.get_attribute("data-type") for r in rows} == {event_type}
    # the countries and the legend count the filtered events, not the whole database
    countries = {b.get_attribute("data-country"): int(b.get_attribute("data-count"))
                 for b in browser.find_elements(By.CSS_SELECTOR, "#countries button")}
    assert countries == dict(list(expected["by_country"].items())[:12])
    option = next(o for o in Select(browser.find_element(By.ID, "filter-country")).options
                  if o.get_attribute("value") == next(iter(expected["by_country"])))
    assert option.text.endswith(f"({expected['by_country'][option.get_attribute('value')]})")
    legend = browser.find_element(By.CSS_SELECTOR, f"#legend li[data-type='{event_type}']")
    assert legend.get_attribute("data-count") == str(expected["total"])
    assert f"type={event_type}" in browser.current_url   # the view can be bookmarked
    browser.save_screenshot(str(screenshots / "4-filtered.png"))

    browser.find_element(By.ID, "filter-reset").click()
    wait_total(browser, stats["total"])
    assert sorted(marker_ids(browser)) == sorted(located(server))


def test_the_timeline_spans_the_filter_and_its_brush_sets_the_dates(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    timeline = browser.find_element(By.ID, "timeline")
    points = api(server + "/api/events?format=points&limit=10000")["points"]
    days = sorted(p["date_start"] for p in points if p["date_start"])
    assert (timeline.get_attribute("data-start"), timeline.get_attribute("data-end")) == (days[0], days[-1])
    # y-axis: round steps from 0 to at least the tallest bar
    ticks = [int(t.text.replace(",", "")) for t in browser.find_elements(By.CSS_SELECTOR, "#timeline .axis-y text")]
    assert ticks[0] == 0 and len(ticks) >= 3 and len({b - a for a, b in zip(ticks, ticks[1:])}) == 1
    tallest = max(int(g.get_attribute("data-count")) for g in browser.find_elements(By.CSS_SELECTOR, "#timeline g.bin"))
    assert ticks[-1] >= tallest

    # a date filter: the timeline covers exactly it, in bins fine enough to read
    expected = api(f"{server}/api/stats?since=2016-12-01&until=2017-01-31")
    browser.execute_script("""
        for (const [id, value] of [['filter-since', '2016-12-01'], ['filter-until', '2017-01-31']]) {
          const input = document.getElementById(id);
          input.value = value;
          input.dispatchEvent(new Event('change'));
        }""")
    wait_total(browser, expected["total"])
    assert (timeline.get_attribute("data-start"), timeline.get_attribute("data-end")) == ("2016-12-01", "2017-01-31")
    assert timeline.get_attribute("data-unit") in ("day", "week")
    bins = browser.find_elements(By.CSS_SELECTOR, "#timeline g.bin")
    assert bins[0].get_attribute("data-start") <= "2016-12-01" <= bins[0].get_attribute("data-end")
    assert bins[-1].get_attribute("data-start") <= "2017-01-31" <= bins[-1].get_attribute("data-end")
    assert sum(int(b.get_attribute("data-count")) for b in bins) == sum(w["count"] for w in expected["by_week"])
    labels = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#timeline .axis-x text")]
    assert labels and any("Jan" in text for text in labels)
    browser.save_screenshot(str(screenshots / "5-timeline-filtered.png"))

    # dragging across the chart selects a period (whole bins) and sets the date filters
    plot = browser.find_element(By.CSS_SELECTOR, "#timeline .brush .overlay")
    width = plot.rect["width"]
    ActionChains(browser).move_to_element_with_offset(plot, int(-width * 0.3), 0).click_and_hold() \
        .move_by_offset(int(width * 0.25), 0).release().perform()
    WebDriverWait(browser, 10).until(lambda d: "since=" in d.current_url and
                                     d.find_element(By.ID, "filter-since").get_attribute("value") != "2016-12-01")
    wait_ready(browser)
    since = browser.find_element(By.ID, "filter-since").get_attribute("value")
    until = browser.find_element(By.ID, "filter-until").get_attribute("value")
    assert "2016-12-01" <= since < until <= "2017-01-31"
    assert (timeline.get_attribute("data-start"), timeline.get_attribute("data-end")) == (since, until)
    browser.find_element(By.ID, "timeline-clear").click()
    wait_total(browser, api(server + "/api/stats")["total"])
    assert browser.find_element(By.ID, "filter-since").get_attribute("value") == ""


def test_a_tooltip_appears_on_hover_and_on_focus(server, browser, screenshots):
    open_dashboard(browser, server + "/?text=Christchurch")
    point = browser.find_element(By.CSS_SELECTOR, "#map .event-point[data-id='evt_hostile_markup']")
    tooltip = browser.find_element(By.CSS_SELECTOR, "#map-frame .tooltip")
    assert not tooltip.is_displayed()
    ActionChains(browser).move_to_element(point).perform()
    WebDriverWait(browser, 5).until(lambda d: tooltip.is_displayed())
    text = tooltip.text
    assert "Attack · shooting" in text and "Christchurch, New Zealand" in text and "Mar 15, 2019" in text
    assert "Fatalities 50+" in text                    # at least 50: open-ended, never an exact 50
    assert HOSTILE.title in text                       # the title as text, markup and all
    assert browser.execute_script("return window.__pwned") is None
    browser.save_screenshot(str(screenshots / "6-tooltip.png"))
    ActionChains(browser).move_to_element(browser.find_element(By.ID, "map-title")).perform()
    WebDriverWait(browser, 5).until(lambda d: not tooltip.is_displayed())
    browser.execute_script("arguments[0].focus()", point)   # the keyboard gets the same
    WebDriverWait(browser, 5).until(lambda d: tooltip.is_displayed() and "50+" in tooltip.text)
    point.send_keys(Keys.ESCAPE)
    WebDriverWait(browser, 5).until(lambda d: not tooltip.is_displayed())
    # a bar of the timeline says what it holds
    browser.execute_script("arguments[0].focus()", browser.find_element(By.CSS_SELECTOR, "#timeline g.bin[tabindex]"))
    bar_tip = browser.find_element(By.CSS_SELECTOR, "#timeline-frame .tooltip")
    WebDriverWait(browser, 5).until(lambda d: bar_tip.is_displayed() and "Attack 1" in bar_tip.text)


def test_an_open_ended_toll_shows_as_at_least(server, browser):
    open_dashboard(browser, server + "/?text=Christchurch")
    [row] = browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    assert row.find_elements(By.CSS_SELECTOR, "td")[3].text == "50+"
    # and every open-ended toll of the demo, in the table sorted by fatalities
    open_ended = [p for p in api(server + "/api/events?format=points&limit=10000")["points"]
                  if p["fatalities_min"] is not None and p["fatalities_max"] is None]
    assert open_ended, "the demo has open-ended tolls ('at least', 'tientallen')"
    open_dashboard(browser, server + "/?order=fatalities")
    cells = {r.get_attribute("data-id"): r.find_elements(By.CSS_SELECTOR, "td")[3].text
             for r in browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")}
    for p in open_ended:
        if p["id"] in cells:
            assert cells[p["id"]] == f"{p['fatalities_min']:,}+", p["id"]
    browser.get(server + "/#/event/evt_hostile_markup")
    wait_ready(browser)
    value = browser.find_element(By.CSS_SELECTOR, "#event-view tr[data-field='fatalities'] .field-value").text
    assert value == "50+"


def test_the_actor_filter_filters(server, browser):
    open_dashboard(browser, server + "/")
    points = api(server + "/api/events?format=points&limit=10000")["points"]
    names = [name for p in points for name in p["actors"]]
    actor = max(set(names), key=names.count)
    expected = api(f"{server}/api/events?actor={urllib.parse.quote(actor)}&limit=50")
    assert 0 < expected["total"] < len(points)
    field = browser.find_element(By.ID, "filter-actor")
    assert actor in [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#actor-names option")]
    field.send_keys(actor)
    wait_total(browser, expected["total"])
    rows = browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
    assert [r.get_attribute("data-id") for r in rows] == [e["id"] for e in expected["events"]]
    assert urllib.parse.quote_plus(actor) in browser.current_url
    assert sorted(marker_ids(browser)) == sorted(located(server, actor=urllib.parse.quote(actor)))
    browser.find_element(By.ID, "filter-reset").click()
    wait_total(browser, len(points))


def test_nothing_overflows_at_420_pixels(server, browser, screenshots):
    try:
        browser.set_window_size(420, 2400)
        open_dashboard(browser, server + "/")
        overflow = browser.execute_script("""
            const width = document.documentElement.clientWidth;
            const wide = [];
            if (document.documentElement.scrollWidth > width) wide.push('page ' + document.documentElement.scrollWidth);
            for (const node of document.querySelectorAll('.panel, .filters, .site-header, .filter, .panel > *, td')) {
              const box = node.getBoundingClientRect();
              if (box.right > width + 0.5 || box.left < -0.5 || node.scrollWidth > node.clientWidth + 1) {
                wide.push((node.id || node.className) + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
              }
            }
            return [width, wide];""")
        assert overflow[0] <= 420 and overflow[1] == []
        browser.save_screenshot(str(screenshots / "7-narrow.png"))
        # the tooltip keeps inside the screen too
        point = browser.find_elements(By.CSS_SELECTOR, "#map .marker")[-1]
        ActionChains(browser).move_to_element(point).perform()
        tooltip = browser.find_element(By.CSS_SELECTOR, "#map-frame .tooltip")
        WebDriverWait(browser, 5).until(lambda d: tooltip.is_displayed())
        box = tooltip.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= overflow[0]
        browser.save_screenshot(str(screenshots / "7-narrow-tooltip.png"))
    finally:
        browser.set_window_size(*DESKTOP)


def test_calendar_bins_and_ticks_fall_on_boundaries(server, browser):
    open_dashboard(browser, server + "/")
    result = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/static/js/timebins.js').then((tb) => {
          const d = tb.parseDay, day = (ms) => tb.isoDay(ms);
          done({
            weekOf: day(tb.floorTo('week', d('2016-12-25'))), quarterOf: day(tb.floorTo('quarter', d('2016-12-25'))),
            year: tb.chooseUnit(d('2005-08-01'), d('2020-01-01'), 60),
            months: tb.chooseUnit(d('2016-01-01'), d('2018-01-01'), 60),
            weeks: tb.chooseUnit(d('2016-01-01'), d('2017-01-01'), 60),
            days: tb.chooseUnit(d('2016-12-01'), d('2017-01-01'), 60),
            ticks: tb.timeTicks(d('2016-01-01'), d('2016-12-31'), 6).map((t) => day(t.ms)),
            counts: [tb.countTicks(28), tb.countTicks(3), tb.countTicks(5), tb.countTicks(1234)],
            bins: tb.binCounts([{ms: d('2016-11-28'), type: 'a', count: 1}, {ms: d('2016-12-20'), type: 'a', count: 2},
                                {ms: d('2017-01-05'), type: 'b', count: 1}], 'month', d('2016-12-01'), d('2017-02-01'))
              .map((b) => [day(b.start), b.total]),
          });
        });""")
    assert result == {
        "weekOf": "2016-12-19", "quarterOf": "2016-10-01",
        "year": "quarter", "months": "month", "weeks": "week", "days": "day",
        "ticks": ["2016-01-01", "2016-04-01", "2016-07-01", "2016-10-01"],   # quarters, not odd months
        "counts": [[0, 10, 20, 30], [0, 1, 2, 3], [0, 2, 4, 6], [0, 500, 1000, 1500]],
        "bins": [["2016-12-01", 3], ["2017-01-01", 1]],   # an event from before the range counts in its first bin
    }


def test_opening_an_event_shows_its_evidence_highlighted(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    # the newest event of the database itself (not the hand-made one with markup)
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#events-table tbody tr")
               if r.get_attribute("data-id") != "evt_hostile_markup")
    event_id = row.get_attribute("data-id")
    row.find_element(By.CSS_SELECTOR, "a").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "event-view").get_attribute("data-event-id") == event_id)
    wait_ready(browser)
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
    browser.save_screenshot(str(screenshots / "8-event.png"))
    browser.find_element(By.CSS_SELECTOR, "#event-view a.back").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "overview").is_displayed())
    wait_ready(browser)


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
    browser.save_screenshot(str(screenshots / "9-hostile-article.png"))
    assert browser.execute_script("return window.__pwned") is None
    assert console_errors(browser) == []   # not even a blocked attempt: the markup never became elements


def test_labels_switch_to_dutch(server, browser, screenshots):
    open_dashboard(browser, server + "/")
    browser.find_element(By.ID, "language-toggle").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.lang") == "nl")
    wait_ready(browser)
    assert browser.find_element(By.ID, "map-title").text == "Kaart"
    assert browser.find_element(By.CSS_SELECTOR, "label[for='filter-type']").text == "Soort"
    assert browser.find_element(By.CSS_SELECTOR, "label[for='filter-actor']").text == "Actor"
    # the ontology's Dutch labels
    label = browser.find_element(By.CSS_SELECTOR, "#legend li[data-type='attack'] .legend-label").text
    assert label == "Aanslag"
    modalities = [o.text for o in Select(browser.find_element(By.ID, "filter-modality")).options]
    assert modalities[1:3] == ["Gebeurd", "Niet gebeurd"]
    assert browser.find_element(By.ID, "map-zoom-in").get_attribute("aria-label") == "Inzoomen"
    browser.save_screenshot(str(screenshots / "10-dutch.png"))
    browser.find_element(By.ID, "language-toggle").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.lang") == "en")
