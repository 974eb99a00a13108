// A tooltip: one box per panel, beside what the pointer is over or what has the keyboard's focus. Its content is
// built with DOM calls (dom.js), so titles and names from the news show as text.

import {clear, el} from "./dom.js";

let counter = 0;

export class Tooltip {
  /** container: the positioned element (CSS position: relative) the box lives in. */
  constructor(container) {
    this.container = container;
    counter += 1;
    this.box = el("div", {class: "tooltip", role: "tooltip", id: `tooltip-${counter}`, hidden: true});
    container.appendChild(this.box);
  }

  /**
   * Show content (nodes) beside `point` ({x, y} in CSS pixels from the top left of `reference`), kept inside the
   * container: to the right of the point where there is room, else to its left; below it, else above.
   */
  show(content, point, reference) {
    clear(this.box).append(...content);
    this.box.hidden = false;
    const frame = this.container.getBoundingClientRect();
    const ref = reference.getBoundingClientRect();
    const [px, py] = [ref.left - frame.left + point.x, ref.top - frame.top + point.y];
    const [w, h] = [this.box.offsetWidth, this.box.offsetHeight];
    const gap = 14;
    let left = px + gap;
    if (left + w > frame.width) left = px - gap - w;
    left = Math.max(0, Math.min(left, frame.width - w));
    let top = py + gap;
    if (top + h > frame.height && py - gap - h >= 0) top = py - gap - h;
    this.box.style.left = `${Math.round(left)}px`;
    this.box.style.top = `${Math.round(Math.max(0, top))}px`;
  }

  hide() {
    this.box.hidden = true;
  }

  get visible() {
    return !this.box.hidden;
  }
}
