// The timeline: matching events per day, week, month, quarter or year (chosen by the length of the range), stacked
// by type, over exactly the period the filters ask for (or, without dates, the period the matching events span).
// Dragging across it (d3-brush) selects a period; a bar, by click or by keyboard, selects its own.

import {clear, el, svgEl} from "./dom.js";
import {capitalised, formatDate, formatNumber, label, t} from "./i18n.js";
import {inTypeOrder, typeColour} from "./ontology.js";
import {binCounts, chooseUnit, countTicks, DAY, isoDay, parseDay, timeTicks} from "./timebins.js";
import {Tooltip} from "./tooltip.js";

const HEIGHT = 190;
const M = {top: 10, right: 12, bottom: 28, left: 36};
const MIN_BAR_PX = 14;      // a bin narrower than this is hard to read and to hover: use a coarser unit
const MAX_BAR_PX = 48;      // one day of a short range is a bar, not a wall
const TICK_LABEL_PX = 64;   // room one tick label needs ("Sept 2017" at 11px)

export class Timeline {
  /** svg: the chart; frame: its positioned container (for the tooltip); onSelectPeriod(sinceIso, untilIso). */
  constructor(svg, frame, onSelectPeriod) {
    this.svg = svg;
    this.onSelectPeriod = onSelectPeriod;
    this.tooltip = new Tooltip(frame);
    this.input = null;
  }

  /**
   * Draw. rows: {ms, type, count}; finest: the finest unit the rows allow ("day" for events, "week" for weekly
   * counts); since/until: the filter's dates (ISO) or "", which fix the range when given.
   */
  render(rows, {finest = "day", since = "", until = ""} = {}) {
    this.input = {rows, finest, since, until};
    this.draw();
  }

  redraw() {
    if (this.input) this.draw();
  }

