// The Analysis page (#/analysis) and group pages (#/group/<id>): the theatre and the attacks abroad side by side,
// the claims and their delays, calls to violence and the attacks after them, the lagged association; and one
// group's attacks, claims, calls and fighting by month. Every bar and marker opens the events it counts.
// Self-contained: its own section, nav link, stylesheet and English and Dutch labels; it follows the page's
// language (document.documentElement.lang). Data from /api/analyse (serve/analyse_api.py).

import {getJSON} from "./api.js";
import {clear, el, svgEl} from "./dom.js";
import {loadOntology, typeColour} from "./ontology.js";

const LABELS = {
  en: {
    nav: "Analysis", title: "Conflict theatres and attacks abroad", group_title: "{name} over time",
    intro: "Do the conflict theatres drive attacks abroad? The fighting in {theatre} beside the attacks abroad, " +
      "the claims of those attacks and the calls to violence before them.",
    group: "Group", any_group: "any group", weekly: "per week", monthly: "per month", since: "From", until: "To",
    theatre: "Theatre events ({theatre})", abroad: "Attacks abroad", claimed: "of which claimed",
    lost: "ground the group lost", gained: "ground it took", calls: "call to violence",
    claims_title: "Claims: days from attack to claim", claims_none: "No attack abroad was claimed in this period.",
    claims_summary: "{claimed} of {attacks} attacks abroad claimed by {who}; median delay {median} days.",
    calls_title: "Calls to violence and the attacks abroad within {days} days after them",
    calls_none: "No call to violence dated to the day or week in this period.",
    calls_summary: "{calls} calls, {followed} followed by an attack abroad within {days} days; a window that long " +
      "holds {expected} attacks by chance at this period's rate.",
    followed_by: "followed by", nothing_followed: "no attack abroad within the window", days_later: "{n} d later",
    assoc_title: "Lagged association", lag: "lag (weeks)", rate_ratio: "rate ratio", interval: "95% interval",
    p_adjusted: "p adjusted", not_estimated: "not estimated", selection: "Events in this point",
    selection_help: "Choose a bar or a marker to list its events.", open_group: "Group page",
    group_kinds: {attacks: "attacks", claims: "claims", calls: "calls", fighting: "fighting"},
    countries: "Countries", none: "–", back: "Analysis", loading: "Loading…",
    unavailable: "The analysis is not available on this server: {message}",
  },
  nl: {
    nav: "Analyse", title: "Conflictgebieden en aanslagen elders", group_title: "{name} door de tijd",
    intro: "Drijven de conflictgebieden aanslagen elders aan? De strijd in {theatre} naast de aanslagen elders, " +
      "de claims van die aanslagen en de oproepen tot geweld ervoor.",
    group: "Groep", any_group: "elke groep", weekly: "per week", monthly: "per maand", since: "Van", until: "Tot",
    theatre: "Gebeurtenissen in het conflictgebied ({theatre})", abroad: "Aanslagen elders", claimed: "waarvan opgeëist",
    lost: "terrein dat de groep verloor", gained: "terrein dat zij innam", calls: "oproep tot geweld",
    claims_title: "Claims: dagen van aanslag tot claim", claims_none: "Geen aanslag elders werd in deze periode opgeëist.",
    claims_summary: "{claimed} van {attacks} aanslagen elders opgeëist door {who}; mediane vertraging {median} dagen.",
    calls_title: "Oproepen tot geweld en de aanslagen elders binnen {days} dagen erna",
    calls_none: "Geen oproep tot geweld gedateerd op de dag of week in deze periode.",
    calls_summary: "{calls} oproepen, waarvan {followed} gevolgd door een aanslag elders binnen {days} dagen; een " +
      "venster van die lengte bevat bij het gemiddelde van deze periode {expected} aanslagen door toeval.",
    followed_by: "gevolgd door", nothing_followed: "geen aanslag elders binnen het venster", days_later: "{n} d later",
    assoc_title: "Samenhang met vertraging", lag: "vertraging (weken)", rate_ratio: "verhouding", interval: "95%-interval",
    p_adjusted: "p gecorrigeerd", not_estimated: "niet geschat", selection: "Gebeurtenissen in dit punt",
    selection_help: "Kies een staaf of markering om de gebeurtenissen te zien.", open_group: "Groepspagina",
    group_kinds: {attacks: "aanslagen", claims: "claims", calls: "oproepen", fighting: "gevechten"},
    countries: "Landen", none: "–", back: "Analyse", loading: "Laden…",
    unavailable: "De analyse is op deze server niet beschikbaar: {message}",
  },
};
// Series are drawn in the colour of their event type (the API names it, /api/ontology colours it); the rest is ink.
const COLOURS = {abroad: "#f4a3a3", lost: "#1d2329", gained: "#5b6670"};
let ontologyLoaded = null;

