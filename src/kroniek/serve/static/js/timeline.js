// The timeline: events per week, stacked by type, drawn as plain SVG from /api/stats' by_week.

import {clear, svgEl} from "./dom.js";
import {formatDate, formatMonth, formatNumber, label} from "./i18n.js";
import {TYPES, typeColour} from "./types.js";

const HEIGHT = 170;
const M = {top: 12, right: 12, bottom: 26, left: 40};
const DAY = 86400000;

function parseDay(iso) {
  return Date.parse(`${iso}T00:00:00Z`);
}

/** The [start, end) time range (ms) the weeks cover, or null when there are none. */
export function domainOf(byWeek) {
  if (!byWeek.length) return null;
  const starts = byWeek.map((w) => parseDay(w.week_start));
  return [Math.min(...starts), Math.max(...starts) + 7 * DAY];
}

/**
 * Draw weekly bars. `domain` keeps the time axis fixed while filters change (the whole database's range);
 * onSelectWeek(weekStartIso) is called when a week is chosen (click, Enter or Space).
 */
export function renderTimeline(svg, byWeek, domain, onSelectWeek) {
  clear(svg);
  // Draw at the size the SVG has on screen, so labels keep their font size on any width.
  const WIDTH = Math.max(320, Math.round(svg.getBoundingClientRect().width) || 480);
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  const range = domain || domainOf(byWeek);
  if (!range) return;
  const [t0, t1] = [range[0], Math.max(range[1], range[0] + 7 * DAY)];
  const x = (ms) => M.left + ((ms - t0) / (t1 - t0)) * (WIDTH - M.left - M.right);
  const weeks = new Map();
  for (const row of byWeek) {
    if (!weeks.has(row.week_start)) weeks.set(row.week_start, {week: row.week, start: row.week_start, types: {}});
    const entry = weeks.get(row.week_start);
    entry.types[row.type] = (entry.types[row.type] || 0) + row.count;
  }
  const totals = [...weeks.values()].map((w) => Object.values(w.types).reduce((a, b) => a + b, 0));
  const maxTotal = Math.max(1, ...totals);
  const plotHeight = HEIGHT - M.top - M.bottom;
  const y = (n) => M.top + plotHeight - (n / maxTotal) * plotHeight;

  svg.appendChild(axis(t0, t1, x, maxTotal, y, WIDTH));
  const barWidth = Math.max(1.5, x(t0 + 7 * DAY) - x(t0) - 1);
  const bars = svgEl("g", {class: "bars"});
  for (const week of weeks.values()) {
    const start = parseDay(week.start);
    if (start < t0 || start >= t1) continue;
    const total = Object.values(week.types).reduce((a, b) => a + b, 0);
    const description = `${week.week} (${formatDate(week.start)}): ${formatNumber(total)} — ` +
      orderedTypes(week.types).map((type) => `${label("types", type)} ${week.types[type]}`).join(", ");
    const group = svgEl("g", {
      class: "week", tabindex: "0", role: "button", "aria-label": description, "data-week": week.week,
      onclick: () => onSelectWeek(week.start),
      onkeydown: (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          onSelectWeek(week.start);
        }
      },
    }, svgEl("title", {text: description}));
    let stacked = 0;
    for (const type of orderedTypes(week.types)) {
      const count = week.types[type];
      group.appendChild(svgEl("rect", {
        class: "bar", "data-type": type, "data-count": String(count), x: x(start).toFixed(1),
        y: y(stacked + count).toFixed(1), width: barWidth.toFixed(1),
        height: Math.max(0.5, y(stacked) - y(stacked + count)).toFixed(1), fill: typeColour(type),
      }));
      stacked += count;
    }
    bars.appendChild(group);
  }
  svg.appendChild(bars);
  svg.dataset.weeks = String(weeks.size);
  svg.dataset.total = String(totals.reduce((a, b) => a + b, 0));
}

function orderedTypes(types) {
  return TYPES.filter((type) => types[type]).concat(Object.keys(types).filter((x) => !TYPES.includes(x)));
}

function axis(t0, t1, x, maxTotal, y, WIDTH) {
  const group = svgEl("g", {class: "axis", "aria-hidden": "true"});
  const bottom = y(0);
  group.appendChild(svgEl("line", {x1: M.left, x2: WIDTH - M.right, y1: bottom, y2: bottom}));
  group.appendChild(svgEl("text", {x: M.left - 6, y: y(maxTotal) + 4, "text-anchor": "end", text: String(maxTotal)}));
  group.appendChild(svgEl("text", {x: M.left - 6, y: bottom, "text-anchor": "end", text: "0"}));
  // Month ticks, thinned to at most ~10 labels.
  const first = new Date(t0);
  let month = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + (first.getUTCDate() > 1 ? 1 : 0), 1);
  const months = [];
  while (month < t1) {
    months.push(month);
    const d = new Date(month);
    month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const step = Math.max(1, Math.ceil(months.length / Math.max(2, Math.floor(WIDTH / 80))));
  months.forEach((ms, i) => {
    if (i % step) return;
    group.appendChild(svgEl("line", {x1: x(ms), x2: x(ms), y1: bottom, y2: bottom + 4}));
    group.appendChild(svgEl("text", {x: x(ms), y: bottom + 17, "text-anchor": "middle",
                                     text: formatMonth(new Date(ms))}));
  });
  if (!months.length) {
    group.appendChild(svgEl("text", {x: M.left, y: bottom + 17,
                                     text: formatDate(new Date(t0).toISOString().slice(0, 10))}));
  }
  return group;
}
