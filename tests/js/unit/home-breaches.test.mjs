// The pure parts of static/js/home-breaches.js: node --test tests/js/unit/
import { test } from "node:test";
import assert from "node:assert/strict";

import { breachCounts, breachText, linkText, widgetLevel } from "../../../static/js/home-breaches.js";

const below = { warning: 6, critical: 3, direction: "below" };
const above = { warning: 10, critical: 15, direction: "above" };
const values = (pairs) => new Map(Object.entries(pairs).map(([id, value]) => [id, { id, value }]));

test("a tile's level comes from its first statistic, a bar's or table's from its worst", () => {
  const v = values({ a: 20, b: 1 });
  assert.equal(widgetLevel({ kind: "kpi", thresholds: above, statistics: ["b", "a"] }, v), "ok");
  assert.equal(widgetLevel({ kind: "table", thresholds: above, statistics: ["b", "a"] }, v), "critical");
});

test("breaches are counted per widget and level; no value is no breach", () => {
  const widgets = [
    { kind: "kpi", thresholds: below, statistics: ["ready"] },
    { kind: "kpi", thresholds: above, statistics: ["notready"] },
    { kind: "gauge", thresholds: above, statistics: ["missing"] },
  ];
  assert.deepEqual(breachCounts(widgets, values({ ready: 2, notready: 11 })), { warning: 1, critical: 1 });
  assert.deepEqual(breachCounts(widgets, values({ ready: 12, notready: 3 })), { warning: 0, critical: 0 });
});

test("the card's words", () => {
  assert.equal(breachText({ warning: 0, critical: 0 }), "no breaches");
  assert.equal(breachText({ warning: 1, critical: 0 }), "1 breach: 1 warning");
  assert.equal(breachText({ warning: 1, critical: 2 }), "3 breaches: 2 critical, 1 warning");
});

test("the link line: the server down beats the bridge's state", () => {
  assert.equal(linkText(false, "connected"), "Link to the dashboard server: down, reconnecting…");
  assert.equal(linkText(true, "connected"), "Link to Genesys: connected");
  assert.equal(linkText(true, "upstream-unavailable"), "Link to Genesys: Genesys unavailable");
});