  draw() {
    const {rows, finest, since, until} = this.input;
    const svg = clear(this.svg);
    this.tooltip.hide();
    // Drawn at the size it has on screen, so text keeps its size at any width.
    const width = Math.max(280, Math.round(this.svg.getBoundingClientRect().width) || 480);
    svg.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
    const dated = rows.filter((row) => Number.isFinite(row.ms));
    const range = periodOf(dated, since, until);
    delete svg.dataset.start;
    delete svg.dataset.end;
    svg.dataset.bins = "0";
    svg.dataset.total = "0";
    if (!range) return;
    const plotWidth = width - M.left - M.right;
    const unit = chooseUnit(range[0], range[1], Math.max(1, Math.floor(plotWidth / MIN_BAR_PX)), finest);
    // The axis runs over whole bins, from the first bin's start to the last bin's end.
    const bins = binCounts(dated, unit, range[0], range[1]);
    const [t0, t1] = [bins[0].start, bins[bins.length - 1].end];
    const x = (ms) => M.left + ((ms - t0) / (t1 - t0)) * plotWidth;
    const plotBottom = HEIGHT - M.bottom;
    const yTicks = countTicks(Math.max(0, ...bins.map((b) => b.total)));
    const yMax = yTicks[yTicks.length - 1];
    const y = (n) => plotBottom - (n / yMax) * (plotBottom - M.top);

    svg.appendChild(yAxis(yTicks, y, width));
    svg.appendChild(xAxis(t0, t1, x, plotWidth, plotBottom));
    const bars = svgEl("g", {class: "bars"});
    for (const bin of bins) {
      const slot = x(bin.end) - x(bin.start);
      const barWidth = Math.min(MAX_BAR_PX, Math.max(1, slot * 0.84));
      const x0 = x(bin.start) + (slot - barWidth) / 2;
      const group = svgEl("g", {
        class: "bin", "data-start": isoDay(bin.start), "data-end": isoDay(bin.end - DAY),
        "data-count": String(bin.total), tabindex: bin.total ? "0" : null, role: bin.total ? "button" : null,
        "aria-label": bin.total ? binText(bin, unit) : null,
        onfocus: () => this.showBin(bin, unit, x),
        onblur: () => this.tooltip.hide(),
        onkeydown: (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            this.selectBin(bin);
          } else if (event.key === "Escape") {
            this.tooltip.hide();
          }
        },
      });
      let stacked = 0;
      for (const type of inTypeOrder(Object.keys(bin.types))) {
        const count = bin.types[type];
        group.appendChild(svgEl("rect", {
          class: "bar", "data-type": type, "data-count": String(count), x: x0.toFixed(1),
          y: y(stacked + count).toFixed(1), width: barWidth.toFixed(1),
          height: Math.max(0.5, y(stacked) - y(stacked + count)).toFixed(1), fill: typeColour(type),
        }));
        stacked += count;
      }
      bars.appendChild(group);
    }
    svg.appendChild(bars);
    this.addBrush(bins, unit, x, t0, t1, width);
    Object.assign(svg.dataset, {unit, start: isoDay(range[0]), end: isoDay(range[1] - DAY),
                                bins: String(bins.length), total: String(bins.reduce((n, b) => n + b.total, 0))});
    const caption = document.getElementById("timeline-unit");
    if (caption) caption.textContent = t(`ui.per_${unit}`);
  }

  /** d3-brush over the plot: a drag selects a period (snapped to whole bins), a click selects the bin under it. */
  addBrush(bins, unit, x, t0, t1, width) {
    const d3 = window.d3;
    const timeAt = (px) => t0 + ((px - M.left) / (width - M.left - M.right)) * (t1 - t0);
    const binAt = (px) => bins.find((b) => timeAt(px) >= b.start && timeAt(px) < b.end) || null;
    const brush = d3.brushX()
      .extent([[M.left, M.top], [width - M.right, HEIGHT - M.bottom]])
      .on("end", (event) => {
        if (!event.sourceEvent) return;   // our own clearing below
        if (!event.selection) {
          const [px] = d3.pointer(event.sourceEvent, this.svg);
          const bin = binAt(px);
          if (bin && bin.total) this.selectBin(bin);
          return;
        }
        const [from, to] = event.selection.map(binAt);
        d3.select(brushGroup).call(brush.clear);
        if (from && to) this.onSelectPeriod(isoDay(from.start), isoDay(to.end - DAY));
      });
    const brushGroup = svgEl("g", {class: "brush", "aria-hidden": "true"});
    this.svg.appendChild(brushGroup);
    d3.select(brushGroup).call(brush);
    // The brush's overlay lies over the bars: it shows the tooltip of the bin under the pointer.
    const overlay = brushGroup.querySelector(".overlay");
    for (const node of [overlay, brushGroup.querySelector(".selection")]) {
      node.addEventListener("pointermove", (event) => {
        const [px] = d3.pointer(event, this.svg);
        const bin = binAt(px);
        this.highlight(bin);
        if (bin && bin.total) this.showBin(bin, unit, x);
        else this.tooltip.hide();
      });
      node.addEventListener("pointerleave", () => { this.highlight(null); this.tooltip.hide(); });
    }
  }

  highlight(bin) {
    for (const group of this.svg.querySelectorAll("g.bin")) {
      group.classList.toggle("hover", Boolean(bin) && group.dataset.start === isoDay(bin.start));
    }
  }

  selectBin(bin) {
    this.tooltip.hide();
    this.onSelectPeriod(isoDay(bin.start), isoDay(bin.end - DAY));
  }

  showBin(bin, unit, x) {
    const rect = this.svg.getBoundingClientRect();
    const scale = rect.width / (this.svg.viewBox.baseVal.width || rect.width);
    const content = [el("strong", {text: `${periodText(bin, unit)}: ${formatNumber(bin.total)}`})];
    const list = el("ul", {class: "tooltip-types"});
    for (const type of inTypeOrder(Object.keys(bin.types))) {
      const swatch = el("span", {class: "swatch", "aria-hidden": "true"});
      swatch.style.background = typeColour(type);
      list.appendChild(el("li", {}, swatch, `${capitalised(label("types", type))} ${formatNumber(bin.types[type])}`));
    }
    content.push(list, el("p", {class: "tooltip-hint", text: t("ui.timeline_select_hint")}));
    this.tooltip.show(content, {x: x((bin.start + bin.end) / 2) * scale, y: M.top * scale}, this.svg);
  }
}

