// The dashboard: a filter bar that drives the map, the timeline and the table together, and an event page
// (#/event/<id>). Filters live in the page's query string so a view can be bookmarked and shared.

import {getJSON, queryString} from "./api.js";
import {clear, el} from "./dom.js";
import {countryName, currentLanguage, label, loadLanguage, preferredLanguage, t, translatePage} from "./i18n.js";
import {renderEventView} from "./eventview.js";
import {renderLegend, WorldMap} from "./map.js";
import {renderTable} from "./table.js";
import {domainOf, renderTimeline} from "./timeline.js";
import {MODALITIES, TYPES} from "./types.js";

const FILTERS = ["type", "modality", "country", "since", "until", "text"];
const PAGE_SIZE = 50;
const MAP_LIMIT = 10000;
const POLL_MS = 5000;   // how often to ask whether an ingest added events

const $ = (id) => document.getElementById(id);
const state = {filters: {}, offset: 0, order: "date", base: null, generation: null, request: 0, controller: null};
let worldMap = null;
let textTimer = null;

function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  state.filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || ""]));
  state.order = params.get("order") === "fatalities" ? "fatalities" : "date";
}

function writeFiltersToUrl() {
  const query = queryString({...state.filters, order: state.order === "date" ? "" : state.order});
  history.replaceState(null, "", `${location.pathname}${query}${location.hash}`);
}

function setReady(ready) {
  document.body.dataset.ready = ready ? "1" : "0";
}

function setStatus(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function fillSelect(select, values, labelOf) {
  const chosen = select.value;
  clear(select);
  select.appendChild(el("option", {value: "", text: t("ui.any")}));
  for (const value of values) select.appendChild(el("option", {value, text: labelOf(value)}));
  select.value = values.includes(chosen) ? chosen : "";
}

function fillFilterForm() {
  const byCountry = (state.base && state.base.by_country) || {};
  const byType = (state.base && state.base.by_type) || {};
  const extraTypes = Object.keys(byType).filter((x) => !TYPES.includes(x));
  fillSelect($("filter-type"), TYPES.concat(extraTypes),
    (v) => label("types", v) + (byType[v] ? ` (${byType[v]})` : ""));
  fillSelect($("filter-modality"), MODALITIES, (v) => label("modalities", v));
  const countries = Object.keys(byCountry)
    .sort((a, b) => countryName(a).localeCompare(countryName(b), currentLanguage()));
  if (state.filters.country && !countries.includes(state.filters.country)) countries.push(state.filters.country);
  fillSelect($("filter-country"), countries, (v) => `${countryName(v)} (${byCountry[v] || 0})`);
  for (const name of FILTERS) $(`filter-${name}`).value = state.filters[name] || "";
  $("table-order").value = state.order;
}

function filterParams() {
  return Object.fromEntries(Object.entries(state.filters).filter(([, v]) => v));
}

function updateDownloadLinks() {
  $("download-csv").href = `/api/events${queryString({...filterParams(), format: "csv", limit: MAP_LIMIT})}`;
  $("download-geojson").href = `/api/events${queryString({...filterParams(), format: "geojson", limit: MAP_LIMIT})}`;
}

/** Start a request round; earlier rounds still in flight are cancelled and their answers ignored. */
function beginRound() {
  if (state.controller) state.controller.abort();
  state.controller = new AbortController();
  state.request += 1;
  setReady(false);
  setStatus(t("ui.loading"));
  return {id: state.request, signal: state.controller.signal};
}

function isCurrent(round) {
  return round.id === state.request;
}

function failed(round, error) {
  if (error.name === "AbortError" || !isCurrent(round)) return;
  setStatus(t("ui.error", {message: error.message}), true);
  document.body.dataset.error = error.message;
  setReady(true);
}

/** Reload map, timeline, table and counts for the current filters. */
async function refreshOverview() {
  const round = beginRound();
  const filters = filterParams();
  try {
    const [points, stats, page] = await Promise.all([
      getJSON("/api/events", {...filters, format: "geojson", limit: MAP_LIMIT}, round.signal),
      getJSON("/api/stats", filters, round.signal),
      getJSON("/api/events", {...filters, limit: PAGE_SIZE, offset: state.offset, order: state.order}, round.signal),
    ]);
    if (!isCurrent(round)) return;
    worldMap.render(points.features);
    const missing = points.features.filter((f) => !f.geometry).length;
    $("map-missing").textContent = missing ? t("ui.no_location", {n: missing}) : "";
    renderLegend($("legend"), stats.by_type);
    renderCountries(stats.by_country);
    state.weeks = stats.by_week;
    drawTimeline();
    const dated = stats.by_week.reduce((sum, w) => sum + w.count, 0);
    $("timeline-missing").textContent = stats.total > dated ? t("ui.weeks_without_date", {n: stats.total - dated}) : "";
    showPage(page);
    updateDownloadLinks();
    setStatus("");
    delete document.body.dataset.error;
    setReady(true);
  } catch (error) {
    failed(round, error);
  }
}

async function refreshTable() {
  const round = beginRound();
  try {
    const page = await getJSON("/api/events",
      {...filterParams(), limit: PAGE_SIZE, offset: state.offset, order: state.order}, round.signal);
    if (!isCurrent(round)) return;
    showPage(page);
    setStatus("");
    setReady(true);
  } catch (error) {
    failed(round, error);
  }
}

/** Events per country as bars; choosing one filters on it (choosing it again clears that filter). */
function renderCountries(byCountry) {
  const list = clear($("countries"));
  const entries = Object.entries(byCountry).slice(0, 12);
  const most = Math.max(1, ...entries.map(([, n]) => n));
  for (const [code, n] of entries) {
    const fill = el("span", {class: "bar-fill"});
    fill.style.width = `${(100 * n) / most}%`;
    const chosen = state.filters.country === code;
    list.appendChild(el("li", {}, el("button", {
      type: "button", "aria-pressed": String(chosen), "data-country": code,
      onclick: () => {
        state.filters.country = chosen ? "" : code;
        $("filter-country").value = state.filters.country;
        filtersChanged();
      },
    }, el("span", {class: "bar-name", text: countryName(code)}),
    el("span", {class: "bar-track", "aria-hidden": "true"}, fill),
    el("span", {class: "bar-count", text: String(n)}))));
  }
}

function showPage(page) {
  renderTable($("events-table").tBodies[0], page.events, openEvent);
  $("result-count").textContent = page.total === 1 ? t("ui.result_count_one") : t("ui.result_count", {n: page.total});
  $("result-count").dataset.total = String(page.total);
  const from = page.total ? page.offset + 1 : 0;
  $("page-info").textContent = t("ui.showing", {from, to: page.offset + page.events.length, n: page.total});
  $("page-prev").disabled = page.offset === 0;
  $("page-next").disabled = page.offset + page.events.length >= page.total;
}

function drawTimeline() {
  renderTimeline($("timeline"), state.weeks || [], domainOf(state.base.by_week), selectWeek);
}

function selectWeek(weekStart) {
  const end = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 6 * 86400000).toISOString().slice(0, 10);
  state.filters.since = weekStart;
  state.filters.until = end;
  $("filter-since").value = weekStart;
  $("filter-until").value = end;
  filtersChanged();
}