function useColours(seriesTypes) {
  const of = (series) => typeColour(seriesTypes[series]);
  Object.assign(COLOURS, {theatre: of("theatre_events"), claimed: of("abroad_attacks"), call: of("calls"),
    attacks: of("attacks"), claims: of("claims"), calls: of("calls"), fighting: of("fighting")});
}
const WIDTH = 900;

const state = {freq: "weekly", group: "islamic-state", since: "", until: "", data: null, groups: null, page: null,
  groupData: null};
let section = null;
let round = 0;

function lang() {
  return (document.documentElement.lang || "en").slice(0, 2) === "nl" ? "nl" : "en";
}

function tr(key, vars) {
  let text = LABELS[lang()][key] ?? LABELS.en[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

function setReady(ready) {
  document.body.dataset.ready = ready ? "1" : "0";
}

function mount() {
  if (section) return section;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/static/analysis.css";
  document.head.appendChild(link);
  const nav = document.querySelector(".header-links");
  if (nav) nav.insertBefore(el("a", {id: "analysis-link", href: "#/analysis", text: tr("nav")}), nav.firstChild);
  section = el("section", {id: "analysis-view", class: "analysis-view", hidden: true, "aria-labelledby": "analysis-title"});
  (document.getElementById("main") || document.body).appendChild(section);
  return section;
}

// -- reading the hash -----------------------------------------------------------------------------------------------
function readHash() {
  const hash = location.hash;
  const group = hash.match(/^#\/group\/([^?]+)/);
  if (group) return {page: "group", id: decodeURIComponent(group[1])};
  if (!hash.startsWith("#/analysis")) return null;
  const params = new URLSearchParams(hash.split("?")[1] || "");
  return {page: "analysis", group: params.has("group") ? params.get("group") : state.group,
    freq: params.get("freq") === "monthly" ? "monthly" : "weekly", since: params.get("since") || "",
    until: params.get("until") || ""};
}

function analysisHash(changes) {
  const next = {group: state.group, freq: state.freq, since: state.since, until: state.until, ...changes};
  const params = new URLSearchParams();
  params.set("group", next.group || "");
  if (next.freq !== "weekly") params.set("freq", next.freq);
  if (next.since) params.set("since", next.since);
  if (next.until) params.set("until", next.until);
  return `#/analysis?${params.toString()}`;
}

// -- the selection: the events a point counts -----------------------------------------------------------------------
async function showSelection(title, ids) {
  const box = document.getElementById("analysis-selection");
  clear(box).append(el("h3", {text: `${tr("selection")}: ${title}`}));
  const list = el("ul", {class: "analysis-events"});
  box.append(list);
  if (!ids.length) return;
  setReady(false);
  try {
    const found = await getJSON("/api/analyse/events", {ids: ids.join(",")});
    for (const e of found.events) {
      const place = [e.location_name, e.country].filter(Boolean).join(", ");
      const words = [e.date_start, e.type.replace("_", " "), place].filter(Boolean).join(" · ");
      list.append(el("li", {}, el("a", {class: "analysis-event", href: `#/event/${encodeURIComponent(e.id)}`,
        "data-id": e.id, text: words}), e.title ? el("span", {class: "muted", text: ` — ${e.title}`}) : null));
    }
  } finally {
    setReady(true);
  }
}

function pointAttrs(title, ids, extra) {
  const open = () => showSelection(title, ids);
  return {tabindex: "0", role: "button", "aria-label": title, "data-ids": ids.join(" "), class: "point",
    onclick: open, onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); } },
    ...extra};
}

