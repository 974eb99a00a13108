// The table of events: one row per event, linking to its event page.

import {clear, el} from "./dom.js";
import {capitalised, countryName, countText, formatDate, label, t} from "./i18n.js";
import {typeColour} from "./ontology.js";

export function eventHref(id) {
  return `#/event/${encodeURIComponent(id)}`;
}

export function dateText(date) {
  if (!date || !date.start) return t("ui.unknown");
  if (date.end && date.end !== date.start) return `${formatDate(date.start)} – ${formatDate(date.end)}`;
  return formatDate(date.start);
}

/** A record's count ({min, max}) as "12", "10–20" or, open-ended, "10+". */
export function rangeText(quantity) {
  return quantity ? countText(quantity.min, quantity.max) : "";
}

export function placeText(location) {
  if (!location) return "";
  const country = location.country ? countryName(location.country) : "";
  return [location.name, country !== location.name ? country : ""].filter(Boolean).join(", ");
}

export function typeBadge(type, subtype) {
  const swatch = el("span", {class: "swatch", "aria-hidden": "true"});
  swatch.style.background = typeColour(type);
  return el("span", {class: "type-badge"}, swatch, capitalised(label("types", type)),
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
    // data-label: on a narrow screen each row is a card and every cell says what it is (see app.css)
    const row = el("tr", {"data-id": event.id, "data-type": event.type},
      el("td", {"data-label": t("ui.date")}, el("a", {href: eventHref(event.id), text: dateText(event.date)})),
      el("td", {"data-label": t("ui.type")}, typeBadge(event.type, event.subtype)),
      el("td", {"data-label": t("ui.place"), text: placeText(event.location) || t("ui.unknown")}),
      el("td", {class: "num", "data-label": t("ui.fatalities"), text: rangeText(event.fatalities)}),
      el("td", {"data-label": t("ui.actors"), text: [...new Set(actors)].join(", ")}),
      el("td", {"data-label": t("ui.modality"), text: capitalised(label("modalities", event.modality))}),
      el("td", {class: "num", "data-label": t("ui.sources"), text: String((event.sources || []).length)}));
    // The whole row opens the event for mouse users; the link in the first cell serves the keyboard.
    row.addEventListener("click", (e) => {
      if (e.target.closest("a")) return;
      onOpen(event.id);
    });
    tbody.appendChild(row);
  }
}
