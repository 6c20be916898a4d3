// The wallboard preview: the draft framed at a TV's pixel size (scaled to fit here),
// and a warning for each tile whose numbers are too small to read from the viewing
// distance. Readable means a character height of at least 20 minutes of arc
// (ANSI/HFES 100-2007's preferred minimum for reading): 29 mm at 5 m. Digits are taken
// as 0.72 of the font size (the cap height of the system sans-serif fonts).

import { el } from "./dom.js";
import { gettext, interpolate } from "../i18n.js";

const ARC_MINUTES = 20;
const DIGIT_HEIGHT = 0.72;
// Where a tile shows its numbers: KPI figures, queue-table cells, agent cells,
// coverage counts (not captions such as "43 of 50 logged in").
const NUMBERS = ".big, table.queues td, .agent, td.count";
const REMEASURE_MS = 2000;  // tiles fill in as values arrive (agent cells, table rows)

export function neededMm(distanceM) {
  return 2 * distanceM * 1000 * Math.tan((ARC_MINUTES / 60 / 2) * Math.PI / 180);
}

export function mmPerPixel(diagonalInches, widthPx) {
  return (diagonalInches * 25.4 * 16 / Math.hypot(16, 9)) / widthPx;
}

export class Preview {
  constructor(url, $) {
    Object.assign(this, { url, $ });
    this.frame = $("preview-frame");
    this.frame.addEventListener("load", () => this.whenBuilt(0));
    for (const id of ["preview-screen", "preview-diagonal", "preview-distance"]) {
      $(id).addEventListener("change", () => this.reload());
    }
    window.addEventListener("resize", () => this.fit());
    setInterval(() => { if (!$("preview").hidden && this.frame.contentDocument) this.measure(this.frame.contentDocument); },
                REMEASURE_MS);
  }

  toggle(button) {
    const section = this.$("preview");
    section.hidden = !section.hidden;
    button.setAttribute("aria-expanded", String(!section.hidden));
    if (!section.hidden) this.reload();
  }

  reload() {
    if (this.$("preview").hidden) return;
    const width = Number(this.$("preview-screen").value);
    this.frame.width = width;
    this.frame.height = Math.round(width * 9 / 16);
    this.fit();
    this.$("legibility").replaceChildren(el("li", "", gettext("Measuring…")));
    this.frame.src = `${this.url}?t=${Date.now()}`;
  }

  fit() {
    const box = this.frame.parentElement;
    const scale = box.clientWidth / this.frame.width;
    this.frame.style.transform = `scale(${scale})`;
    box.style.height = `${Math.ceil(this.frame.height * scale)}px`;
  }

  whenBuilt(tries) {
    const doc = this.frame.contentDocument;
    if (doc?.querySelector("#stage .tile") || tries > 50) { this.measure(doc); return; }
    requestAnimationFrame(() => this.whenBuilt(tries + 1));
  }

  measure(doc) {
    const mm = mmPerPixel(Number(this.$("preview-diagonal").value) || 55, this.frame.width);
    const distance = Number(this.$("preview-distance").value) || 5;
    const need = neededMm(distance);
    const lines = [];
    for (const tile of doc?.querySelectorAll("#stage .tile") || []) {
      const sizes = [...tile.querySelectorAll(NUMBERS)].map((n) => parseFloat(doc.defaultView.getComputedStyle(n).fontSize));
      if (!sizes.length) continue;
      const height = Math.min(...sizes) * DIGIT_HEIGHT * mm;
      if (height < need) {
        const title = tile.querySelector("h2")?.textContent || gettext("A tile");
        lines.push(el("li", "warn", interpolate(gettext("{title}: numbers {height} mm tall; from {distance} m they need {need} mm"),
          { title, height: height.toFixed(0), distance, need: need.toFixed(0) })));
      }
    }
    if (!lines.length) lines.push(el("li", "fine", interpolate(gettext("Every number is at least {need} mm tall: readable from {distance} m."),
      { need: need.toFixed(0), distance })));
    this.$("legibility").replaceChildren(...lines);
  }
}
