// Calendar arithmetic for the timeline, in UTC days (event dates are calendar days, not instants): bins of a day,
// an ISO week (from Monday), a month, a quarter or a year, chosen by the length of the range, and axis ticks on
// boundaries a reader expects (Mondays, the first of a month, January, April, July and October, round years).

export const DAY = 86400000;
export const UNITS = ["day", "week", "month", "quarter", "year"];

export function parseDay(iso) {
  return Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
}

export function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The start of the bin of `unit` that holds the day `ms`. */
export function floorTo(unit, ms) {
  const d = new Date(ms);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  switch (unit) {
    case "day": return Date.UTC(y, m, d.getUTCDate());
    case "week": return Date.UTC(y, m, d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    case "month": return Date.UTC(y, m, 1);
    case "quarter": return Date.UTC(y, m - (m % 3), 1);
    default: return Date.UTC(y, 0, 1);
  }
}

/** The start of the bin `n` bins after the one starting at `start`. */
export function offset(unit, start, n = 1) {
  const d = new Date(start);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  switch (unit) {
    case "day": return Date.UTC(y, m, day + n);
    case "week": return Date.UTC(y, m, day + 7 * n);
    case "month": return Date.UTC(y, m + n, 1);
    case "quarter": return Date.UTC(y, m + 3 * n, 1);
    default: return Date.UTC(y + n, 0, 1);
  }
}

/** Every bin start from the bin holding t0 up to (not including) t1. */
export function binStarts(unit, t0, t1) {
  const starts = [];
  for (let s = floorTo(unit, t0); s < t1; s = offset(unit, s)) starts.push(s);
  return starts;
}

/**
 * The finest unit whose bins over [t0, t1) number at most `maxBins`, and no finer than `finest` (weekly counts
 * cannot be cut into days).
 */
export function chooseUnit(t0, t1, maxBins, finest = "day") {
  const candidates = UNITS.slice(UNITS.indexOf(finest));
  for (const unit of candidates) {
    if (binStarts(unit, t0, t1).length <= maxBins) return unit;
  }
  return "year";
}

// Tick steps, finest first: [unit, every n, label style].
const TICK_STEPS = [
  ["day", 1, "day"], ["day", 2, "day"], ["week", 1, "day"], ["week", 2, "day"], ["month", 1, "month"],
  ["quarter", 1, "month"], ["month", 6, "month"], ["year", 1, "year"], ["year", 2, "year"], ["year", 5, "year"],
  ["year", 10, "year"], ["year", 20, "year"], ["year", 50, "year"],
];

function alignedStarts(unit, every, t0, t1) {
  const ticks = [];
  for (let s = floorTo(unit, t0); s < t1; s = offset(unit, s)) {
    if (s < t0) continue;
    const d = new Date(s);
    // every 2 days / 2 weeks: count from the epoch so the ticks do not move with the range; half years: Jan and Jul;
    // 2, 5, 10 years: years divisible by it
    const index = unit === "year" ? d.getUTCFullYear() : unit === "month" ? d.getUTCMonth()
      : Math.round(s / (unit === "week" ? 7 * DAY : DAY));
    if (index % every === 0) ticks.push(s);
  }
  return ticks;
}

/** Ticks on calendar boundaries in [t0, t1): at most `maxTicks` of them, as {ms, style} (style: day|month|year). */
export function timeTicks(t0, t1, maxTicks) {
  for (const [unit, every, style] of TICK_STEPS) {
    const ticks = alignedStarts(unit, every, t0, t1);
    if (ticks.length <= Math.max(1, maxTicks)) return ticks.map((ms) => ({ms, style}));
  }
  return [];
}

/**
 * Counts per bin and type. `rows` are {ms, type, count} (one per event, or one per week and type when only
 * weekly counts are known); a row before t0 counts in the first bin (an event whose dates overlap the start).
 */
export function binCounts(rows, unit, t0, t1) {
  const starts = binStarts(unit, t0, t1);
  const bins = starts.map((start, i) => ({start, end: i + 1 < starts.length ? starts[i + 1] : offset(unit, start),
                                          types: {}, total: 0}));
  const index = new Map(starts.map((s, i) => [s, i]));
  for (const row of rows) {
    if (row.ms >= t1) continue;
    const i = index.get(floorTo(unit, Math.max(row.ms, t0)));
    if (i === undefined) continue;
    bins[i].types[row.type] = (bins[i].types[row.type] || 0) + row.count;
    bins[i].total += row.count;
  }
  return bins;
}

/** Integer y-axis ticks from 0 to a round maximum at or above `max` (about `count` of them). */
export function countTicks(max, count = 4) {
  const raw = Math.max(1, max) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}