/** [start, end) in ms: the filter's dates where given, else the span of the dated rows; null when empty. */
function periodOf(rows, since, until) {
  const times = rows.map((row) => row.ms);
  const first = since ? parseDay(since) : times.length ? Math.min(...times) : null;
  const last = until ? parseDay(until) : times.length ? Math.max(...times) : null;
  if (first === null || last === null || last < first) return null;
  return [first, last + DAY];
}

function periodText(bin, unit) {
  const last = bin.end - DAY;
  if (unit === "day") return formatDate(isoDay(bin.start));
  if (unit === "month" || unit === "quarter" || unit === "year") {
    const options = unit === "year" ? {year: "numeric"} : {year: "numeric", month: "short"};
    const format = (ms) => new Intl.DateTimeFormat(document.documentElement.lang, {...options, timeZone: "UTC"})
      .format(new Date(ms));
    return unit === "quarter" ? `${format(bin.start)} – ${format(last)}` : format(bin.start);
  }
  return `${formatDate(isoDay(bin.start))} – ${formatDate(isoDay(last))}`;
}

function binText(bin, unit) {
  const types = inTypeOrder(Object.keys(bin.types))
    .map((type) => `${label("types", type)} ${formatNumber(bin.types[type])}`).join(", ");
  return `${periodText(bin, unit)}: ${formatNumber(bin.total)} (${types})`;
}

function yAxis(ticks, y, width) {
  const group = svgEl("g", {class: "axis axis-y", "aria-hidden": "true"});
  for (const value of ticks) {
    group.appendChild(svgEl("line", {class: value ? "grid" : "baseline", x1: M.left, x2: width - M.right,
                                     y1: y(value), y2: y(value)}));
    group.appendChild(svgEl("text", {x: M.left - 6, y: y(value) + 4, "text-anchor": "end",
                                     text: formatNumber(value)}));
  }
  return group;
}

function xAxis(t0, t1, x, plotWidth, bottom) {
  const group = svgEl("g", {class: "axis axis-x", "aria-hidden": "true"});
  const ticks = timeTicks(t0, t1, Math.floor(plotWidth / TICK_LABEL_PX));
  const lang = document.documentElement.lang;
  const fmt = (options, ms) => new Intl.DateTimeFormat(lang, {...options, timeZone: "UTC"}).format(new Date(ms));
  ticks.forEach(({ms, style}, i) => {
    const d = new Date(ms);
    const newYear = i === 0 || new Date(ticks[i - 1].ms).getUTCFullYear() !== d.getUTCFullYear();
    let text;
    if (style === "year") text = fmt({year: "numeric"}, ms);
    else if (style === "month") text = newYear ? fmt({year: "numeric", month: "short"}, ms) : fmt({month: "short"}, ms);
    else text = newYear ? fmt({year: "numeric", month: "short", day: "numeric"}, ms) : fmt({month: "short", day: "numeric"}, ms);
    const px = x(ms);
    group.appendChild(svgEl("line", {x1: px, x2: px, y1: bottom, y2: bottom + 4}));
    // the first and last labels keep inside the chart
    const anchor = px - M.left < 30 ? "start" : M.left + plotWidth - px < 30 ? "end" : "middle";
    group.appendChild(svgEl("text", {x: px, y: bottom + 17, "text-anchor": anchor, text}));
  });
  return group;
}

/** Rows for the timeline from the map's points (one per dated event). */
export function rowsFromPoints(points) {
  return points.filter((p) => p.date_start).map((p) => ({ms: parseDay(p.date_start), type: p.type, count: 1}));
}

/** Rows from /api/stats' by_week (when the points are not all of the matching events). */
export function rowsFromWeeks(byWeek) {
  return byWeek.map((w) => ({ms: parseDay(w.week_start), type: w.type, count: w.count}));
}