// -- the two series ------------------------------------------------------------------------------------------------
function seriesChart(rows, data) {
  const height = 150, gap = 36, left = 44, top = 18, plot = WIDTH - left - 10;
  const svg = svgEl("svg", {id: "analysis-series", viewBox: `0 0 ${WIDTH} ${2 * height + gap + 40}`, role: "group",
    "aria-label": `${tr("theatre", {theatre: data.scope.theatre_names.join(", ")})}; ${tr("abroad")}`});
  if (!rows.length) return svg;
  const step = plot / rows.length;
  const bar = Math.max(1, step * 0.8);
  const label = state.freq === "weekly" ? "week" : "month";
  const panels = [
    {y: top, key: "theatre_events", colour: COLOURS.theatre, title: tr("theatre", {theatre: data.scope.theatre_names.join(", ")})},
    {y: top + height + gap, key: "abroad_attacks", colour: COLOURS.abroad, title: tr("abroad")},
  ];
  for (const panel of panels) {
    const most = Math.max(1, ...rows.map((r) => Number(r[panel.key]) || 0),
      ...(panel.key === "abroad_attacks" ? rows.map((r) => (Number(r.calls) ? 1 : 0)) : [0]));
    const scale = (n) => (height - 22) * n / most;
    const base = panel.y + height;
    svg.append(svgEl("text", {x: left, y: panel.y - 4, class: "chart-title", text: panel.title}));
    svg.append(svgEl("line", {x1: left, x2: left + plot, y1: base, y2: base, class: "axis"}));
    svg.append(svgEl("text", {x: left - 6, y: base - scale(most) + 4, class: "tick", "text-anchor": "end", text: String(most)}));
    rows.forEach((row, i) => {
      const x = left + i * step;
      const n = Number(row[panel.key]) || 0;
      const ids = (row.events && row.events[panel.key]) || [];
      if (n) {
        svg.append(svgEl("rect", pointAttrs(`${row[label]} · ${panel.title} · ${n}`, ids, {x, width: bar,
          y: base - scale(n), height: scale(n), fill: panel.colour, "data-series": panel.key, "data-count": n,
          "data-start": row.start, class: "point bar"})));
      }
      if (panel.key === "abroad_attacks") {
        const claimed = Number(row.abroad_attacks_claimed) || 0;
        if (claimed) {
          // drawn over the week's bar, which opens all its attacks (claimed ones first in the list)
          svg.append(svgEl("rect", {x, width: bar, y: base - scale(claimed), height: scale(claimed),
            fill: COLOURS.claimed, "data-series": "abroad_attacks_claimed", "data-count": claimed,
            "data-start": row.start, class: "overlay", "aria-hidden": "true"}));
        }
        if (Number(row.calls)) {
          svg.append(svgEl("path", pointAttrs(`${row[label]} · ${tr("calls")} · ${row.calls}`, row.events.calls || [],
            {d: `M${x + bar / 2 - 5},${panel.y + 4} l10,0 l-5,9 z`, fill: COLOURS.call, "data-series": "calls",
              "data-count": row.calls, "data-start": row.start, class: "point marker"})));
        }
      } else {
        for (const [key, colour, up] of [["territory_lost", COLOURS.lost, false], ["territory_gained", COLOURS.gained, true]]) {
          if (!Number(row[key])) continue;
          const y = base - scale(n) - 12;
          const d = up ? `M${x + bar / 2},${y} l5,9 l-10,0 z` : `M${x + bar / 2 - 5},${y} l10,0 l-5,9 z`;
          svg.append(svgEl("path", pointAttrs(`${row[label]} · ${tr(key === "territory_lost" ? "lost" : "gained")}`,
            row.events[key] || [], {d, fill: colour, "data-series": key, "data-count": row[key],
              "data-start": row.start, class: "point marker"})));
        }
      }
    });
  }
  const first = rows[0].start, last = rows[rows.length - 1].start;
  const axisY = 2 * height + gap + top + 16;
  svg.append(svgEl("text", {x: left, y: axisY, class: "tick", text: first}));
  svg.append(svgEl("text", {x: left + plot, y: axisY, class: "tick", "text-anchor": "end", text: last}));
  return svg;
}

