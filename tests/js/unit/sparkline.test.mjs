// static/js/sparkline.js: where a KPI's points land on its canvas, and the style taken
// from the server's Plotly trace (the drawing itself is checked in Chromium:
// tests/e2e/test_chart_updates.py).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { sparkPoints, sparkStyle } from "../../../static/js/sparkline.js";

describe("sparkPoints", () => {
  it("spans the box by time, zero at the bottom and the highest value at the top", () => {
    const pts = sparkPoints([[1000, 0], [2000, 5], [3000, 10]], 102, 52, 1);
    assert.deepEqual(pts, [[1, 51], [51, 26], [101, 1]]);
  });
  it("places points by their time, not their index (gaps stay gaps)", () => {
    const pts = sparkPoints([[0, 1], [1000, 1], [4000, 2]], 42, 12, 1);
    assert.deepEqual(pts.map((p) => p[0]), [1, 11, 41]);
  });
  it("keeps negative values in the box (the bottom is the lowest value)", () => {
    const pts = sparkPoints([[0, -10], [10, 10]], 12, 22, 1);
    assert.deepEqual(pts, [[1, 21], [11, 1]]);
  });
  it("skips points without a finite number, and draws nothing without any", () => {
    assert.equal(sparkPoints([[0, 1], [1, null], [2, NaN], [3, 2]], 10, 10).length, 2);
    assert.deepEqual(sparkPoints([], 10, 10), []);
    assert.deepEqual(sparkPoints(undefined, 10, 10), []);
  });
  it("puts a single or all-zero history along the bottom without dividing by zero", () => {
    assert.deepEqual(sparkPoints([[5, 0]], 12, 12, 1), [[11, 11]]);
    assert.ok(sparkPoints([[0, 0], [1, 0]], 12, 12, 1).every(([x, y]) => Number.isFinite(x) && y === 11));
  });
  it("keeps 1,000 points all inside the box", () => {
    const history = Array.from({ length: 1000 }, (_, i) => [i * 1000, Math.sin(i) * 50]);
    const pts = sparkPoints(history, 300, 50, 2);
    assert.equal(pts.length, 1000);
    assert.ok(pts.every(([x, y]) => x >= 2 && x <= 298 && y >= 2 && y <= 48));
  });
});

describe("sparkStyle", () => {
  it("takes colour, width and fill from the figure's trace", () => {
    assert.deepEqual(sparkStyle({ line: { color: "#cf222e", width: 3 }, fill: "tozeroy" }),
                     { colour: "#cf222e", width: 3, fill: true });
  });
  it("falls back to the product's blue, width 2, no fill", () => {
    assert.deepEqual(sparkStyle(undefined), { colour: "#1f6feb", width: 2, fill: false });
  });
});