function filtersChanged() {
  state.offset = 0;
  writeFiltersToUrl();
  refreshOverview();
}

function openEvent(id) {
  location.hash = `#/event/${encodeURIComponent(id)}`;
}

async function showEvent(id) {
  $("overview").hidden = true;
  $("filters").hidden = true;
  const view = $("event-view");
  view.hidden = false;
  const round = beginRound();
  try {
    const payload = await getJSON(`/api/events/${encodeURIComponent(id)}`, null, round.signal);
    if (!isCurrent(round)) return;
    renderEventView(view, payload);
    document.title = `${label("types", payload.event.type)} · Kroniek`;
    $("event-title").focus();
    setStatus("");
    setReady(true);
  } catch (error) {
    if (error.status === 404 && isCurrent(round)) {
      clear(view).append(el("p", {}, el("a", {class: "back", href: "#/", text: `← ${t("ui.back")}`})),
        el("h2", {id: "event-title", text: t("ui.not_found")}));
      setStatus("");
      setReady(true);
      return;
    }
    failed(round, error);
  }
}

function showOverview() {
  $("event-view").hidden = true;
  $("overview").hidden = false;
  $("filters").hidden = false;
  document.title = "Kroniek";
  refreshOverview();
}

function route() {
  const match = location.hash.match(/^#\/event\/(.+)$/);
  if (match) showEvent(decodeURIComponent(match[1]));
  else showOverview();
}

async function reloadBase() {
  state.base = await getJSON("/api/stats");
  fillFilterForm();
}

/** When an ingest (through this server) adds events, reload what is on screen. */
async function pollForChanges() {
  try {
    const health = await getJSON("/api/health");
    if (state.generation !== null && health.generation !== state.generation) {
      state.generation = health.generation;
      await reloadBase();
      if (!$("overview").hidden) refreshOverview();
    }
    state.generation = health.generation;
  } catch {
    // the server may be restarting; try again next time
  }
}

function bindControls() {
  const form = $("filters");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.filters.text = $("filter-text").value.trim();
    filtersChanged();
  });
  form.addEventListener("reset", () => {
    // after the browser has cleared the fields
    setTimeout(() => {
      for (const name of FILTERS) state.filters[name] = "";
      fillFilterForm();
      filtersChanged();
    });
  });
  for (const name of ["type", "modality", "country", "since", "until"]) {
    $(`filter-${name}`).addEventListener("change", (event) => {
      state.filters[name] = event.target.value;
      filtersChanged();
    });
  }
  $("filter-text").addEventListener("input", (event) => {
    clearTimeout(textTimer);
    textTimer = setTimeout(() => {
      const value = event.target.value.trim();
      if (value !== state.filters.text) {
        state.filters.text = value;
        filtersChanged();
      }
    }, 300);
  });
  $("table-order").addEventListener("change", (event) => {
    state.order = event.target.value;
    state.offset = 0;
    writeFiltersToUrl();
    refreshTable();
  });
  $("page-prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    refreshTable();
  });
  $("page-next").addEventListener("click", () => {
    state.offset += PAGE_SIZE;
    refreshTable();
  });
  const setMapMode = (mode) => {
    worldMap.setMode(mode);
    $("map-fit").setAttribute("aria-pressed", String(mode === "events"));
    $("map-world").setAttribute("aria-pressed", String(mode === "world"));
  };
  $("map-fit").addEventListener("click", () => setMapMode("events"));
  $("map-world").addEventListener("click", () => setMapMode("world"));
  $("language-toggle").addEventListener("click", async () => {
    await loadLanguage(t("ui.language_code"));
    translatePage();
    fillFilterForm();
    route();
  });
  window.addEventListener("hashchange", route);
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (!$("overview").hidden) drawTimeline(); }, 150);
  });
}

async function start() {
  readFiltersFromUrl();
  await loadLanguage(preferredLanguage());
  translatePage();
  worldMap = new WorldMap($("map"), openEvent);
  try {
    await Promise.all([worldMap.load(), reloadBase()]);
  } catch (error) {
    setStatus(t("ui.error", {message: error.message}), true);
    document.body.dataset.error = error.message;
    setReady(true);
    return;
  }
  bindControls();
  route();
  setInterval(pollForChanges, POLL_MS);
  pollForChanges();
}

start();