function legend(hasGroup) {
  const items = [[COLOURS.theatre, "theatre", {theatre: state.data.scope.theatre_names.join(", ")}],
    [COLOURS.abroad, "abroad"], [COLOURS.claimed, "claimed"], [COLOURS.call, "calls"]];
  if (hasGroup) items.push([COLOURS.lost, "lost"], [COLOURS.gained, "gained"]);
  return el("ul", {class: "analysis-legend"}, items.map(([colour, key, vars]) => {
    const swatch = el("span", {class: "swatch"});
    swatch.style.background = colour;
    return el("li", {}, swatch, tr(key, vars));
  }));
}

// -- claims --------------------------------------------------------------------------------------------------------
function claimsChart(claims) {
  const rows = claims.filter((c) => c.claimed);
  const line = 22, left = 230, plot = WIDTH - left - 60;
  const svg = svgEl("svg", {id: "analysis-claims", viewBox: `0 0 ${WIDTH} ${Math.max(1, rows.length) * line + 24}`,
    role: "group", "aria-label": tr("claims_title")});
  const most = Math.max(2, ...rows.map((r) => r.delay_days ?? 0));
  rows.forEach((row, i) => {
    const y = 6 + i * line;
    const ids = [row.attack_id, ...String(row.claim_ids || "").split(" ").filter(Boolean)];
    const name = `${row.place || row.country || "?"} ${row.attack_date}`;
    svg.append(svgEl("text", {x: left - 8, y: y + 13, class: "tick", "text-anchor": "end", text: name}));
    const width = row.delay_days === null ? 0 : Math.max(3, plot * row.delay_days / most);
    svg.append(svgEl("rect", pointAttrs(`${name} · ${row.delay_days ?? "?"} d`, ids, {x: left, y, width: Math.max(width, 6),
      height: line - 8, fill: row.delay_days === null ? "#d7dce1" : COLOURS.claims, "data-attack": row.attack_id,
      "data-delay": row.delay_days ?? "", class: "point delay"})));
    svg.append(svgEl("text", {x: left + Math.max(width, 6) + 6, y: y + 12, class: "tick",
      text: row.delay_days === null ? "?" : `${row.delay_days} d`}));
  });
  return svg;
}

