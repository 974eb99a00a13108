// The world map: countries from the bundled world-atlas TopoJSON, drawn with d3-geo into SVG; events as
// circles sized by fatalities and coloured by type. No tiles, nothing from the internet.

import {clear, el, svgEl} from "./dom.js";
import {countryName, formatDate, formatNumber, label, t} from "./i18n.js";
import {radiusFor, TYPES, typeColour} from "./types.js";

const WIDTH = 960;
const HEIGHT = 480;
const MARGIN = 12;
const MAX_FOCUSABLE_POINTS = 300;   // beyond this, keyboard users get the table instead of a tab per point

export class WorldMap {
  constructor(svg, onSelect) {
    this.svg = svg;
    this.onSelect = onSelect;
    this.world = null;
    this.features = [];
    this.mode = "events";     // "events": framed on the events; "world": the whole sphere
    this.frame = null;        // the MultiPoint the "events" mode fits, fixed until asked again
  }

  async load() {
    const response = await fetch("/static/vendor/countries-110m.json");
    if (!response.ok) throw new Error(`world map: HTTP ${response.status}`);
    const topology = await response.json();
    this.world = window.topojson.feature(topology, topology.objects.countries);
    this.borders = window.topojson.mesh(topology, topology.objects.countries, (a, b) => a !== b);
  }

  setMode(mode) {
    this.mode = mode;
    if (mode === "events") this.frame = frameFor(this.features);
    this.draw();
  }

  /** Show these GeoJSON features (from /api/events?format=geojson). */
  render(features) {
    this.features = features;
    if (this.frame === null && features.some(hasPoint)) this.frame = frameFor(features);
    this.draw();
  }

  projection() {
    const projection = window.d3.geoNaturalEarth1();
    const extent = [[MARGIN, MARGIN], [WIDTH - MARGIN, HEIGHT - MARGIN]];
    if (this.mode === "events" && this.frame) projection.fitExtent(extent, this.frame);
    else projection.fitExtent(extent, {type: "Sphere"});
    return projection;
  }

  draw() {
    const d3 = window.d3;
    const projection = this.projection();
    const path = d3.geoPath(projection);
    clear(this.svg);
    this.svg.appendChild(svgEl("path", {class: "sphere", d: path({type: "Sphere"})}));
    this.svg.appendChild(svgEl("path", {class: "graticule", d: path(d3.geoGraticule10())}));
    const land = svgEl("g", {class: "countries", "aria-hidden": "true"});
    for (const country of this.world.features) {
      land.appendChild(svgEl("path", {class: "country", d: path(country)},
        svgEl("title", {text: (country.properties && country.properties.name) || ""})));
    }
    this.svg.appendChild(land);
    this.svg.appendChild(svgEl("path", {class: "borders", d: path(this.borders), "aria-hidden": "true"}));

    const points = svgEl("g", {class: "points"});
    const placed = this.features.filter(hasPoint)
      .map((feature) => ({feature, xy: projection(feature.geometry.coordinates),
                          r: radiusFor(feature.properties.fatalities_min)}))
      .filter((p) => p.xy && Number.isFinite(p.xy[0]) && Number.isFinite(p.xy[1]))
      .sort((a, b) => b.r - a.r);   // big ones first, so small ones stay clickable on top
    const focusable = placed.length <= MAX_FOCUSABLE_POINTS;
    for (const {feature, xy, r} of placed) {
      const p = feature.properties;
      const description = pointLabel(p);
      const circle = svgEl("circle", {
        class: "event-point", cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: r.toFixed(1),
        fill: typeColour(p.type), "data-id": p.id, "data-type": p.type,
        tabindex: focusable ? "0" : null, role: "link", "aria-label": description,
        onclick: () => this.onSelect(p.id),
        onkeydown: (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            this.onSelect(p.id);
          }
        },
      }, svgEl("title", {text: description}));
      points.appendChild(circle);
    }
    this.svg.appendChild(points);
    this.svg.dataset.points = String(placed.length);
  }
}

function hasPoint(feature) {
  return Boolean(feature.geometry && feature.geometry.type === "Point");
}

/** A MultiPoint around the events, padded so one event or a tight cluster still shows its region. */
function frameFor(features) {
  const coords = features.filter(hasPoint).map((f) => f.geometry.coordinates);
  if (!coords.length) return null;
  const lons = coords.map((c) => c[0]);
  const lats = coords.map((c) => c[1]);
  let [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const padLon = Math.max(8, (east - west) * 0.15);
  const padLat = Math.max(5, (north - south) * 0.15);
  west = Math.max(-180, west - padLon);
  east = Math.min(180, east + padLon);
  south = Math.max(-85, south - padLat);
  north = Math.min(85, north + padLat);
  return {type: "MultiPoint", coordinates: [[west, south], [east, north], [west, north], [east, south]]};
}

function pointLabel(p) {
  const parts = [label("types", p.type)];
  if (p.subtype) parts[0] += ` (${label("subtypes", p.subtype)})`;
  const place = [p.location_name, p.country ? countryName(p.country) : null].filter(Boolean).join(", ");
  if (place) parts.push(place);
  if (p.date_start) parts.push(formatDate(p.date_start));
  if (Number.isFinite(p.fatalities_min)) parts.push(`${t("ui.fatalities")}: ${formatNumber(p.fatalities_min)}`);
  if (p.title) parts.push(p.title);
  return parts.join(" · ");
}

/** The colour legend (types present, with counts) and the size legend. */
export function renderLegend(container, byType) {
  clear(container);
  const types = TYPES.filter((type) => byType[type]).concat(Object.keys(byType).filter((x) => !TYPES.includes(x)));
  const list = el("ul", {class: "legend-types"});
  for (const type of types) {
    const swatch = el("span", {class: "swatch", "aria-hidden": "true"});
    swatch.style.background = typeColour(type);
    list.appendChild(el("li", {"data-type": type}, swatch, `${label("types", type)} (${formatNumber(byType[type])})`));
  }
  container.appendChild(list);
  const sizes = el("ul", {class: "legend-sizes"},
    el("li", {class: "legend-sizes-title", text: t("ui.fatalities_scale")}));
  for (const n of [0, 10, 100]) {
    const r = radiusFor(n);
    const icon = svgEl("svg", {width: String(2 * r + 2), height: String(2 * r + 2), "aria-hidden": "true"},
      svgEl("circle", {cx: String(r + 1), cy: String(r + 1), r: String(r), class: "size-sample"}));
    sizes.appendChild(el("li", {}, icon, n ? formatNumber(n) : `0 / ${t("ui.unknown")}`));
  }
  container.appendChild(sizes);
}
