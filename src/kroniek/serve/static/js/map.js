// The world map: countries from the bundled world-atlas TopoJSON drawn with d3-geo, zoom and pan with d3-zoom
// (wheel, pinch, drag, the + and − buttons), events as circles sized by fatalities and coloured by type. Events
// that would cover each other at the current zoom show as one numbered marker: selecting it zooms in on them, or,
// when they share one place (a city's events all sit on its centre), sets them out in a ring. Every filter
// re-frames the map on the events it matches. No tiles, nothing from the internet.

import {clear, el, svgEl} from "./dom.js";
import {capitalised, countryName, countText, formatCompact, formatDate, formatNumber, label, t} from "./i18n.js";
import {inTypeOrder, typeColour} from "./ontology.js";
import {clusterPoints, spread} from "./cluster.js";
import {Tooltip} from "./tooltip.js";

const MAX_ZOOM = 48;        // 110m boundaries say little beyond this
const FIT_MAX_ZOOM = 10;    // framing never goes closer: one event shows its region, not an empty square
const FIT_PAD_PX = 34;      // room for the largest circle at the edge of a framed view
const CLUSTER_PX = 24;      // centres closer than this on screen make one marker (two markers then rarely overlap)
const SPREAD_PX = 14;       // spacing of a group's events when set out around their place
const MAX_FOCUSABLE = 300;  // beyond this many markers, keyboard users get the table instead of a tab per marker
const MOTION_MS = 600;

/** Circle radius in pixels for a number of fatalities (area grows with the count). */
export function radiusFor(fatalities) {
  const n = Number.isFinite(fatalities) && fatalities > 0 ? fatalities : 0;
  return Math.min(26, 4 + 2.2 * Math.sqrt(n));
}

/** Radius of a group marker of n events. */
export function clusterRadius(n) {
  return Math.min(24, 9 + 2.4 * Math.sqrt(n));
}