// -- calls -> attacks ----------------------------------------------------------------------------------------------
function callsChart(calls, claims) {
  const height = 120, left = 20, plot = WIDTH - 2 * left;
  const svg = svgEl("svg", {id: "analysis-calls", viewBox: `0 0 ${WIDTH} ${height}`, role: "group",
    "aria-label": tr("calls_title", {days: state.data.summaries.calls.window_days})});
  const dates = [...calls.map((c) => c.call_date), ...claims.map((c) => c.attack_date)].map((d) => Date.parse(d));
  if (!dates.length) return svg;
  const lo = Math.min(...dates), hi = Math.max(...dates) || lo + 1;
  const x = (d) => left + plot * (Date.parse(d) - lo) / Math.max(1, hi - lo);
  for (const link of calls.filter((c) => c.attack_id)) {
    svg.append(svgEl("line", {x1: x(link.call_date), y1: 28, x2: x(link.attack_date), y2: height - 24, class: "link"}));
  }
  for (const attack of claims) {
    svg.append(svgEl("circle", pointAttrs(`${attack.place || attack.country} ${attack.attack_date}`, [attack.attack_id],
      {cx: x(attack.attack_date), cy: height - 24, r: 5, fill: COLOURS.attacks, class: "point attack-dot",
        "data-id": attack.attack_id})));
  }
  const byCall = new Map();
  for (const row of calls) {
    if (!byCall.has(row.call_id)) byCall.set(row.call_id, {row, attacks: []});
    if (row.attack_id) byCall.get(row.call_id).attacks.push(row.attack_id);
  }
  for (const {row, attacks} of byCall.values()) {
    svg.append(svgEl("path", pointAttrs(`${tr("calls")} ${row.call_date}`, [row.call_id, ...attacks],
      {d: `M${x(row.call_date) - 6},20 l12,0 l-6,10 z`, fill: COLOURS.calls, class: "point call-marker",
        "data-call": row.call_id})));
  }
  return svg;
}

function callsTable(calls) {
  const byCall = new Map();
  for (const row of calls) {
    if (!byCall.has(row.call_id)) byCall.set(row.call_id, {row, attacks: []});
    if (row.attack_id) byCall.get(row.call_id).attacks.push(row);
  }
  return el("ul", {class: "analysis-calls"}, [...byCall.values()].map(({row, attacks}) => el("li", {"data-call": row.call_id},
    el("a", {href: `#/event/${encodeURIComponent(row.call_id)}`, text: row.call_date}), " ",
    el("q", {text: row.call_quote || ""}), " ",
    el("span", {class: "muted", text: [row.instigators, row.platforms].filter(Boolean).join(" · ")}),
    el("div", {}, attacks.length ? [`${tr("followed_by")}: `, ...attacks.map((a) => el("a", {
      class: "followed", href: `#/event/${encodeURIComponent(a.attack_id)}`,
      text: `${a.place || a.country} ${a.attack_date} (${tr("days_later", {n: a.lag_days})})`}))] : tr("nothing_followed")))));
}

// -- association ---------------------------------------------------------------------------------------------------
function associationTable(rows, summaries) {
  const number = (v) => (v === null || v === undefined ? tr("none") : Number(v).toPrecision(3));
  return el("div", {},
    Object.entries(summaries).map(([predictor, s]) => el("p", {class: "assoc-summary"},
      el("b", {text: `${predictor.replace("_", " ")}: `}), s.text)),
    el("div", {class: "table-wrap"}, el("table", {id: "analysis-association"},
      el("thead", {}, el("tr", {}, ["", tr("lag"), tr("rate_ratio"), tr("interval"), tr("p_adjusted")]
        .map((h) => el("th", {scope: "col", text: h})))),
      el("tbody", {}, rows.map((r) => el("tr", {"data-predictor": r.predictor, "data-lag": r.lag_weeks},
        el("td", {text: r.predictor.replace("_", " ")}), el("td", {text: String(r.lag_weeks)}),
        el("td", {text: r.estimable ? number(r.rate_ratio) : tr("not_estimated")}),
        el("td", {text: r.estimable ? `${number(r.ci_low)}–${number(r.ci_high)}` : r.note || ""}),
        el("td", {text: r.estimable ? number(r.p_adjusted) : ""})))))));
}

