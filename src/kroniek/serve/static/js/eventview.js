// The event page: every field next to the words it came from, and the source articles with those words
// highlighted. Article text is put in with text nodes only (see dom.js): markup in an article shows as text.

import {clear, el, safeHttpUrl} from "./dom.js";
import {capitalised, countryName, formatDate, formatNumber, label, t} from "./i18n.js";
import {dateText, eventHref, placeText, rangeText, typeBadge} from "./table.js";

/** "actors.0", "actors[1]", "date:start" -> "actors", "date"; null (the event itself) -> null. */
function fieldKey(field) {
  return field ? String(field).split(/[.[:]/)[0] : null;
}

/**
 * Evidence spans placed in their document: the given offsets when the quote is there, else the quote's
 * first occurrence; spans whose quote cannot be found are listed but not highlighted.
 */
function locateEvidence(event, documents) {
  const texts = new Map(documents.map((d) => [d.doc_id, d.text || ""]));
  const spans = (event.evidence || []).map((e, i) => {
    const text = texts.get(e.doc_id);
    let start = e.start;
    let end = e.end;
    if (text !== undefined && text.slice(start, end) !== e.quote && e.quote) {
      const found = text.indexOf(e.quote);
      [start, end] = found >= 0 ? [found, found + e.quote.length] : [null, null];
    }
    return {index: i, doc_id: e.doc_id, start, end, quote: e.quote, field: fieldKey(e.field), derived: false,
            located: text !== undefined && start !== null};
  });
  return addDerivedSpans(event, spans, texts);
}

/**
 * Where a field has words (date.text, location.text, ...) but no evidence span of its own, find those
 * words inside the event's own evidence (the sentence that reports it), so the page can still point at them.
 */
function addDerivedSpans(event, spans, texts) {
  const worded = [["date", event.date], ["location", event.location], ["fatalities", event.fatalities],
    ["injuries", event.injuries], ...(event.actors || []).map((a) => ["actors", a])];
  const eventSpans = spans.filter((s) => s.field === null && s.located);
  let next = spans.length;
  for (const [field, value] of worded) {
    const words = value && value.text;
    if (!words || spans.some((s) => s.field === field && s.quote && s.quote.includes(words))) continue;
    for (const span of eventSpans) {
      const at = texts.get(span.doc_id).slice(span.start, span.end).indexOf(words);
      if (at >= 0) {
        spans.push({index: next++, doc_id: span.doc_id, start: span.start + at, end: span.start + at + words.length,
                    quote: words, field, derived: true, located: true});
        break;
      }
    }
  }
  return spans;
}

/** The article text as text nodes and <mark> elements, one mark per stretch covered by the same spans. */
function highlightedText(text, spans, marksBySpan) {
  const container = el("div", {class: "doc-text"});
  const placed = spans.filter((s) => s.located && s.start < s.end && s.end <= text.length);
  const cuts = new Set([0, text.length]);
  for (const s of placed) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    const covering = placed.filter((s) => s.start <= a && s.end >= b);
    const piece = text.slice(a, b);
    if (!covering.length) {
      container.appendChild(document.createTextNode(piece));
      continue;
    }
    const fields = [...new Set(covering.map((s) => s.field || "event"))];
    const mark = el("mark", {
      class: `ev ${covering.some((s) => s.field) ? "ev-field" : "ev-event"}`, tabindex: "-1",
      "data-fields": fields.join(" "), "data-spans": covering.map((s) => s.index).join(" "),
      title: fields.map((f) => (f === "event" ? t("ui.event") : label("fields", f))).join(", "),
    }, piece);
    for (const s of covering) if (!marksBySpan.has(s.index)) marksBySpan.set(s.index, mark);
    container.appendChild(mark);
  }
  return container;
}

