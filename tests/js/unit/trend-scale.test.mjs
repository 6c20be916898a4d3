// static/js/trend-scale.js and trend-canvas.js's trendSeries: a trend's axes (steps,
// ticks, labels, where points land) and the lines it draws. The drawing itself is checked
// in Chromium: tests/e2e/test_trend_canvas.py and tests/e2e/test_chart_updates.py.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  TIME_STEPS_MS, fittingLabels, linear, nearestIndex, niceStep, stepFrom, timeTicks, valueAxis, valueLabel,
} from "../../../static/js/trend-scale.js";
import { trendSeries } from "../../../static/js/trend-canvas.js";

const MINUTE = 60_000;
const line = (...values) => ({ points: values.map((v, i) => [i * 1000, v]) });

describe("niceStep", () => {
  it("is the smallest 1, 2 or 5 x 10^n that leaves at most maxTicks steps", () => {
    assert.equal(niceStep(100, 4), 50);
    assert.equal(niceStep(100, 5), 20);
    assert.equal(niceStep(100, 10), 10);
    assert.equal(niceStep(7, 4), 2);
    assert.equal(niceStep(1, 4), 0.5);
    assert.equal(niceStep(0.03, 3), 0.01);
    assert.equal(niceStep(9000, 4), 5000);
  });
  it("never returns zero, NaN or Infinity", () => {
    for (const span of [0, -5, NaN, Infinity]) assert.equal(niceStep(span, 4), 1);
  });
});

describe("stepFrom", () => {
  it("takes the first listed step that fits and whole multiples of the last past the list", () => {
    assert.equal(stepFrom([1, 2, 5], 8, 4), 2);
    assert.equal(stepFrom([1, 2, 5], 100, 4), 25);
  });
});

describe("valueAxis", () => {
  it("starts at zero and ends at the highest value rounded up to a step", () => {
    const axis = valueAxis([line(64, 86, 71)], 4);
    assert.deepEqual([axis.low, axis.high, axis.step], [0, 100, 50]);
    assert.deepEqual(axis.ticks, [0, 50, 100]);
  });
  it("includes every line (the comparison too) and negative values", () => {
    const axis = valueAxis([line(3, 4), line(-7, 12)], 4);
    assert.equal(axis.low, -10);
    assert.equal(axis.high, 15);
    assert.deepEqual(axis.ticks, [-10, -5, 0, 5, 10, 15]);
  });
  it("gives counts whole steps: all zero is 0..1, not 0, 0.5, 1", () => {
    assert.deepEqual(valueAxis([line(0, 0, 0)], 4).ticks, [0, 1]);
    assert.deepEqual(valueAxis([line(1, 2)], 8).ticks, [0, 1, 2]);
  });
  it("keeps fractional steps for fractional values, without float noise", () => {
    const axis = valueAxis([line(0.1, 0.3)], 3);
    assert.equal(axis.step, 0.1);
    assert.deepEqual(axis.ticks, [0, 0.1, 0.2, 0.3]);
  });
  it("steps durations by clock steps past ten seconds", () => {
    const axis = valueAxis([line(0, 250)], 4, "duration");
    assert.equal(axis.step, 120);
    assert.deepEqual(axis.ticks, [0, 120, 240, 360]);
    assert.equal(valueAxis([line(0.2, 0.4)], 4, "duration").step, 1);
  });
  it("skips values that are not finite numbers, and is 0..1 without any", () => {
    const axis = valueAxis([{ points: [[0, null], [1, NaN], [2, "9"], [3, 4]] }], 4);
    assert.equal(axis.high, 4);
    assert.deepEqual(valueAxis([], 4).ticks, [0, 1]);
    assert.deepEqual(valueAxis([{ points: [] }], 4).ticks, [0, 1]);
  });
  it("has at least two ticks however small the plot", () => {
    assert.ok(valueAxis([line(5, 50)], 1).ticks.length >= 2);
  });
});

describe("valueLabel", () => {
  it("reads as the tile's value would: durations as m:ss, percents with %, counts grouped", () => {
    assert.equal(valueLabel(120, "duration", 60), "2:00");
    assert.equal(valueLabel(50, "percent", 50), "50%");
    assert.equal(valueLabel(2.5, "percent", 0.5), "2.5%");
    assert.equal(valueLabel(1200, undefined, 200), new Intl.NumberFormat().format(1200));
    assert.equal(valueLabel(0.2, undefined, 0.1), new Intl.NumberFormat(undefined, { minimumFractionDigits: 1 }).format(0.2));
  });
});

