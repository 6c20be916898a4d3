// static/js/format.js: numbers as supervisors read them, and threshold levels.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { LEVEL_TEXT, ago, formatDuration, formatValue, levelOf } from "../../../static/js/format.js";

describe("formatDuration", () => {
  it("writes m:ss under an hour and h:mm:ss from an hour", () => {
    assert.equal(formatDuration(0), "0:00");
    assert.equal(formatDuration(65), "1:05");
    assert.equal(formatDuration(3599), "59:59");
    assert.equal(formatDuration(3600), "1:00:00");
    assert.equal(formatDuration(3 * 3600 + 5 * 60 + 7), "3:05:07");
  });
  it("rounds to the second and never goes negative", () => {
    assert.equal(formatDuration(59.6), "1:00");
    assert.equal(formatDuration(-5), "0:00");
  });
  it("shows a dash for no value", () => {
    for (const v of [null, undefined, NaN, Infinity]) assert.equal(formatDuration(v), "–");
  });
});

describe("formatValue", () => {
  it("formats by unit", () => {
    assert.equal(formatValue(125, "duration"), "2:05");
    assert.equal(formatValue(87.25, "percent"), "87.3%");
    assert.equal(formatValue(3.14159, "count"), "3.1");
    assert.equal(formatValue(42, "count"), new Intl.NumberFormat().format(42));
    assert.equal(formatValue(1234567), new Intl.NumberFormat().format(1234567));
  });
  it("shows a dash for anything that is not a finite number", () => {
    for (const v of [null, undefined, "12", NaN, -Infinity, { value: 1 }]) assert.equal(formatValue(v, "count"), "–");
  });
});

describe("levelOf", () => {
  const above = { warning: 5, critical: 10, direction: "above" };
  const below = { warning: 80, critical: 70, direction: "below" };

  it("breaches upward at the limit itself when the direction is above", () => {
    assert.equal(levelOf(4, above), "ok");
    assert.equal(levelOf(5, above), "warning");
    assert.equal(levelOf(9.9, above), "warning");
    assert.equal(levelOf(10, above), "critical");
  });
  it("breaches downward when the direction is below", () => {
    assert.equal(levelOf(81, below), "ok");
    assert.equal(levelOf(80, below), "warning");
    assert.equal(levelOf(70, below), "critical");
  });
  it("treats a missing direction as above and a missing limit as never breached", () => {
    assert.equal(levelOf(10, { critical: 10 }), "critical");
    assert.equal(levelOf(100, { warning: null, critical: null }), "ok");
    assert.equal(levelOf(6, { warning: 5 }), "warning");
  });
  it("is ok without thresholds or without a number", () => {
    assert.equal(levelOf(100, null), "ok");
    assert.equal(levelOf(null, above), "ok");
    assert.equal(levelOf("11", above), "ok");
  });
  it("names every breach in words, not only colour", () => {
    assert.match(LEVEL_TEXT.warning, /Warning/);
    assert.match(LEVEL_TEXT.critical, /Critical/);
  });
});

describe("ago", () => {
  it("says how long ago, in words a wallboard reader takes in at a glance", (t) => {
    t.mock.timers.enable({ apis: ["Date"], now: 1_000_000 });
    assert.equal(ago(null), "no data yet");
    assert.equal(ago(1_000_000), "just now");
    assert.equal(ago(1_000_000 - 30_000), "30s ago");
    assert.equal(ago(1_000_000 - 300_000), "5:00 ago");
    assert.equal(ago(1_000_000 + 5_000), "just now");  // a clock slightly ahead
  });
});