function quoteButton(span, marksBySpan) {
  const text = `“${span.quote}”`;
  if (!span.located) return el("q", {class: "quote unlocated", text: span.quote});
  return el("button", {
    type: "button", class: `quote${span.derived ? " derived" : ""}`, "data-span": String(span.index),
    title: t("ui.show_in_text"),
    onclick: () => {
      const mark = marksBySpan.get(span.index);
      if (!mark) return;
      mark.scrollIntoView({block: "center", behavior: "smooth"});
      mark.focus({preventScroll: true});
      mark.classList.remove("flash");
      void mark.offsetWidth;   // restart the animation
      mark.classList.add("flash");
    },
  }, text);
}

function fieldRows(event) {
  const rows = [];
  const add = (field, value, words) => rows.push({field, value, words});
  add("type", typeBadge(event.type, event.subtype));
  add("modality", label("modalities", event.modality));
  const d = event.date;
  const precision = d && d.precision ? ` (${t("ui.precision")}: ${d.precision})` : "";
  add("date", d && d.start ? `${dateText(d)}${precision}` : t("ui.unknown"), d && d.text);
  const loc = event.location;
  add("location", loc && (loc.name || loc.country)
    ? [placeText(loc), loc.admin1 && loc.admin1 !== loc.name ? ` (${loc.admin1})` : ""].join("") : t("ui.unknown"),
      loc && loc.text);
  for (const actor of event.actors || []) {
    const details = [label("roles", actor.role), actor.kind ? actor.kind.replaceAll("_", " ") : null,
      actor.attribution ? `${t("ui.attribution")}: ${actor.attribution}` : null].filter(Boolean).join(", ");
    add("actors", `${actor.name} (${details})`, actor.text);
  }
  if ((event.weapons || []).length) add("weapons", event.weapons.map((w) => label("weapons", w)).join(", "));
  if ((event.targets || []).length) add("targets", event.targets.join(", "));
  add("fatalities", rangeText(event.fatalities) || t("ui.unknown"), event.fatalities && event.fatalities.text);
  add("injuries", rangeText(event.injuries) || t("ui.unknown"), event.injuries && event.injuries.text);
  if (event.confidence !== null && event.confidence !== undefined) {
    add("confidence", formatNumber(Math.round(event.confidence * 100) / 100));
  }
  return rows;
}

function fieldTable(event, spans, marksBySpan, highlightField) {
  const table = el("table", {class: "field-table"},
    el("thead", {}, el("tr", {},
      el("th", {scope: "col", text: t("ui.field")}), el("th", {scope: "col", text: t("ui.value")}),
      el("th", {scope: "col", text: t("ui.from_words")}))));
  const body = el("tbody");
  const used = new Set();
  for (const row of fieldRows(event)) {
    // Several actor rows share one field: each takes the spans that contain its own words.
    const own = spans.filter((s) => s.field === row.field && !used.has(s.index)
      && (row.field !== "actors" || (row.words && s.quote && s.quote.includes(row.words))));
    const evidence = el("td", {class: "field-evidence"});
    for (const s of own) { used.add(s.index); evidence.appendChild(quoteButton(s, marksBySpan)); }
    if (!own.length && row.words) evidence.appendChild(el("q", {class: "quote unlocated", text: row.words}));
    const tr = el("tr", {class: "field-row", "data-field": row.field},
      el("th", {scope: "row", text: label("fields", row.field)}), el("td", {class: "field-value"}, row.value),
      evidence);
    tr.addEventListener("mouseenter", () => highlightField(row.field));
    tr.addEventListener("mouseleave", () => highlightField(null));
    tr.addEventListener("focusin", () => highlightField(row.field));
    tr.addEventListener("focusout", () => highlightField(null));
    body.appendChild(tr);
  }
  table.appendChild(body);
  const leftover = spans.filter((s) => s.field && !used.has(s.index));
  return {table, leftover};
}

function relatedList(related) {
  if (!related.length) return el("p", {class: "help", text: t("ui.no_related")});
  const list = el("ul", {class: "related"});
  for (const link of related) {
    const s = link.summary;
    const description = s ? [summaryText(s), s.title].filter(Boolean).join(" · ") : link.event_id;
    list.appendChild(el("li", {"data-relation": link.relation, "data-direction": link.direction},
      el("span", {class: "relation", text: `${label("relations", link.relation)}: `}),
      s ? el("a", {href: eventHref(link.event_id), text: description}) : el("span", {text: description})));
  }
  return list;
}