describe("timeTicks", () => {
  it("puts half an hour on five-minute ticks on the clock's :00, :05, ...", () => {
    const start = Date.UTC(2026, 10, 30, 15, 47, 13), end = start + 30 * MINUTE;
    const { step, ticks } = timeTicks(start, end, 7, Date.UTC(2026, 10, 30));
    assert.equal(step, 5 * MINUTE);
    assert.deepEqual(ticks.map((t) => new Date(t).toISOString().slice(11, 16)),
      ["15:50", "15:55", "16:00", "16:05", "16:10", "16:15"]);
  });
  it("counts from the anchor (midnight in the page's zone), so a +05:30 zone gets its own :00", () => {
    const midnight = Date.UTC(2026, 10, 29, 18, 30);  // 00:00 in Asia/Kolkata
    const { ticks } = timeTicks(midnight + 10 * 60 * MINUTE + 1, midnight + 16 * 60 * MINUTE, 6, midnight);
    assert.ok(ticks.every((t) => (t - midnight) % (60 * MINUTE) === 0), ticks);
  });
  it("widens the step with the span and never gives more than maxTicks + 1", () => {
    for (const hours of [0.5, 2, 6, 24, 72]) {
      const { step, ticks } = timeTicks(0, hours * 60 * MINUTE, 5);
      assert.ok(TIME_STEPS_MS.includes(step) || step % TIME_STEPS_MS.at(-1) === 0);
      assert.ok(ticks.length <= 6 && ticks.length >= 1, `${hours} h: ${ticks.length}`);
    }
  });
});

describe("linear and nearestIndex", () => {
  it("maps a domain onto pixels, bottom-up for values", () => {
    const y = linear(0, 100, 200, 10);
    assert.equal(y(0), 200);
    assert.equal(y(100), 10);
    assert.equal(y(50), 105);
  });
  it("puts a zero-width domain at the end", () => {
    assert.equal(linear(5, 5, 0, 300)(5), 300);
  });
  it("finds the point nearest a time, ties to the earlier", () => {
    const pts = [[0, 1], [10, 2], [20, 3]];
    assert.equal(nearestIndex(pts, -5), 0);
    assert.equal(nearestIndex(pts, 4), 0);
    assert.equal(nearestIndex(pts, 5), 0);
    assert.equal(nearestIndex(pts, 6), 1);
    assert.equal(nearestIndex(pts, 99), 2);
    assert.equal(nearestIndex([], 3), -1);
  });
});

describe("fittingLabels", () => {
  it("drops labels that would spill over an edge or touch the previous one", () => {
    assert.deepEqual(fittingLabels([5, 50, 60, 100, 198], [40, 40, 40, 40, 40], 0, 200, 8), [1, 3]);
  });
});

describe("trendSeries", () => {
  const figure = { layout: { colorway: ["#111111", "#222222"] }, data: [{ name: "A", line: { width: 3 } }, { name: "B" }] };
  const history = [[1000, 5], [2000, 6]];
  const values = new Map([["a", { history }], ["b", { history: [] }]]);
  it("gives each statistic its history, in its trace's colour and width", () => {
    const widget = { figure, statistics: [{ id: "a", unit: "percent" }, { id: "b" }] };
    const series = trendSeries(widget, values, 3000);
    assert.equal(series.length, 2);
    assert.equal(series[0].points, history);  // the history itself: no copy per draw
    assert.deepEqual([series[0].name, series[0].colour, series[0].width, series[0].unit], ["A", "#111111", 3, "percent"]);
    assert.deepEqual([series[1].name, series[1].colour, series[1].points], ["B", "#222222", []]);
  });
  it("adds a faint dotted comparison line in the live line's colour, over compare.js's window", () => {
    const now = 40 * MINUTE;
    const compare = { mode: "custom", label: "ref", series: { a: [[500, 0], [1000, 1], [20 * MINUTE, 2], [now + MINUTE, 3]] } };
    const widget = { figure, compare, statistics: [{ id: "a" }, { id: "b" }] };
    const series = trendSeries(widget, values, now);
    const faint = series.filter((s) => s.compare);
    assert.equal(faint.length, 1);  // "b" has no reference points
    assert.deepEqual(faint[0].points, [[1000, 1], [20 * MINUTE, 2]]);  // from the first live point to now
    assert.deepEqual([faint[0].name, faint[0].colour, faint[0].dash, faint[0].opacity < 1], ["ref", "#111111", "dot", true]);
  });
});