// -- pages ---------------------------------------------------------------------------------------------------------
function controls() {
  const groupSelect = el("select", {id: "analysis-group", "aria-label": tr("group")},
    el("option", {value: "", text: tr("any_group")}),
    (state.groups || []).map((g) => el("option", {value: g.id, text: `${g.name} (${g.events})`})));
  groupSelect.value = state.group || "";
  groupSelect.addEventListener("change", () => { location.hash = analysisHash({group: groupSelect.value}); });
  const freq = ["weekly", "monthly"].map((f) => el("button", {type: "button", id: `analysis-${f}`,
    "aria-pressed": String(state.freq === f), text: tr(f), onclick: () => { location.hash = analysisHash({freq: f}); }}));
  const date = (name) => {
    const input = el("input", {type: "date", id: `analysis-${name}`, value: state[name]});
    input.addEventListener("change", () => { location.hash = analysisHash({[name]: input.value}); });
    return el("label", {}, tr(name), " ", input);
  };
  return el("div", {class: "analysis-controls"}, el("label", {}, tr("group"), " ", groupSelect), ...freq,
    date("since"), date("until"),
    state.group ? el("a", {id: "analysis-group-link", href: `#/group/${encodeURIComponent(state.group)}`, text: tr("open_group")}) : null);
}

function renderAnalysis() {
  const data = state.data;
  const view = clear(section);
  const claims = data.summaries.claims, calls = data.summaries.calls;
  const who = data.scope.group ? data.scope.group.name : tr("any_group");
  view.append(
    el("h2", {id: "analysis-title", text: tr("title")}),
    el("p", {text: tr("intro", {theatre: data.scope.theatre_names.join(", ")})}),
    el("p", {class: "caveat", id: "analysis-caveat", text: data.caveat}),
    controls(), legend(Boolean(data.scope.group)),
    seriesChart(state.freq === "weekly" ? data.weekly : data.monthly, data),
    el("div", {id: "analysis-selection", class: "analysis-selection", "aria-live": "polite"},
      el("p", {class: "muted", text: tr("selection_help")})),
    el("h3", {text: tr("claims_title")}),
    el("p", {text: claims.claimed ? tr("claims_summary", {claimed: claims.claimed, attacks: claims.attacks, who,
      median: claims.median_delay_days ?? tr("none")}) : tr("claims_none")}),
    claimsChart(data.claims),
    el("h3", {text: tr("calls_title", {days: calls.window_days})}),
    el("p", {text: calls.calls ? tr("calls_summary", {calls: calls.calls, followed: calls.calls_followed,
      days: calls.window_days, expected: (calls.expected_in_window ?? 0).toFixed(2)}) : tr("calls_none")}),
    callsChart(data.calls, data.claims), callsTable(data.calls),
    el("h3", {text: tr("assoc_title")}), associationTable(data.association, data.summaries.association),
    el("ul", {class: "muted"}, data.notes.map((n) => el("li", {text: n}))));
}

