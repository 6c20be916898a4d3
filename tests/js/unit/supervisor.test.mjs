// Issue 17's screen fixes as pure functions: "no calls", the trend window, table column
// labels, drill-down URLs and the SVG level icons.

import { describe, it } from "node:test";
import assert from "node:assert/strict";

import { TREND_WINDOW_MS, layoutFor, timeWindow } from "../../../static/js/charts.js";
import { agentUrl, drillLinks, queueAgentsUrl } from "../../../static/js/drill.js";
import { NO_CALLS, noCalls, shownValue } from "../../../static/js/format.js";
import { ICON_PATHS } from "../../../static/js/icons.js";
import { cellView, columnLabel, tableLayout } from "../../../static/js/table.js";
import { worstLevel } from "../../../static/js/values.js";

const sl = { id: "sl", offered: "off", unit: "percent" };
const below = { warning: 80, critical: 70, direction: "below" };

describe("no calls", () => {
  it("is a service level whose offered count is 0", () => {
    const values = new Map([["sl", { value: 0 }], ["off", { value: 0 }]]);
    assert.equal(noCalls(sl, values), true);
    assert.equal(shownValue(sl, values), null);
    assert.equal(worstLevel([sl], values, below), "ok", "no calls never breaches");
  });
  it("is a number once a call was offered, and breaches as such", () => {
    const values = new Map([["sl", { value: 0 }], ["off", { value: 3 }]]);
    assert.equal(noCalls(sl, values), false);
    assert.equal(worstLevel([sl], values, below), "critical");
  });
  it("is never claimed without an offered count or for other statistics", () => {
    assert.equal(noCalls(sl, new Map([["sl", { value: 0 }]])), false);
    assert.equal(noCalls({ id: "x" }, new Map([["x", { value: 0 }]])), false);
  });
  it("reads as words in a table cell, at level ok", () => {
    assert.deepEqual(cellView({ value: 0 }, "percent", below, true), { text: NO_CALLS, className: "level-ok no-calls" });
    assert.deepEqual(cellView({ value: 50 }, "percent", below), { text: "50.0%", className: "level-critical" });
  });
});

describe("timeWindow", () => {
  const now = 1_700_000_000_000;
  it("shows the last half hour for one point", () => {
    assert.deepEqual(timeWindow([now - 1000], now), [now - TREND_WINDOW_MS, now]);
    assert.deepEqual(timeWindow([], now), [now - TREND_WINDOW_MS, now]);
  });
  it("keeps a longer history whole", () => {
    assert.deepEqual(timeWindow([now - 3 * TREND_WINDOW_MS, now - 5], now), [now - 3 * TREND_WINDOW_MS, now]);
  });
  it("sets the range of line charts only", () => {
    const layout = { xaxis: { type: "date", gridcolor: "#eee" } };
    const line = layoutFor("line", layout, [now], now);
    assert.deepEqual(line.xaxis, { type: "date", gridcolor: "#eee", range: [now - TREND_WINDOW_MS, now], autorange: false });
    assert.equal(layoutFor("bar", layout, [now], now), layout);
    assert.equal(layout.xaxis.range, undefined, "the built figure is not changed");
  });
});

describe("table column labels", () => {
  it("use the catalogue label of the name, not the raw name", () => {
    const stats = [{ id: "1", name: "CurrentNumberWaitingCalls", nameLabel: "Calls waiting", objectId: "q1", label: "Sales" }];
    assert.deepEqual(tableLayout(stats).labels, ["Calls waiting"]);
    assert.equal(columnLabel({ name: "SomeTenantName" }), "Some Tenant Name");
  });
});

describe("drill-down links", () => {
  it("quote object ids", () => {
    assert.equal(queueAgentsUrl("queues", "8001@SIP_Switch"), "/dashboards/queues/queues/8001%40SIP_Switch/agents/");
    assert.equal(agentUrl("a b", "x/y"), "/dashboards/a%20b/agents/x%2Fy/");
  });
  it("link queues and agents on supervisor pages, nothing on a wallboard or from a drill-down's own tiles", () => {
    const links = drillLinks({ slug: "q" }, {}, false);
    assert.equal(links.queue({ objectType: "Queue", objectId: "8001" }), "/dashboards/q/queues/8001/agents/");
    assert.equal(links.queue({ objectType: "Tenant", objectId: "Environment" }), null);
    assert.equal(links.agent({ objectType: "Agent", objectId: "a1" }), "/dashboards/q/agents/a1/");
    assert.equal(drillLinks({ slug: "q" }, {}, true).queue({ objectType: "Queue", objectId: "1" }), null);
    assert.equal(drillLinks({ slug: "q", drill: "queue" }, {}, false).queue({ objectType: "Queue", objectId: "1" }), null);
  });
});

describe("level icons", () => {
  it("are drawn paths, no emoji", () => {
    for (const paths of Object.values(ICON_PATHS)) {
      for (const d of paths) assert.match(d, /^[MmHhVvLlZz0-9 .-]+$/);
    }
  });
});
