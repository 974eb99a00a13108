// The filter bar: type, modality, country, actor, dates and words. Its values live in the page's query string, so a
// view can be bookmarked and shared. The choices come from the ontology; the counts beside them are for the other
// filters as they are set (what choosing that value would give).

import {clear, el} from "./dom.js";
import {capitalised, countryName, currentLanguage, formatNumber, label, t} from "./i18n.js";
import {acledEventTypes, acledNames, modalityNames, typeNames} from "./ontology.js";

export const FILTERS = ["type", "modality", "acled", "country", "actor", "since", "until", "text"];
const TYPED = ["actor", "text"];    // free text: applied after a pause in typing
const TYPING_MS = 300;
const MAX_ACTOR_SUGGESTIONS = 200;

const $ = (id) => document.getElementById(id);

/** {filters, order} from the page's address. */
export function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  return {filters: Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || ""])),
          order: params.get("order") === "fatalities" ? "fatalities" : "date"};
}

function fillSelect(select, values, labelOf) {
  const chosen = select.value;
  clear(select);
  select.appendChild(el("option", {value: "", text: t("ui.any")}));
  for (const value of values) select.appendChild(el("option", {value, text: labelOf(value)}));
  select.value = values.includes(chosen) ? chosen : "";
}

const counted = (text, n) => (n === undefined ? text : `${text} (${formatNumber(n)})`);

/**
 * Fill the choices and set every field to `filters`. byType / byCountry: counts for the other filters (undefined
 * while not known); countries: every country code in the database; actors: names to suggest.
 */
export function fillFilterForm(filters, {byType, byCountry, countries = [], actors = []} = {}) {
  const types = typeNames().concat(Object.keys(byType || {}).filter((x) => !typeNames().includes(x)));
  fillSelect($("filter-type"), types,
    (v) => counted(capitalised(label("types", v)), byType ? byType[v] || 0 : undefined));
  fillSelect($("filter-modality"), modalityNames(), (v) => capitalised(label("modalities", v)));
  const acledGroups = new Set(acledEventTypes());
  fillSelect($("filter-acled"), acledNames(), (v) => (acledGroups.has(v) ? v : `\u2003${v}`));
  const codes = [...new Set(countries.concat(Object.keys(byCountry || {})))];
  if (filters.country && !codes.includes(filters.country)) codes.push(filters.country);
  codes.sort((a, b) => countryName(a).localeCompare(countryName(b), currentLanguage()));
  fillSelect($("filter-country"), codes,
    (v) => counted(countryName(v), byCountry ? byCountry[v] || 0 : undefined));
  const list = clear($("actor-names"));
  for (const name of actors.slice(0, MAX_ACTOR_SUGGESTIONS)) list.appendChild(el("option", {value: name}));
  for (const name of FILTERS) $(`filter-${name}`).value = filters[name] || "";
}

/**
 * Call onChange(changes) when the user changes the filters: {name: value} for one field, or every field ""
 * when the form is cleared.
 */
export function bindFilterForm(onChange) {
  const form = $("filters");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onChange(Object.fromEntries(TYPED.map((name) => [name, $(`filter-${name}`).value.trim()])));
  });
  form.addEventListener("reset", () => {
    setTimeout(() => onChange(Object.fromEntries(FILTERS.map((name) => [name, ""]))));   // after the browser's reset
  });
  for (const name of FILTERS.filter((x) => !TYPED.includes(x))) {
    $(`filter-${name}`).addEventListener("change", (event) => onChange({[name]: event.target.value}));
  }
  for (const name of TYPED) {
    let timer = null;
    $(`filter-${name}`).addEventListener("input", (event) => {
      clearTimeout(timer);
      timer = setTimeout(() => onChange({[name]: event.target.value.trim()}), TYPING_MS);
    });
  }
}

/** Actor names of the points, most frequent first (suggestions for the actor filter). */
export function actorNames(points) {
  const counts = new Map();
  for (const p of points) for (const name of new Set(p.actors || [])) counts.set(name, (counts.get(name) || 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}
