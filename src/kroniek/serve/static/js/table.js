// The table of events: one row per event, linking to its event page.

import {clear, el} from "./dom.js";
import {countryName, formatDate, formatNumber, label, t} from "./i18n.js";
import {typeColour} from "./types.js";

export function eventHref(id) {
  return `#/event/${encodeURIComponent(id)}`;
}

export function dateText(date) {
  if (!date || !date.start) return t("ui.unknown");
  if (date.end && date.end !== date.start) return `${formatDate(date.start)} – ${formatDate(date.end)}`;
  return formatDate(date.start);
}

export function rangeText(quantity) {
  if (!quantity || quantity.min === null || quantity.min === undefined) return "";
  if (quantity.max !== null && quantity.max !== undefined && quantity.max !== quantity.min) {
    return `${formatNumber(quantity.min)}–${formatNumber(quantity.max)}`;
  }
  return formatNumber(quantity.min);
}

export function placeText(location) {
  if (!location) return "";
  const country = location.country ? countryName(location.country) : "";
  return [location.name, country !== location.name ? country : ""].filter(Boolean).join(", ");
}

export function typeBadge(type, subtype) {
  const swatch = el("span", {class: "swatch", "aria-hidden": "true"});
  swatch.style.background = typeColour(type);
  return el("span", {class: "type-badge"}, swatch, label("types", type),
    subtype ? el("span", {class: "subtype", text: ` · ${label("subtypes", subtype)}`}) : null);
}

/** Fill the table body with events (EVENTS.md records). */
export function renderTable(tbody, events, onOpen) {
  clear(tbody);
  if (!events.length) {
    tbody.appendChild(el("tr", {class: "empty"}, el("td", {colspan: "7", text: t("ui.no_events")})));
    return;
  }
  for (const event of events) {
    const actors = (event.actors || []).map((a) => a.name).filter(Boolean);
    const row = el("tr", {"data-id": event.id, "data-type": event.type},
      el("td", {}, el("a", {href: eventHref(event.id), text: dateText(event.date)})),
      el("td", {}, typeBadge(event.type, event.subtype)),
      el("td", {text: placeText(event.location) || t("ui.unknown")}),
      el("td", {class: "num", text: rangeText(event.fatalities)}),
      el("td", {text: [...new Set(actors)].join(", ")}),
      el("td", {text: label("modalities", event.modality)}),
      el("td", {class: "num", text: String((event.sources || []).length)}));
    // The whole row opens the event for mouse users; the link in the first cell serves the keyboard.
    row.addEventListener("click", (e) => {
      if (e.target.closest("a")) return;
      onOpen(event.id);
    });
    tbody.appendChild(row);
  }
}