function reducedMotion() {
  return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export class WorldMap {
  /** svg: the map; frame: its positioned container (for the tooltip); onSelect(eventId) opens an event. */
  constructor(svg, frame, onSelect) {
    this.svg = svg;
    this.frame = frame;
    this.onSelect = onSelect;
    this.tooltip = new Tooltip(frame);
    this.points = [];
    this.placed = [];
    this.expanded = null;      // the seed id of the group set out in a ring, if any
    this.size = [0, 0];
    this.pending = false;
  }

  async load() {
    const response = await fetch("/static/vendor/countries-110m.json");
    if (!response.ok) throw new Error(`world map: HTTP ${response.status}`);
    const topology = await response.json();
    this.world = window.topojson.feature(topology, topology.objects.countries);
    this.borders = window.topojson.mesh(topology, topology.objects.countries, (a, b) => a !== b);
    const d3 = window.d3;
    this.transform = d3.zoomIdentity;
    this.zoom = d3.zoom().scaleExtent([1, MAX_ZOOM])
      .on("start", () => { this.svg.dataset.moving = "1"; })
      .on("zoom", (event) => this.zoomed(event))
      .on("end", () => {
        this.svg.dataset.moving = "0";
        if (this.transform.k !== this.clusteredAt) this.drawMarkers();   // group again for the new scale
      });
    this.selection = d3.select(this.svg).call(this.zoom);
    this.svg.addEventListener("click", (event) => {
      if (this.expanded && !event.target.closest(".marker")) this.collapse();
    });
    this.svg.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        this.tooltip.hide();
        this.collapse();
      }
    });
    this.layout();
  }

  /** Size the drawing to the map's width on screen, project the world into it, and draw the land. */
  layout() {
    const d3 = window.d3;
    const width = Math.max(280, Math.round(this.frame.getBoundingClientRect().width) || 960);
    const height = Math.round(Math.min(560, Math.max(220, width * 0.52)));
    this.size = [width, height];
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.projection = d3.geoNaturalEarth1().fitExtent([[6, 6], [width - 6, height - 6]], {type: "Sphere"});
    const path = d3.geoPath(this.projection);
    clear(this.svg);
    this.land = svgEl("g", {class: "land", "aria-hidden": "true"},
      svgEl("path", {class: "sphere", d: path({type: "Sphere"})}),
      svgEl("path", {class: "graticule", d: path(d3.geoGraticule10())}),
      this.world.features.map((country) => svgEl("path", {class: "country", d: path(country)})),
      svgEl("path", {class: "borders", d: path(this.borders)}));
    this.markers = svgEl("g", {class: "points"});
    this.svg.append(this.land, this.markers);
    this.zoom.extent([[0, 0], [width, height]]).translateExtent([[0, 0], [width, height]]);
    this.project();
  }

  /** Redraw for a new width (the window was resized). */
  resize() {
    if (!this.world) return;
    const width = Math.round(this.frame.getBoundingClientRect().width);
    if (width && width !== this.size[0]) {
      this.layout();
      this.fitToEvents(false);
    }
  }

  /** Show these points (map summaries from /api/events?format=points) and frame the map on them. */
  render(points) {
    this.points = points;
    this.expanded = null;
    this.project();
    this.fitToEvents(true);
  }

  project() {
    if (!this.projection) return;
    this.placed = this.points
      .filter((p) => Number.isFinite(p.lon) && Number.isFinite(p.lat))
      .map((p) => ({point: p, base: this.projection([p.lon, p.lat]), r: radiusFor(p.fatalities_min)}))
      .filter((p) => p.base && Number.isFinite(p.base[0]) && Number.isFinite(p.base[1]))
      // the largest first: they seed groups, and small circles are drawn on top of them
      .sort((a, b) => b.r - a.r || (a.point.id < b.point.id ? -1 : 1));
    this.svg.dataset.points = String(this.placed.length);
    this.drawMarkers();
  }

  zoomed(event) {
    this.transform = event.transform;
    this.land.setAttribute("transform", event.transform.toString());
    this.svg.dataset.zoom = `${event.transform.k.toFixed(3)},${event.transform.x.toFixed(1)},${event.transform.y.toFixed(1)}`;
    this.tooltip.hide();
    if (event.sourceEvent && this.expanded) {   // the user moved the map: the ring set out before is closed
      this.expanded = null;
      this.drawMarkers();
      return;
    }
    if (!this.pending) {   // while the map moves, markers only follow it (at most once a frame); grouping waits for the end
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.followTransform();
      });
    }
  }

  /** Move the markers drawn to where their places are now, without grouping them again. */
  followTransform() {
    const {k, x, y} = this.transform;
    for (const {node, bx, by, dx, dy} of this.drawn || []) {
      const [px, py] = [bx * k + x + dx, by * k + y + dy];
      if (node.tagName === "circle") {
        node.setAttribute("cx", px.toFixed(1));
        node.setAttribute("cy", py.toFixed(1));
      } else {
        node.setAttribute("transform", `translate(${px.toFixed(1)},${py.toFixed(1)})`);
      }
    }
  }

  /** Move to a view: a d3 zoom transform, kept inside the world. */
  moveTo(transform, animate) {
    const [width, height] = this.size;
    const target = this.zoom.constrain()(transform, [[0, 0], [width, height]], [[0, 0], [width, height]]);
    if (animate && !reducedMotion()) {
      this.svg.dataset.moving = "1";
      this.selection.transition().duration(MOTION_MS).call(this.zoom.transform, target)
        .on("end interrupt", () => { this.svg.dataset.moving = "0"; });
    } else {
      this.selection.interrupt().call(this.zoom.transform, target);
    }
  }

  /** Frame the map on projected coordinates [[x0, y0], [x1, y1]], no closer than maxZoom. */
  frameOn([[x0, y0], [x1, y1]], maxZoom, animate) {
    const [width, height] = this.size;
    const k = Math.max(1, Math.min(maxZoom, (width - 2 * FIT_PAD_PX) / Math.max(1e-6, x1 - x0),
      (height - 2 * FIT_PAD_PX) / Math.max(1e-6, y1 - y0)));
    const transform = window.d3.zoomIdentity.translate(width / 2 - (k * (x0 + x1)) / 2, height / 2 - (k * (y0 + y1)) / 2)
      .scale(k);
    this.moveTo(transform, animate);
  }

  /** Frame the map on the events shown (the whole world when none has a place). */
  fitToEvents(animate = true) {
    if (!this.placed.length) {
      this.showWorld(animate);
      return;
    }
    this.frameOn(bounds(this.placed.map((p) => p.base)), FIT_MAX_ZOOM, animate);
  }

  showWorld(animate = true) {
    this.moveTo(window.d3.zoomIdentity, animate);
  }

  zoomBy(factor) {
    const duration = reducedMotion() ? 0 : 250;
    this.selection.transition().duration(duration).call(this.zoom.scaleBy, factor);
  }

  collapse() {
    if (!this.expanded) return;
    this.expanded = null;
    this.drawMarkers();
  }

  drawMarkers() {
    if (!this.markers) return;
    const {k, x, y} = this.transform;
    const items = this.placed.map((p) => ({...p, x: p.base[0] * k + x, y: p.base[1] * k + y}));
    const groups = clusterPoints(items, CLUSTER_PX,
      (members) => (members.length === 1 ? members[0].r : clusterRadius(members.length)));
    this.clusteredAt = k;
    this.drawn = [];
    clear(this.markers);
    const focusable = groups.length <= MAX_FOCUSABLE;
    // the largest markers first, so smaller ones (and the numbers of groups) stay visible on top of them
    const drawn = groups.filter((g) => this.expanded !== g.seed.point.id || g.members.length === 1)
      .map((g) => ({group: g, r: g.members.length === 1 ? g.members[0].r : clusterRadius(g.members.length)}))
      .sort((a, b) => b.r - a.r);
    const follow = (node, group, dx = 0, dy = 0) => {
      const n = group.members.length;
      this.drawn.push({node, dx, dy, bx: group.members.reduce((sum, m) => sum + m.base[0], 0) / n,
                       by: group.members.reduce((sum, m) => sum + m.base[1], 0) / n});
      return node;
    };
    for (const {group} of drawn) {
      const item = group.members[0];
      this.markers.appendChild(follow(group.members.length === 1 ? this.pointMarker(item, item.x, item.y, focusable)
        : this.groupMarker(group, focusable), group));
    }
    for (const group of groups.filter((g) => this.expanded === g.seed.point.id && g.members.length > 1)) {
      this.markers.appendChild(follow(this.ring(group), group, -group.x, -group.y));
    }
    this.svg.dataset.markers = String(this.markers.childElementCount);
  }

  pointMarker(item, cx, cy, focusable) {
    const p = item.point;
    const open = () => this.onSelect(p.id);
    return svgEl("circle", {
      class: "marker event-point", cx: cx.toFixed(1), cy: cy.toFixed(1), r: item.r.toFixed(1),
      fill: typeColour(p.type), "data-id": p.id, "data-type": p.type, "data-count": "1",
      tabindex: focusable ? "0" : null, role: "link", "aria-label": pointText(p),
      "aria-describedby": this.tooltip.box.id,
      onclick: (event) => { event.stopPropagation(); open(); },
      onkeydown: (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open();
        }
      },
      onpointerenter: (event) => this.showTooltip(pointTooltip(p), event.currentTarget),
      onpointerleave: () => this.tooltip.hide(),
      onfocus: (event) => this.showTooltip(pointTooltip(p), event.currentTarget),
      onblur: () => this.tooltip.hide(),
    });
  }

  groupMarker(group, focusable) {
    const n = group.members.length;
    const r = clusterRadius(n);
    const counts = {};
    for (const m of group.members) counts[m.point.type] = (counts[m.point.type] || 0) + 1;
    const together = this.inseparable(group);
    const activate = (byKeyboard) => {
      if (together) {
        this.expanded = group.seed.point.id;
        this.tooltip.hide();
        this.drawMarkers();
        const first = this.markers.querySelector(".ring .event-point");
        if (first && byKeyboard) first.focus();
      } else {
        this.frameOn(bounds(group.members.map((m) => m.base)), MAX_ZOOM, true);
      }
    };
    const marker = svgEl("g", {
      class: "marker cluster", transform: `translate(${group.x.toFixed(1)},${group.y.toFixed(1)})`,
      "data-count": String(n), "data-ids": group.members.map((m) => m.point.id).join(" "),
      tabindex: focusable ? "0" : null, role: "button", "aria-label": groupText(group, counts, together),
      "aria-describedby": this.tooltip.box.id,
      onclick: (event) => { event.stopPropagation(); activate(false); },
      onkeydown: (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          activate(true);
        }
      },
      onpointerenter: (event) => this.showTooltip(groupTooltip(group, counts, together), event.currentTarget),
      onpointerleave: () => this.tooltip.hide(),
      onfocus: (event) => this.showTooltip(groupTooltip(group, counts, together), event.currentTarget),
      onblur: () => this.tooltip.hide(),
    }, svgEl("circle", {class: "cluster-disc", r: r.toFixed(1)}), typeRing(counts, n, r - 2.5),
    svgEl("text", {class: "cluster-count", "text-anchor": "middle", dy: "0.35em", text: formatCompact(n)}));
    return marker;
  }

  /** A group's events set out around their place, each with a line to it. */
  ring(group) {
    const layer = svgEl("g", {class: "ring"});
    const positions = spread(group.x, group.y, group.members.length, SPREAD_PX);
    layer.appendChild(svgEl("circle", {class: "ring-centre", cx: group.x.toFixed(1), cy: group.y.toFixed(1), r: "3"}));
    group.members.forEach((item, i) => {
      const [px, py] = positions[i];
      layer.appendChild(svgEl("line", {class: "ring-leg", x1: group.x.toFixed(1), y1: group.y.toFixed(1),
                                       x2: px.toFixed(1), y2: py.toFixed(1)}));
    });
    group.members.forEach((item, i) => {
      const [px, py] = positions[i];
      layer.appendChild(this.pointMarker({...item, r: Math.min(item.r, 9)}, px, py, true));
    });
    return layer;
  }

  /** Whether zooming in cannot set a group's events apart (they share a place, or nearly). */
  inseparable(group) {
    const [[x0, y0], [x1, y1]] = bounds(group.members.map((m) => m.base));
    return Math.max(x1 - x0, y1 - y0) * MAX_ZOOM < CLUSTER_PX || this.transform.k >= MAX_ZOOM * 0.98;
  }

  /** The tooltip beside a marker (at its top centre, wherever the map has moved it since). */
  showTooltip(content, marker) {
    this.tooltip.show(content, {x: marker.getBoundingClientRect().width / 2, y: 0}, marker);
  }
}

