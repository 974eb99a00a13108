// The legend: every type of the ontology (/api/ontology) in its order and colour, with the number of matching
// events (a type with none is shown faded, so the colours never change meaning); selecting one filters on it.
// Below, what the sizes and the numbered markers of the map mean.

import {clear, el, svgEl} from "./dom.js";
import {capitalised, formatNumber, label, t} from "./i18n.js";
import {inTypeOrder, typeColour, typeNames} from "./ontology.js";
import {clusterRadius, radiusFor} from "./map.js";

/** byType: {type: count} for the current filters; chosen: the type filter ("" for none); onChoose(type). */
export function renderLegend(container, byType, chosen, onChoose) {
  clear(container);
  const list = el("ul", {class: "legend-types"});
  for (const type of inTypeOrder(typeNames().concat(Object.keys(byType).filter((x) => !typeNames().includes(x))))) {
    const n = byType[type] || 0;
    const swatch = el("span", {class: "swatch", "aria-hidden": "true"});
    swatch.style.background = typeColour(type);
    list.appendChild(el("li", {"data-type": type, "data-count": String(n), class: n ? null : "absent"},
      el("button", {type: "button", "aria-pressed": String(chosen === type),
                    onclick: () => onChoose(chosen === type ? "" : type)},
      swatch, el("span", {class: "legend-label", text: capitalised(label("types", type))}),
      el("span", {class: "legend-count", text: formatNumber(n)}))));
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
  const r = clusterRadius(5);
  const group = svgEl("svg", {width: String(2 * r + 2), height: String(2 * r + 2), "aria-hidden": "true"},
    svgEl("g", {class: "cluster", transform: `translate(${r + 1},${r + 1})`},
      svgEl("circle", {class: "cluster-disc", r: String(r)}),
      svgEl("text", {class: "cluster-count", "text-anchor": "middle", dy: "0.35em", text: formatNumber(5)})));
  sizes.appendChild(el("li", {class: "legend-group"}, group, t("ui.legend_group")));
  container.appendChild(sizes);
}
