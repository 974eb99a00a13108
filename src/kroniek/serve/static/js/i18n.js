// Labels in English and Dutch: the page's own words from /static/i18n/<lang>.json, the ontology's (types,
// modalities) from /api/ontology through setVocabulary.

const SUPPORTED = ["en", "nl"];
let lang = "en";
let dict = {};
const vocabularies = {};   // group -> value -> {en, nl}

export function currentLanguage() {
  return lang;
}

/** The language to start with: the last choice, else the browser's, else English. */
export function preferredLanguage() {
  let stored = null;
  try { stored = localStorage.getItem("kroniek.lang"); } catch { /* storage may be disabled */ }
  if (SUPPORTED.includes(stored)) return stored;
  const browser = (navigator.language || "en").slice(0, 2).toLowerCase();
  return SUPPORTED.includes(browser) ? browser : "en";
}

export async function loadLanguage(code) {
  const wanted = SUPPORTED.includes(code) ? code : "en";
  const response = await fetch(`/static/i18n/${wanted}.json`);
  if (!response.ok) throw new Error(`labels for ${wanted}: HTTP ${response.status}`);
  dict = await response.json();
  lang = wanted;
  document.documentElement.lang = lang;
  try { localStorage.setItem("kroniek.lang", lang); } catch { /* ignore */ }
}

/** t("ui.showing", {n: 3}): the label with {placeholders} filled; the key itself when missing. */
export function t(key, vars) {
  const [group, name] = key.split(".");
  let text = (dict[group] || {})[name];
  if (text === undefined) return key;
  for (const [k, v] of Object.entries(vars || {})) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** Labels of a group in every language, e.g. setVocabulary("types", {attack: {en: "attack", nl: "aanslag"}}). */
export function setVocabulary(group, labels) {
  vocabularies[group] = labels;
}

/** A value's label in a group (types, subtypes, modalities, roles, relations, weapons, fields). */
export function label(group, value) {
  if (value === null || value === undefined) return "";
  const labels = (vocabularies[group] || {})[value];
  const text = labels ? labels[lang] || labels.en : (dict[group] || {})[value];
  return text !== undefined ? text : String(value).replaceAll("_", " ");
}

/** The label with a capital first letter, for the start of a line or a heading ("attack" -> "Attack"). */
export function capitalised(text) {
  return text ? text.charAt(0).toLocaleUpperCase(lang) + text.slice(1) : text;
}

/** Fill every [data-i18n], [data-i18n-label] (aria-label) and [data-i18n-placeholder] element under root. */
export function translatePage(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.setAttribute("placeholder", t(node.dataset.i18nPlaceholder));
  }
}

export function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, {year: "numeric", month: "short", day: "numeric", timeZone: "UTC"})
    .format(date);
}

export function formatMonth(date) {
  return new Intl.DateTimeFormat(lang, {year: "numeric", month: "short", timeZone: "UTC"}).format(date);
}

export function countryName(code) {
  if (!code) return "";
  try {
    return new Intl.DisplayNames([lang], {type: "region"}).of(code) || code;
  } catch {
    return code;
  }
}

export function formatNumber(n) {
  return new Intl.NumberFormat(lang).format(n);
}

/** A count in at most four characters ("950", "1.9K"), for a marker. */
export function formatCompact(n) {
  return new Intl.NumberFormat(lang, {notation: "compact", maximumFractionDigits: 1}).format(n);
}

/**
 * A count from a record's range: "12", "10–20", or "10+" when it is open-ended (a min and no max: "tientallen",
 * "at least 10"); "" when unknown. Never shows an open-ended count as if it were exact.
 */
export function countText(min, max) {
  if (min === null || min === undefined) return "";
  if (max === null || max === undefined) return `${formatNumber(min)}+`;
  return max === min ? formatNumber(min) : `${formatNumber(min)}–${formatNumber(max)}`;
}
