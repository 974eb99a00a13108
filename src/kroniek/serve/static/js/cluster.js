// Grouping of map points that would cover each other at the current zoom, so forty events in one city show as
// one marker with its count instead of a pile (greedy, on a grid: linear in the number of points).

/**
 * items: [{x, y, ...}] in screen pixels, most important first (the first item of a group is its seed).
 * Returns groups [{x, y, members}] where x, y is the mean of the members; an item joins the first group whose
 * seed lies within `radius` pixels, so the grouping does not depend on anything but the order given.
 */
export function clusterPoints(items, radius) {
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
  return groups.map(({seed, members}) => ({
    seed, members,
    x: members.reduce((sum, m) => sum + m.x, 0) / members.length,
    y: members.reduce((sum, m) => sum + m.y, 0) / members.length,
  }));
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
