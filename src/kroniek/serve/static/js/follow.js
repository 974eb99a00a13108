// The "Followed feeds and alerts" panel: what `kroniek watch` polls (last fetch, errors) and the saved alerts.
// Self-contained: it adds its own panel under the overview, carries its own English and Dutch labels, and
// follows the page's language (document.documentElement.lang) when the language toggle changes it.

import {getJSON} from "./api.js";
import {clear, el, safeHttpUrl} from "./dom.js";

const REFRESH_MS = 30000;
const LABELS = {
  en: {
    title: "Followed feeds and alerts",
    help: "Feeds that `kroniek watch` polls, and saved queries that report new events.",
    feeds: "Feeds", alerts: "Alerts", feed: "Feed", last_fetch: "Last fetch", status: "Status",
    added: "Articles added", error: "Error", never: "never", not_fetched: "not fetched yet",
    ok: "ok", unchanged: "unchanged", failed: "failed", retry: "retry after {when}",
    name: "Name", filters: "Filters", target: "Target", fired: "Events reported", every_event: "every event",
    updates: "with updates", none_feeds: "No feeds yet: `kroniek feeds add URL`.",
    none_alerts: "No alerts yet: `kroniek alerts add NAME --type attack --to-file alerts.jsonl`.",
  },
  nl: {
    title: "Gevolgde feeds en meldingen",
    help: "Feeds die `kroniek watch` ophaalt, en opgeslagen zoekvragen die nieuwe gebeurtenissen melden.",
    feeds: "Feeds", alerts: "Meldingen", feed: "Feed", last_fetch: "Laatst opgehaald", status: "Status",
    added: "Artikelen toegevoegd", error: "Fout", never: "nooit", not_fetched: "nog niet opgehaald",
    ok: "in orde", unchanged: "ongewijzigd", failed: "mislukt", retry: "nieuwe poging na {when}",
    name: "Naam", filters: "Filters", target: "Bestemming", fired: "Gebeurtenissen gemeld", every_event: "alles",
    updates: "met updates", none_feeds: "Nog geen feeds: `kroniek feeds add URL`.",
    none_alerts: "Nog geen meldingen: `kroniek alerts add NAAM --type attack --to-file meldingen.jsonl`.",
  },
};

let last = {feeds: [], alerts: []};

function tr(key, vars) {
  const lang = (document.documentElement.lang || "en").slice(0, 2);
  let text = (LABELS[lang] || LABELS.en)[key] || LABELS.en[key] || key;
  for (const [k, v] of Object.entries(vars || {})) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

function when(iso) {
  if (!iso) return tr("never");
  const date = new Date(`${iso}Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(document.documentElement.lang || "en",
    {dateStyle: "medium", timeStyle: "short", timeZone: "UTC"}).format(date) + " UTC";
}

function table(headings, rows) {
  return el("div", {class: "table-wrap"},
    el("table", {class: "follow-table"},
      el("thead", {}, el("tr", {}, headings.map((h) => el("th", {scope: "col", text: h})))),
      el("tbody", {}, rows)));
}

function feedRow(feed) {
  const href = safeHttpUrl(feed.url);
  const link = href ? el("a", {href, rel: "noopener noreferrer", text: feed.name || feed.url}) : feed.name || feed.url;
  const status = feed.last_status ? tr(feed.last_status) : tr("not_fetched");
  const retry = feed.retry_at ? ` · ${tr("retry", {when: when(feed.retry_at)})}` : "";
  return el("tr", {dataset: {status: feed.last_status || "new"}},
    el("td", {}, link),
    el("td", {text: feed.last_fetch_at ? when(feed.last_fetch_at) : tr("never")}),
    el("td", {text: status + retry}),
    el("td", {class: "num", text: feed.items_added || 0}),
    el("td", {text: feed.last_error || ""}));
}

const FILTER_ORDER = ["type", "subtype", "modality", "country", "actor", "text", "since", "until"];

function describe(filters) {
  const entries = Object.entries(filters || {})
    .sort(([a], [b]) => (FILTER_ORDER.indexOf(a) + 1 || 99) - (FILTER_ORDER.indexOf(b) + 1 || 99));
  const parts = entries.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`);
  return parts.length ? parts.join(" · ") : tr("every_event");
}

function alertRow(alert) {
  return el("tr", {},
    el("td", {text: alert.name}),
    el("td", {text: describe(alert.filters) + (alert.updates ? ` (${tr("updates")})` : "")}),
    el("td", {text: `${alert.target_kind}: ${alert.target}`}),
    el("td", {class: "num", text: alert.fired || 0}));
}

function render() {
  let panel = document.getElementById("follow-panel");
  if (!last.feeds.length && !last.alerts.length) {
    if (panel) panel.hidden = true;
    return;
  }
  if (!panel) {
    panel = el("section", {id: "follow-panel", class: "panel panel-follow", "aria-labelledby": "follow-title"});
    const host = document.getElementById("overview") || document.querySelector("main") || document.body;
    host.appendChild(panel);
  }
  panel.hidden = false;
  clear(panel);
  panel.appendChild(el("div", {class: "panel-head"},
    el("h2", {id: "follow-title", text: tr("title")}), el("p", {class: "help", text: tr("help")})));
  panel.appendChild(el("h3", {text: tr("feeds")}));
  panel.appendChild(last.feeds.length
    ? table([tr("feed"), tr("last_fetch"), tr("status"), tr("added"), tr("error")], last.feeds.map(feedRow))
    : el("p", {class: "help", text: tr("none_feeds")}));
  panel.appendChild(el("h3", {text: tr("alerts")}));
  panel.appendChild(last.alerts.length
    ? table([tr("name"), tr("filters"), tr("target"), tr("fired")], last.alerts.map(alertRow))
    : el("p", {class: "help", text: tr("none_alerts")}));
}

async function refresh() {
  try {
    const [feeds, alerts] = await Promise.all([getJSON("/api/feeds"), getJSON("/api/alerts")]);
    last = {feeds: feeds.feeds || [], alerts: alerts.alerts || []};
    render();
  } catch {
    // An older server without these endpoints, or a network hiccup: the rest of the dashboard goes on.
  }
}

new MutationObserver(render).observe(document.documentElement, {attributes: true, attributeFilter: ["lang"]});
refresh();
setInterval(refresh, REFRESH_MS);
