// The dashboard: a filter bar that drives the map, the timeline, the legend, the countries and the table together,
// and an event page (#/event/<id>). Each panel is its own module; this one asks the API and hands each panel its
// part of the answer. Filters live in the page's query string so a view can be bookmarked and shared.

import {getJSON, queryString} from "./api.js";
import {clear, el} from "./dom.js";
import {capitalised, formatNumber, label, loadLanguage, preferredLanguage, t, translatePage} from "./i18n.js";
import {renderEventView} from "./eventview.js";
import {actorNames, bindFilterForm, FILTERS, fillFilterForm, readFiltersFromUrl} from "./filters.js";
import {renderCountries} from "./countries.js";
import {renderLegend} from "./legend.js";
import {WorldMap} from "./map.js";
import {loadOntology} from "./ontology.js";
import {renderTable} from "./table.js";
import {rowsFromPoints, rowsFromWeeks, Timeline} from "./timeline.js";

const PAGE_SIZE = 50;
const MAP_LIMIT = 10000;   // the API's most per request: the map and the timeline draw every matching event
const POLL_MS = 5000;      // how often to ask whether an ingest added events

const $ = (id) => document.getElementById(id);
const state = {filters: {}, offset: 0, order: "date", countries: [], actors: [], facets: {}, generation: null,
               request: 0, controller: null};
let worldMap = null;
let timeline = null;

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

function filterParams(without) {
  return Object.fromEntries(Object.entries(state.filters).filter(([k, v]) => v && k !== without));
}

function fillForm() {
  fillFilterForm(state.filters, {...state.facets, countries: state.countries, actors: state.actors});
  $("table-order").value = state.order;
}