function bounds(coords) {
  const xs = coords.map((c) => c[0]);
  const ys = coords.map((c) => c[1]);
  return [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]];
}

/** A ring around a group marker in the colours of its types, each type's arc as long as its share. */
function typeRing(counts, n, r) {
  const ring = svgEl("g", {class: "cluster-ring", "aria-hidden": "true"});
  const types = inTypeOrder(Object.keys(counts));
  if (types.length === 1) {
    ring.appendChild(svgEl("circle", {r: r.toFixed(1), stroke: typeColour(types[0])}));
    return ring;
  }
  let angle = -Math.PI / 2;
  for (const type of types) {
    const sweep = (2 * Math.PI * counts[type]) / n;
    const [a0, a1] = [angle, angle + sweep];
    const d = `M${(r * Math.cos(a0)).toFixed(2)},${(r * Math.sin(a0)).toFixed(2)}` +
      `A${r.toFixed(2)},${r.toFixed(2)} 0 ${sweep > Math.PI ? 1 : 0} 1 ` +
      `${(r * Math.cos(a1)).toFixed(2)},${(r * Math.sin(a1)).toFixed(2)}`;
    ring.appendChild(svgEl("path", {d, stroke: typeColour(type)}));
    angle = a1;
  }
  return ring;
}

function kindText(p) {
  return capitalised(label("types", p.type)) + (p.subtype ? ` · ${label("subtypes", p.subtype)}` : "");
}

