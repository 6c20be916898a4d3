// static/js/charts.js: the redraw rate limit, the per-frame budget, and the trace data
// handed to Plotly (drawing itself is in the browser tests).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Chart, FRAME_BUDGET_MS, MIN_REDRAW_MS, drainWithinBudget, redrawWait } from "../../../static/js/charts.js";

describe("redrawWait", () => {
  it("waits out the rest of MIN_REDRAW_MS after the last draw", () => {
    assert.equal(redrawWait(1000, 1000), MIN_REDRAW_MS);
    assert.equal(redrawWait(1000, 1100), MIN_REDRAW_MS - 100);
  });
  it("draws at once when the last draw is old enough", () => {
    assert.equal(redrawWait(1000, 1000 + MIN_REDRAW_MS), 0);
    assert.equal(redrawWait(0, 1e12), 0);
  });
});

describe("drainWithinBudget", () => {
  // A clock that advances `cost` ms for every draw.
  function costly(cost) {
    let now = 0;
    return { clock: () => now, draw: (item, drawn) => { drawn.push(item); now += cost; } };
  }

  it("spreads ten 6 ms redraws over frames of at most two", () => {
    const queue = new Set(Array.from({ length: 10 }, (_, i) => i));
    const { clock, draw } = costly(6);
    const frames = [];
    let more = true;
    while (more) {
      const drawn = [];
      more = drainWithinBudget(queue, (item) => draw(item, drawn), clock);
      frames.push(drawn);
    }
    assert.deepEqual(frames, [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]);
  });

  it("draws the whole queue in one frame when draws are cheap", () => {
    const queue = new Set(["a", "b", "c"]);
    const { clock, draw } = costly(1);
    const drawn = [];
    assert.equal(drainWithinBudget(queue, (item) => draw(item, drawn), clock), false);
    assert.deepEqual(drawn, ["a", "b", "c"]);
  });

  it("always draws at least one, even one that costs more than the whole budget", () => {
    const queue = new Set(["slow", "next"]);
    const { clock, draw } = costly(FRAME_BUDGET_MS * 5);
    const drawn = [];
    assert.equal(drainWithinBudget(queue, (item) => draw(item, drawn), clock), true);
    assert.deepEqual(drawn, ["slow"]);
    assert.deepEqual([...queue], ["next"]);
  });
});

describe("Chart.data", () => {
  const widget = (kind, statistics, figure) => ({
    kind, statistics, figure, format: (v) => String(v), colourFor: (v) => (v > 5 ? "red" : "green"),
  });
  const values = new Map([
    ["a", { value: 3, history: [[1000, 1], [2000, 3]] }],
    ["b", { value: 9, history: [] }],
  ]);

  it("puts each statistic's history on its own line trace", () => {
    const figure = { data: [{ name: "A" }, { name: "B" }], layout: {} };
    const traces = new Chart(null, widget("line", [{ id: "a" }, { id: "b" }], figure)).data(values);
    assert.deepEqual(traces[0].y, [1, 3]);
    assert.deepEqual(traces[0].x, [1000, 2000], "epoch ms, not Date objects (the axis is a date axis)");
    assert.deepEqual(traces[1].y, []);
    assert.equal(figure.data[0].y, undefined, "the server's figure is not modified");
  });

  it("gives bars their values, text and threshold colours, a missing value as null", () => {
    const figure = { data: [{ type: "bar" }], layout: {} };
    const stats = [{ id: "a" }, { id: "b" }, { id: "missing" }];
    const [trace] = new Chart(null, widget("bar", stats, figure)).data(values);
    assert.deepEqual(trace.y, [3, 9, null]);
    assert.deepEqual(trace.text, ["3", "9", "null"]);
    assert.deepEqual(trace.marker.color, ["green", "red", "green"]);
  });

  it("shows a percent gauge with a suffix and the level colour", () => {
    const figure = { data: [{ type: "indicator", gauge: { axis: { range: [0, 100] } } }], layout: {} };
    const [trace] = new Chart(null, widget("gauge", [{ id: "b", unit: "percent" }], figure)).data(values);
    assert.equal(trace.value, 9);
    assert.equal(trace.number.suffix, "%");
    assert.deepEqual(trace.gauge, { axis: { range: [0, 100] }, bar: { color: "red" } });
  });

  it("draws nothing for a kind without a chart", () => {
    assert.equal(new Chart(null, widget("table", [], { data: [], layout: {} })).data(values), null);
  });
});