function updateDownloadLinks() {
  $("download-csv").href = `/api/export${queryString({...filterParams(), format: "csv"})}`;
  $("download-geojson").href = `/api/export${queryString({...filterParams(), format: "geojson"})}`;
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

/** /api/stats for the filters but one (the counts beside that filter's choices), or the same answer when unset. */
function facet(name, stats, signal) {
  return state.filters[name] ? getJSON("/api/stats", filterParams(name), signal) : stats;
}

/** Reload every panel for the current filters. */
async function refreshOverview() {
  const round = beginRound();
  const filters = filterParams();
  try {
    const statsRequest = getJSON("/api/stats", filters, round.signal);
    const [points, stats, page, byType, byCountry] = await Promise.all([
      getJSON("/api/events", {...filters, format: "points", limit: MAP_LIMIT}, round.signal),
      statsRequest,
      getJSON("/api/events", {...filters, limit: PAGE_SIZE, offset: state.offset, order: state.order}, round.signal),
      statsRequest.then((s) => facet("type", s, round.signal)),
      statsRequest.then((s) => facet("country", s, round.signal)),
    ]);
    if (!isCurrent(round)) return;
    state.facets = {byType: byType.by_type, byCountry: byCountry.by_country};
    if (!Object.keys(filters).length || !state.actors.length) state.actors = actorNames(points.points);
    fillForm();
    showMap(points);
    showTimeline(points, stats);
    renderLegend($("legend"), stats.by_type, state.filters.type, (type) => setFilters({type}));
    renderCountries($("countries"), byCountry.by_country, state.filters.country, (country) => setFilters({country}));
    showPage(page);
    updateDownloadLinks();
    setStatus("");
    delete document.body.dataset.error;
    setReady(true);
  } catch (error) {
    failed(round, error);
  }
}

function showMap(points) {
  worldMap.render(points.points);
  const unplaced = points.points.filter((p) => !Number.isFinite(p.lon) || !Number.isFinite(p.lat)).length;
  const notes = [];
  if (points.total > points.points.length) {
    notes.push(t("ui.map_truncated", {n: formatNumber(points.points.length), total: formatNumber(points.total)}));
  }
  if (unplaced) notes.push(t("ui.no_location", {n: formatNumber(unplaced)}));
  $("map-missing").textContent = notes.join(" ");
}

function showTimeline(points, stats) {
  // Every matching event when the map has them all (any bin, down to a day); otherwise the weekly counts.
  const complete = points.total === points.points.length;
  const rows = complete ? rowsFromPoints(points.points) : rowsFromWeeks(stats.by_week);
  timeline.render(rows, {finest: complete ? "day" : "week", since: state.filters.since, until: state.filters.until});
  const dated = stats.by_week.reduce((sum, w) => sum + w.count, 0);
  $("timeline-missing").textContent = stats.total > dated ? t("ui.weeks_without_date", {n: formatNumber(stats.total - dated)}) : "";
  $("timeline-clear").hidden = !(state.filters.since || state.filters.until);
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

function showPage(page) {
  renderTable($("events-table").tBodies[0], page.events, openEvent);
  $("result-count").textContent = page.total === 1 ? t("ui.result_count_one")
    : t("ui.result_count", {n: formatNumber(page.total)});
  $("result-count").dataset.total = String(page.total);
  const from = page.total ? page.offset + 1 : 0;
  $("page-info").textContent = t("ui.showing", {from: formatNumber(from), to: formatNumber(page.offset + page.events.length),
                                                n: formatNumber(page.total)});
  $("page-prev").disabled = page.offset === 0;
  $("page-next").disabled = page.offset + page.events.length >= page.total;
}

/** Change some filters (from the form, the legend, the countries, the timeline) and reload. */
function setFilters(changes) {
  Object.assign(state.filters, changes);
  for (const name of FILTERS) $(`filter-${name}`).value = state.filters[name] || "";
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
    document.title = `${capitalised(label("types", payload.event.type))} · Kroniek`;
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
  else if (/^#\/(analysis|group\/)/.test(location.hash)) hideViews();   // analysis.js draws these pages
  else showOverview();
}

function hideViews() {
  for (const id of ["overview", "filters", "event-view"]) $(id).hidden = true;
}

/** Every country in the database, for the country filter (whatever the other filters). */
async function reloadCountries() {
  state.countries = Object.keys((await getJSON("/api/stats")).by_country);
}

/** When an ingest (through this server) adds events, reload what is on screen. */
async function pollForChanges() {
  try {
    const health = await getJSON("/api/health");
    if (state.generation !== null && health.generation !== state.generation) {
      state.generation = health.generation;
      await reloadCountries();
      if (!$("overview").hidden) refreshOverview();
    }
    state.generation = health.generation;
  } catch {
    // the server may be restarting; try again next time
  }
}

function bindControls() {
  bindFilterForm((changes) => {
    if (Object.entries(changes).every(([name, value]) => (state.filters[name] || "") === value)) return;
    setFilters(changes);
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
  $("map-zoom-in").addEventListener("click", () => worldMap.zoomBy(2));
  $("map-zoom-out").addEventListener("click", () => worldMap.zoomBy(0.5));
  $("map-fit").addEventListener("click", () => worldMap.fitToEvents(true));
  $("map-world").addEventListener("click", () => worldMap.showWorld(true));
  $("timeline-clear").addEventListener("click", () => setFilters({since: "", until: ""}));
  $("language-toggle").addEventListener("click", async () => {
    await loadLanguage(t("ui.language_code"));
    translatePage();
    fillForm();
    route();
  });
  window.addEventListener("hashchange", route);
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if ($("overview").hidden) return;
      timeline.redraw();
      worldMap.resize();
    }, 150);
  });
}

async function start() {
  ({filters: state.filters, order: state.order} = readFiltersFromUrl());
  await loadLanguage(preferredLanguage());
  translatePage();
  worldMap = new WorldMap($("map"), $("map-frame"), openEvent);
  timeline = new Timeline($("timeline"), $("timeline-frame"), (since, until) => setFilters({since, until}));
  try {
    await Promise.all([loadOntology(), worldMap.load(), reloadCountries()]);
  } catch (error) {
    setStatus(t("ui.error", {message: error.message}), true);
    document.body.dataset.error = error.message;
    setReady(true);
    return;
  }
  fillForm();
  bindControls();
  route();
  setInterval(pollForChanges, POLL_MS);
  pollForChanges();
}

start();
