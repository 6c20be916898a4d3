// Level icons as inline SVG: an emoji (⛔, ⚠) draws as an empty box on a kiosk with no
// emoji font, and a breach must never hang on a glyph the screen may lack (issue 17).
// Drawn in currentColor, so they take the level's colour from the CSS.

const SVG = "http://www.w3.org/2000/svg";

// level -> [shape path, mark path], in a 24×24 box.
export const ICON_PATHS = {
  warning: ["M12 2 L23 21 H1 Z", "M11 9 h2 v6 h-2 Z M11 16.5 h2 v2 h-2 Z"],
  critical: ["M7.5 1.5 h9 l6 6 v9 l-6 6 h-9 l-6 -6 v-9 Z", "M6 10.8 h12 v2.4 h-12 Z"],
};

// An <svg> for `level` ("warning" or "critical"), or null for "ok".
export function levelIcon(level, doc = document) {
  const paths = ICON_PATHS[level];
  if (!paths) return null;
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", `icon icon-${level}`);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const [shape, mark] = paths;
  const outer = doc.createElementNS(SVG, "path");
  outer.setAttribute("d", shape);
  outer.setAttribute("fill", "currentColor");
  const inner = doc.createElementNS(SVG, "path");
  inner.setAttribute("d", mark);
  inner.setAttribute("fill", "#fff");
  svg.append(outer, inner);
  return svg;
}
