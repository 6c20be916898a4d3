// static/js/intraday.js: counting from growing-window counters, the live newest row,
// a new interval's row, labels in the dashboard's zone, rows newest first.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { applyLive, counted, intervalLabel, intradayState, rollOver, rowsOf } from "../../../static/js/intraday.js";

const HALF_HOUR = 1800;
const day = Date.UTC(2026, 10, 30);  // a Monday, 00:00 UTC
const config = {
  interval: HALF_HOUR,
  columns: ["offered", "serviceLevel"],
  starts: [day, day + HALF_HOUR * 1000],
  queues: [{
    objectId: "8001@SIP_Switch", label: "Sales", stats: { offered: "off", serviceLevel: "sl" },
    values: { offered: [12, 3], serviceLevel: [91.5, 88] }, baseline: { offered: 112, serviceLevel: 91.5 },
  }],
};
const live = (entries) => new Map(Object.entries(entries).map(([id, value]) => [id, { value }]));

describe("counted", () => {
  it("is the rise since the baseline, or the value itself after a restart of the window", () => {
    assert.equal(counted(100, 112), 12);
    assert.equal(counted(100, 7), 7);
    assert.equal(counted(null, 7), null);
    assert.equal(counted(5, undefined), null);
  });
});

describe("the newest row", () => {
  it("counts from its baseline and shows levels as they are", () => {
    const state = intradayState(config);
    assert.equal(applyLive(state, live({ off: 120, sl: 86.2 })), true);
    assert.deepEqual(state.queues[0].values.offered, [12, 8]);
    assert.deepEqual(state.queues[0].values.serviceLevel, [91.5, 86.2]);
    assert.equal(applyLive(state, live({ off: 120, sl: 86.2 })), false);
    assert.deepEqual(config.queues[0].values.offered, [12, 3], "the page config is left as sent");
  });
  it("without any past counts from the first live value", () => {
    const state = intradayState({ ...config, queues: [{ ...config.queues[0], baseline: {} }] });
    applyLive(state, live({ off: 50 }));
    applyLive(state, live({ off: 53 }));
    assert.equal(state.queues[0].values.offered[1], 3);
  });
});

describe("rollOver", () => {
  it("starts a row per interval begun, with the latest values as the new baseline", () => {
    const state = intradayState(config);
    applyLive(state, live({ off: 120 }));
    assert.equal(rollOver(state, day + 2 * HALF_HOUR * 1000 - 1), 0);
    assert.equal(rollOver(state, day + 3 * HALF_HOUR * 1000 + 5), 2);
    assert.equal(state.starts.length, 4);
    assert.equal(state.queues[0].baseline.offered, 120);
    applyLive(state, live({ off: 125 }));
    assert.deepEqual(state.queues[0].values.offered, [12, 8, null, 5]);
  });
});

describe("rows", () => {
  it("are labelled in the dashboard's zone, newest first", () => {
    const state = intradayState(config);
    const rows = rowsOf(state, state.queues[0]);
    assert.deepEqual(rows.map((r) => r.start), [day + HALF_HOUR * 1000, day]);
    assert.deepEqual(rows[1].cells, ["12", "91.5%"]);
    assert.equal(intervalLabel(day + HALF_HOUR * 1000, "UTC"), "00:30");
    assert.equal(intervalLabel(day, "Europe/Berlin"), "01:00");
    assert.equal(intervalLabel(day, "Asia/Kathmandu"), "05:45");
  });
});