function renderGroup() {
  const data = state.groupData;
  const view = clear(section);
  const months = [...new Set(data.months.map((m) => m.month))].sort();
  const height = 200, left = 44, plot = WIDTH - left - 10;
  const svg = svgEl("svg", {id: "group-chart", viewBox: `0 0 ${WIDTH} ${height + 40}`, role: "group",
    "aria-label": tr("group_title", {name: data.group.name})});
  const totals = Object.fromEntries(months.map((m) => [m, 0]));
  for (const row of data.months) totals[row.month] += row.events;
  const most = Math.max(1, ...Object.values(totals));
  const step = plot / Math.max(1, months.length);
  const stacked = Object.fromEntries(months.map((m) => [m, 0]));
  for (const kind of data.kinds) {
    for (const month of months) {
      const rows = data.months.filter((r) => r.month === month && r.kind === kind);
      const n = rows.reduce((s, r) => s + r.events, 0);
      if (!n) continue;
      const h = (height - 20) * n / most;
      const y = height - stacked[month] - h;
      stacked[month] += h;
      svg.append(svgEl("rect", pointAttrs(`${month} · ${tr("group_kinds")[kind]} · ${n}`, rows.flatMap((r) => r.event_ids),
        {x: left + months.indexOf(month) * step, width: Math.max(2, step * 0.8), y, height: h, fill: COLOURS[kind],
          class: "point bar", "data-kind": kind, "data-month": month, "data-count": n})));
    }
  }
  svg.append(svgEl("line", {x1: left, x2: left + plot, y1: height, y2: height, class: "axis"}));
  if (months.length) {
    svg.append(svgEl("text", {x: left, y: height + 16, class: "tick", text: months[0]}));
    svg.append(svgEl("text", {x: left + plot, y: height + 16, class: "tick", "text-anchor": "end", text: months[months.length - 1]}));
  }
  const legendItems = el("ul", {class: "analysis-legend"}, data.kinds.map((kind) => {
    const swatch = el("span", {class: "swatch"});
    swatch.style.background = COLOURS[kind];
    return el("li", {}, swatch, tr("group_kinds")[kind]);
  }));
  const countries = el("table", {id: "group-countries"},
    el("thead", {}, el("tr", {}, [tr("countries"), ...data.kinds.map((k) => tr("group_kinds")[k])].map((h) => el("th", {scope: "col", text: h})))),
    el("tbody", {}, [...new Set(data.kinds.flatMap((k) => Object.keys(data.countries[k])))].sort().map((c) =>
      el("tr", {}, el("td", {text: c || tr("none")}), data.kinds.map((k) => el("td", {text: String(data.countries[k][c] || "")}))))));
  view.append(el("p", {}, el("a", {class: "back", href: analysisHash({group: data.group.id}), text: `← ${tr("back")}`})),
    el("h2", {id: "analysis-title", text: tr("group_title", {name: data.group.name})}),
    el("p", {class: "muted", text: data.group.members.map((m) => m.name).join(", ")}),
    legendItems, svg,
    el("div", {id: "analysis-selection", class: "analysis-selection", "aria-live": "polite"},
      el("p", {class: "muted", text: tr("selection_help")})),
    el("h3", {text: tr("countries")}), el("div", {class: "table-wrap"}, countries));
}

function hideOthers() {
  for (const id of ["overview", "filters", "event-view"]) {
    const node = document.getElementById(id);
    if (node) node.hidden = true;
  }
}

async function route() {
  const wanted = readHash();
  mount();
  if (!wanted) {
    section.hidden = true;
    return;
  }
  hideOthers();
  section.hidden = false;
  const mine = ++round;
  setReady(false);
  try {
    ontologyLoaded = ontologyLoaded || loadOntology();
    await ontologyLoaded;
    if (wanted.page === "analysis") {
      Object.assign(state, {group: wanted.group, freq: wanted.freq, since: wanted.since, until: wanted.until});
      const [groups, data] = await Promise.all([
        state.groups ? Promise.resolve({groups: state.groups}) : getJSON("/api/analyse/groups"),
        getJSON("/api/analyse/theatres", {group: state.group, since: state.since, until: state.until}),
      ]);
      if (mine !== round) return;
      state.groups = groups.groups;
      state.data = data;
      useColours(data.series_types);
      state.page = "analysis";
      renderAnalysis();
      document.title = `${tr("nav")} · Kroniek`;
    } else {
      const data = await getJSON(`/api/analyse/groups/${encodeURIComponent(wanted.id)}`);
      if (mine !== round) return;
      state.groupData = data;
      useColours(data.series_types);
      state.page = "group";
      renderGroup();
      document.title = `${data.group.name} · Kroniek`;
    }
    delete document.body.dataset.error;
  } catch (error) {
    if (mine !== round) return;
    clear(section).append(el("h2", {id: "analysis-title", text: tr("nav")}),
      el("p", {class: "error", text: error.code === "analysis_unavailable" ? tr("unavailable", {message: error.message})
        : error.message}));
  } finally {
    if (mine === round) setReady(true);
  }
}

function relabel() {
  const link = document.getElementById("analysis-link");
  if (link) link.textContent = tr("nav");
  if (!section || section.hidden) return;
  if (state.page === "analysis" && state.data) renderAnalysis();
  if (state.page === "group" && state.groupData) renderGroup();
}

window.addEventListener("hashchange", route);
new MutationObserver(relabel).observe(document.documentElement, {attributes: true, attributeFilter: ["lang"]});
route();
