// Events per country as bars, for the current filters but the country itself (so each bar says how many events
// choosing that country gives); choosing one filters on it, choosing it again clears that filter.

import {clear, el} from "./dom.js";
import {countryName, formatNumber} from "./i18n.js";

const SHOWN = 12;

/** byCountry: {code: count}, largest first; chosen: the country filter ("" for none); onChoose(code). */
export function renderCountries(list, byCountry, chosen, onChoose) {
  clear(list);
  const entries = Object.entries(byCountry).sort((a, b) => b[1] - a[1]);
  const shown = entries.slice(0, SHOWN);
  if (chosen && !shown.some(([code]) => code === chosen)) shown.push([chosen, byCountry[chosen] || 0]);
  const most = Math.max(1, ...shown.map(([, n]) => n));
  for (const [code, n] of shown) {
    const fill = el("span", {class: "bar-fill"});
    fill.style.width = `${(100 * n) / most}%`;
    list.appendChild(el("li", {}, el("button", {
      type: "button", "aria-pressed": String(chosen === code), "data-country": code, "data-count": String(n),
      onclick: () => onChoose(chosen === code ? "" : code),
    }, el("span", {class: "bar-name", text: countryName(code)}),
    el("span", {class: "bar-track", "aria-hidden": "true"}, fill),
    el("span", {class: "bar-count", text: formatNumber(n)}))));
  }
  return entries.length;
}