function summaryText(s) {
  const kind = capitalised(label("types", s.type)) + (s.subtype ? ` (${label("subtypes", s.subtype)})` : "");
  return [kind, s.location_name, s.date_start ? formatDate(s.date_start) : null,
    s.modality !== "asserted" ? label("modalities", s.modality) : null].filter(Boolean).join(" · ");
}

function summaryList(summaries) {
  return el("ul", {class: "related same-documents"},
    summaries.map((s) => el("li", {"data-event-id": s.id}, el("a", {href: eventHref(s.id), text: summaryText(s)}))));
}

function documentSection(doc, spans, marksBySpan) {
  const url = safeHttpUrl(doc.url);
  const meta = [doc.outlet, doc.published ? `${t("ui.published")} ${formatDate(doc.published)}` : null,
    doc.language ? doc.language.toUpperCase() : null].filter(Boolean).join(" · ");
  return el("article", {class: "document", "data-doc-id": doc.doc_id, lang: doc.language || null},
    el("h4", {class: "doc-title", text: doc.title || doc.doc_id}),
    el("p", {class: "doc-meta"}, meta,
      url ? [" · ", el("a", {href: url, rel: "noopener noreferrer nofollow", target: "_blank",
                             text: t("ui.open_source")})] : null),
    highlightedText(doc.text || "", spans.filter((s) => s.doc_id === doc.doc_id), marksBySpan));
}

/** Render /api/events/{id}'s answer ({event, documents, related}) into the container. */
export function renderEventView(container, payload) {
  const {event, documents, related} = payload;
  const sameDocuments = payload.same_documents || [];
  clear(container);
  container.dataset.eventId = event.id;
  const spans = locateEvidence(event, documents);
  const marksBySpan = new Map();
  const docs = el("section", {class: "documents", "aria-labelledby": "documents-title"},
    el("h3", {id: "documents-title", text: t("ui.documents")}),
    documents.map((doc) => documentSection(doc, spans, marksBySpan)));
  const highlightField = (field) => {
    for (const mark of docs.querySelectorAll("mark.ev")) {
      mark.classList.toggle("active", Boolean(field) && mark.dataset.fields.split(" ").includes(field));
    }
  };
  const {table, leftover} = fieldTable(event, spans, marksBySpan, highlightField);
  const eventEvidence = spans.filter((s) => s.field === null);
  const kind = capitalised(label("types", event.type)) + (event.subtype ? ` (${label("subtypes", event.subtype)})` : "");
  const heading = [kind, placeText(event.location), event.date && event.date.start ? dateText(event.date) : null]
    .filter(Boolean).join(" · ");
  container.append(
    el("p", {}, el("a", {class: "back", href: "#/", text: `← ${t("ui.back")}`})),
    el("h2", {id: "event-title", tabindex: "-1", text: heading}),
    el("p", {class: "event-meta"},
      el("span", {class: `modality modality-${event.modality}`, text: capitalised(label("modalities", event.modality))}),
      ` · ${event.id}`,
      event.location && event.location.country ? ` · ${countryName(event.location.country)}` : ""),
    el("div", {class: "event-grid"},
      el("section", {class: "fields", "aria-labelledby": "fields-title"},
        el("h3", {id: "fields-title", text: t("ui.fields")}), table,
        el("h3", {text: t("ui.evidence")}),
        el("ul", {class: "event-evidence"}, eventEvidence.map((s) => el("li", {}, quoteButton(s, marksBySpan)))),
        leftover.length ? [el("h3", {text: t("ui.other_evidence")}),
          el("ul", {class: "event-evidence"}, leftover.map((s) => el("li", {},
            el("span", {class: "relation", text: `${label("fields", s.field)}: `}), quoteButton(s, marksBySpan))))]
          : null,
        el("h3", {text: t("ui.related")}), relatedList(related || []),
        sameDocuments.length ? [el("h3", {text: t("ui.same_documents")}), summaryList(sameDocuments)] : null),
      docs));
}
