// Grouping of map points that would cover each other at the current zoom, so forty events in one city show as
// one marker with its count instead of a pile (greedy, on a grid: about linear in the number of points).

/**
 * items: [{x, y, ...}] in screen pixels, most important first (the first item of a group is its seed).
 * Returns groups [{seed, members, x, y}] where x, y is the mean of the members. An item joins the first group whose
 * seed lies within `radius` pixels; then groups whose markers (of radiusOf(members) pixels) still cover each other
 * by more than about a third are joined two by two. The grouping depends on nothing but the order given.
 */
export function clusterPoints(items, radius, radiusOf = null) {
  const cells = new Map();
  const groups = [];
  const key = (cx, cy) => `${cx},${cy}`;
  for (const item of items) {
    const [cx, cy] = [Math.floor(item.x / radius), Math.floor(item.y / radius)];
    let found = null;
    for (let dx = -1; dx <= 1 && !found; dx++) {
      for (let dy = -1; dy <= 1 && !found; dy++) {
        for (const group of cells.get(key(cx + dx, cy + dy)) || []) {
          if (Math.hypot(group.seed.x - item.x, group.seed.y - item.y) <= radius) {
            found = group;
            break;
          }
        }
      }
    }
    if (found) {
      found.members.push(item);
      continue;
    }
    const group = {seed: item, members: [item]};
    groups.push(group);
    const cell = key(cx, cy);
    if (!cells.has(cell)) cells.set(cell, []);
    cells.get(cell).push(group);
  }
  const placed = groups.map(({seed, members}) => withCentre(seed, members));
  return radiusOf ? joinOverlapping(placed, radiusOf) : placed;
}

function withCentre(seed, members) {
  return {seed, members, x: members.reduce((sum, m) => sum + m.x, 0) / members.length,
          y: members.reduce((sum, m) => sum + m.y, 0) / members.length};
}

const MAX_PASSES = 4;   // each pass joins pairs of overlapping markers; real maps settle in one or two
const OVERLAP = 0.65;   // markers whose centres are closer than this share of their radii added cover each other

/** Join pairs of groups whose markers cover each other, closest pairs first, each group once per pass (no chains). */
function joinOverlapping(groups, radiusOf) {
  let current = groups;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const radii = current.map((g) => radiusOf(g.members));
    const cell = 2 * Math.max(1, ...radii);
    const grid = new Map();
    current.forEach((g, i) => {
      const k = `${Math.floor(g.x / cell)},${Math.floor(g.y / cell)}`;
      if (!grid.has(k)) grid.set(k, []);
      grid.get(k).push(i);
    });
    const pairs = [];
    current.forEach((g, i) => {
      const [cx, cy] = [Math.floor(g.x / cell), Math.floor(g.y / cell)];
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const j of grid.get(`${cx + dx},${cy + dy}`) || []) {
            const distance = Math.hypot(g.x - current[j].x, g.y - current[j].y);
            if (j > i && distance < OVERLAP * (radii[i] + radii[j])) pairs.push([distance, i, j]);
          }
        }
      }
    });
    if (!pairs.length) return current;
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const partner = new Map();
    for (const [, i, j] of pairs) {
      if (partner.has(i) || partner.has(j)) continue;
      partner.set(i, j);
      partner.set(j, i);
    }
    const next = [];
    current.forEach((g, i) => {
      const j = partner.get(i);
      if (j === undefined) next.push(g);
      else if (i < j) next.push(withCentre(g.seed, g.members.concat(current[j].members)));
    });
    current = next;
  }
  return current;
}

/** Positions around (x, y) for n markers set apart: a ring for a few, a sunflower spiral for many. */
export function spread(x, y, n, spacing) {
  if (n <= 8) {
    const r = Math.max(spacing, (spacing * n) / (2 * Math.PI)) + spacing / 2;
    return Array.from({length: n}, (_, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
      return [x + r * Math.cos(angle), y + r * Math.sin(angle)];
    });
  }
  const golden = Math.PI * (3 - Math.sqrt(5));
  return Array.from({length: n}, (_, i) => {
    const r = spacing * (0.9 + 0.62 * Math.sqrt(i + 1));
    return [x + r * Math.cos(i * golden), y + r * Math.sin(i * golden)];
  });
}
