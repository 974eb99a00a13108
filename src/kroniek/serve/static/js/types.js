// The event types and modalities of EVENTS.md, in display order, and the colour of each type on the
// map, timeline, table and legend. Colours: Tableau's categorical palette, told apart by most forms of
// colour blindness when paired with the legend's labels.

export const TYPES = [
  "attack", "armed_clash", "remote_violence", "killing", "claim", "incitement", "threat", "plot", "arrest",
  "protest", "riot",
];

export const MODALITIES = ["asserted", "negated", "uncertain", "hypothetical", "future", "generic"];

const COLOURS = {
  attack: "#d62728", armed_clash: "#ff7f0e", remote_violence: "#9467bd", killing: "#8c564b",
  claim: "#17becf", incitement: "#e377c2", threat: "#bcbd22", plot: "#7f7f7f", arrest: "#1f77b4",
  protest: "#2ca02c", riot: "#393b79",
};

export function typeColour(type) {
  return COLOURS[type] || "#555555";
}

/** Circle radius on the map for a number of fatalities (area grows with the count). */
export function radiusFor(fatalities) {
  const n = Number.isFinite(fatalities) && fatalities > 0 ? fatalities : 0;
  return Math.min(26, 3.5 + 2.2 * Math.sqrt(n));
}