function placeText(p) {
  const country = p.country ? countryName(p.country) : "";
  return [p.location_name, country !== p.location_name ? country : ""].filter(Boolean).join(", ");
}

function dateText(p) {
  if (!p.date_start) return "";
  return p.date_end && p.date_end !== p.date_start
    ? `${formatDate(p.date_start)} – ${formatDate(p.date_end)}` : formatDate(p.date_start);
}

/** One line for screen readers (the marker's name). */
function pointText(p) {
  const parts = [kindText(p), placeText(p), dateText(p)];
  if (p.modality && p.modality !== "asserted") parts.push(label("modalities", p.modality));
  const fatalities = countText(p.fatalities_min, p.fatalities_max);
  if (fatalities) parts.push(`${t("ui.fatalities")}: ${fatalities}`);
  if (p.title) parts.push(p.title);
  return parts.filter(Boolean).join(" · ");
}

function row(name, value) {
  return value ? el("div", {class: "tooltip-row"}, el("span", {class: "tooltip-key", text: `${name} `}), value) : null;
}

function pointTooltip(p) {
  const lines = [el("strong", {class: "tooltip-title", text: kindText(p)})];
  if (p.modality && p.modality !== "asserted") {
    lines.push(el("div", {class: "tooltip-modality", text: capitalised(label("modalities", p.modality))}));
  }
  lines.push(el("div", {text: [placeText(p), dateText(p)].filter(Boolean).join(" · ")}));
  lines.push(row(t("ui.fatalities"), countText(p.fatalities_min, p.fatalities_max)),
    row(t("ui.injuries"), countText(p.injuries_min, p.injuries_max)),
    row(t("ui.actors"), [...new Set(p.actors || [])].slice(0, 4).join(", ")));
  if (p.title) lines.push(el("div", {class: "tooltip-source", text: p.title}));
  lines.push(el("p", {class: "tooltip-hint", text: t("ui.map_open_hint")}));
  return lines.filter(Boolean);
}

function groupText(group, counts, together) {
  const types = inTypeOrder(Object.keys(counts)).map((type) => `${label("types", type)} ${counts[type]}`).join(", ");
  return `${t("ui.result_count", {n: group.members.length})}: ${types}. ` +
    t(together ? "ui.map_spread_hint" : "ui.map_zoom_hint");
}

function groupTooltip(group, counts, together) {
  const places = [...new Set(group.members.map((m) => placeText(m.point)).filter(Boolean))];
  const list = el("ul", {class: "tooltip-types"});
  for (const type of inTypeOrder(Object.keys(counts))) {
    const swatch = el("span", {class: "swatch", "aria-hidden": "true"});
    swatch.style.background = typeColour(type);
    list.appendChild(el("li", {}, swatch, `${capitalised(label("types", type))} ${formatNumber(counts[type])}`));
  }
  return [el("strong", {class: "tooltip-title", text: t("ui.result_count", {n: formatNumber(group.members.length)})}),
    places.length ? el("div", {text: places.slice(0, 3).join("; ") + (places.length > 3 ? " …" : "")}) : null,
    list, el("p", {class: "tooltip-hint", text: t(together ? "ui.map_spread_hint" : "ui.map_zoom_hint")})]
    .filter(Boolean);
}
