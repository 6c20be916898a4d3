// static/js/compare.js: the reference point at a moment, the stretch a trend shows, the
// KPI's difference text, the faint trace and the new day's reload.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";

import {
  OVERLAY_WINDOW_MS, clipSeries, compareLabel, compareText, compareTraces, dayReloadDelay, overlayTrace, overlayWindow,
  pointAt, signedDifference,
} from "../../../static/js/compare.js";
import { reloadDelay } from "../../../static/js/socket.js";
import { useCatalogue } from "../../../static/js/i18n.js";

const MIN = 60_000;
const series = [[0, 5], [5 * MIN, 7], [10 * MIN, 9]];
const compare = { mode: "last-week", label: "last Mon", series: { s1: series } };

describe("pointAt", () => {
  it("is the last point at or before the time", () => {
    assert.deepEqual(pointAt(series, 0), [0, 5]);
    assert.deepEqual(pointAt(series, 7 * MIN), [5 * MIN, 7]);
    assert.deepEqual(pointAt(series, 10 * MIN), [10 * MIN, 9]);
    assert.deepEqual(pointAt(series, 99 * MIN), [10 * MIN, 9]);
  });
  it("is null before the first point and for no series", () => {
    assert.equal(pointAt(series, -1), null);
    assert.equal(pointAt([], 5), null);
    assert.equal(pointAt(undefined, 5), null);
  });
});

describe("the KPI's difference", () => {
  it("says how far the live value is from the reference, signed, with the label", () => {
    assert.equal(compareText(compare, "s1", 19, 11 * MIN, "count"), "+10 vs last Mon");
    assert.equal(compareText(compare, "s1", 3, 6 * MIN, "count"), "\u22124 vs last Mon");
    assert.equal(compareText(compare, "s1", 9, 10 * MIN, "count"), "±0 vs last Mon");
  });
  it("formats durations and percents in the statistic's unit", () => {
    assert.equal(signedDifference(-45, "duration"), "\u22120:45");
    assert.equal(signedDifference(2.5, "percent"), "+2.5%");
  });
  it("says when there is nothing to compare with, and nothing without a value", () => {
    assert.equal(compareText(compare, "s1", 4, -MIN, "count"), "no last Mon to compare");
    assert.equal(compareText(compare, "s1", null, MIN, "count"), "");
    assert.equal(compareText(null, "s1", 4, MIN, "count"), "");
  });
});

describe("the faint line of a trend", () => {
  it("covers the live data's span, at least OVERLAY_WINDOW_MS, and never runs past now", () => {
    const now = 60 * MIN;
    assert.deepEqual(overlayWindow([[now - 5 * MIN, 1]], now), [now - OVERLAY_WINDOW_MS, now]);
    assert.deepEqual(overlayWindow([[now - 50 * MIN, 1]], now), [now - 50 * MIN, now]);
    assert.deepEqual(clipSeries(series, 4 * MIN, 9 * MIN), [[5 * MIN, 7]]);
  });
  it("is a dotted, half-transparent trace named after the comparison", () => {
    const trace = overlayTrace(compare, "s1", [], 10 * MIN, "#1f6feb");
    assert.deepEqual(trace.y, [5, 7, 9]);
    assert.equal(trace.x[0].getTime(), 0);
    assert.equal(trace.name, "last Mon");
    assert.equal(trace.line.dash, "dot");
    assert.ok(trace.opacity < 1);
    assert.equal(trace.line.color, "#1f6feb");
    assert.equal(overlayTrace(compare, "missing", [], 10 * MIN, "#000"), null);
  });
  it("shadows each statistic of a compared widget in its colour, and nothing when not compared", () => {
    const widget = { compare, statistics: [{ id: "s1" }], figure: { layout: { colorway: ["#abc"] } } };
    const traces = compareTraces(widget, new Map(), 10 * MIN);
    assert.equal(traces.length, 1);
    assert.equal(traces[0].line.color, "#abc");
    assert.deepEqual(compareTraces({ ...widget, compare: undefined }, new Map(), 10 * MIN), []);
  });
});

describe("dayReloadDelay", () => {
  it("waits until the next day plus the config reload's jitter", () => {
    assert.equal(dayReloadDelay({ next: 1000 }, 0, () => 0), 1000 + reloadDelay(() => 0));
    assert.equal(dayReloadDelay({ next: 1000 }, 0, () => 0.999), 1000 + reloadDelay(() => 0.999));
    assert.ok(reloadDelay(() => 0.999) > reloadDelay(() => 0));
    assert.equal(dayReloadDelay({ next: 1000 }, 5000, () => 0), reloadDelay(() => 0));
    assert.equal(dayReloadDelay(undefined, 0), null);
  });
});

describe("the comparison's label in the page language", () => {
  afterEach(() => useCatalogue({}));
  // Monday 30 Nov 2026, 23:30 UTC: already Tuesday in Berlin, the dashboard's zone.
  const late = Date.UTC(2026, 10, 30, 23, 30);
  const berlin = (mode) => ({ mode, label: "server's", timeZone: "Europe/Berlin", series: { s1: series } });

  it("names the weekday of the dashboard's zone through Intl, in the given language", () => {
    assert.equal(compareLabel(berlin("last-week"), late, "en"), "last Tue");
    assert.equal(compareLabel({ ...berlin("last-week"), timeZone: "UTC" }, late, "en"), "last Mon");
    useCatalogue({ "last {weekday}": "letzter {weekday}", "avg of 4 {weekday}": "Ø der letzten 4 {weekday}", yesterday: "gestern" });
    assert.match(compareLabel(berlin("last-week"), late, "de"), /^letzter Di\.?$/);  // CLDR versions differ on the dot
    assert.match(compareLabel(berlin("four-weeks"), late, "de"), /^Ø der letzten 4 Di\.?$/);
    assert.equal(compareLabel(berlin("yesterday"), late, "de"), "gestern");
  });

  it("keeps the server's label without a zone (an older page config)", () => {
    assert.equal(compareLabel(compare, late, "de"), "last Mon");
  });

  it("translates the KPI's sentence around the label", () => {
    useCatalogue({ "{difference} vs {label}": "{difference} ggü. {label}", "no {label} to compare": "kein Vergleich mit {label}",
                   yesterday: "gestern" });
    const yesterday = { mode: "yesterday", label: "yesterday", timeZone: "UTC", series: { s1: series } };
    assert.equal(compareText(yesterday, "s1", 19, 11 * MIN, "count"), "+10 ggü. gestern");
    assert.equal(compareText(yesterday, "s1", 19, -1, "count"), "kein Vergleich mit gestern");
  });
});
