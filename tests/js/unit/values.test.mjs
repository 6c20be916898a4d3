// static/js/values.js: what board.js applies and shows, as pure functions.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { agentField } from "../../../static/js/agent-fields.js";
import { agentView, freshnessOf, mergeStat, trendOf, worstLevel, worstOf } from "../../../static/js/values.js";

describe("mergeStat", () => {
  it("appends an update's point to the history held", () => {
    const old = { id: "a", value: 1, timestamp: 1000, history: [[1000, 1]] };
    const merged = mergeStat(old, { id: "a", value: 2, timestamp: 2000 }, 10);
    assert.deepEqual(merged.history, [[1000, 1], [2000, 2]]);
    assert.equal(merged.value, 2);
    assert.deepEqual(old.history, [[1000, 1]], "the held entry is not modified");
  });

  it("keeps only the last historyLength points", () => {
    let entry;
    for (let t = 1; t <= 8; t++) entry = mergeStat(entry, { id: "a", value: t, timestamp: t }, 5);
    assert.deepEqual(entry.history.map((p) => p[1]), [4, 5, 6, 7, 8]);
  });

  it("takes a snapshot's history whole", () => {
    const old = { id: "a", value: 1, timestamp: 1000, history: [[1000, 1]] };
    const history = [[5000, 7], [6000, 8]];
    assert.deepEqual(mergeStat(old, { id: "a", value: 8, timestamp: 6000, history }, 1).history, history);
  });

  it("drops a frame older than the value held", () => {
    const old = { id: "a", value: 5, timestamp: 2000, history: [] };
    assert.equal(mergeStat(old, { id: "a", value: 4, timestamp: 1000 }, 10), null);
    assert.notEqual(mergeStat(old, { id: "a", value: 4, timestamp: 2000 }, 10), null);
  });

  it("records a value without a number or time but adds no point for it", () => {
    const merged = mergeStat(undefined, { id: "a", value: null, raw: { odd: 1 }, timestamp: 1000 }, 10);
    assert.deepEqual(merged.history, []);
    assert.deepEqual(mergeStat(undefined, { id: "a", value: 3, timestamp: null }, 10).history, []);
  });
});

describe("trendOf", () => {
  it("compares with the point twelve back, or the first when fewer", () => {
    const history = Array.from({ length: 20 }, (_, i) => [i, i]);
    assert.deepEqual(trendOf(history, 19), { arrow: "▲", delta: 11 });
    assert.deepEqual(trendOf([[0, 5], [1, 3]], 3), { arrow: "▼", delta: -2 });
    assert.deepEqual(trendOf([[0, 3], [1, 3]], 3), { arrow: "▬", delta: 0 });
  });
  it("has no trend with fewer than two points", () => {
    assert.equal(trendOf([[0, 1]], 1), null);
    assert.equal(trendOf(undefined, 1), null);
  });
});

describe("worstLevel", () => {
  it("orders critical over warning over ok", () => {
    assert.equal(worstOf([]), "ok");
    assert.equal(worstOf(["ok", "warning", "ok"]), "warning");
    assert.equal(worstOf(["critical", "warning"]), "critical");
  });
  it("takes the worst over a tile's statistics", () => {
    const thresholds = { warning: 5, critical: 10 };
    const values = new Map([["a", { value: 1 }], ["b", { value: 6 }]]);
    assert.equal(worstLevel([{ id: "a" }, { id: "b" }, { id: "none" }], values, thresholds), "warning");
    values.set("a", { value: 12 });
    assert.equal(worstLevel([{ id: "a" }, { id: "b" }], values, thresholds), "critical");
  });
});

describe("freshnessOf", () => {
  const now = 1_000_000;
  const stats = [{ id: "a", expectedPeriod: 10 }, { id: "b", expectedPeriod: null }];

  it("is fresh while live and every statistic came within three periods", (t) => {
    t.mock.timers.enable({ apis: ["Date"], now });
    const received = new Map([["a", now - 29_000], ["b", now - 1_000_000]]);
    const values = new Map([["a", { timestamp: now - 5_000 }]]);
    assert.deepEqual(freshnessOf(stats, received, values, true, now), { ok: true, text: "updated 5s ago" });
  });

  it("is stale past three periods, saying since when", (t) => {
    t.mock.timers.enable({ apis: ["Date"], now });
    const received = new Map([["a", now - 31_000], ["b", now - 3_000]]);
    assert.deepEqual(freshnessOf(stats, received, new Map(), true, now), { ok: false, text: "⏸ no update for 3s" });
  });

  it("leaves refused statistics out, and a tile of refused ones is not stale", (t) => {
    t.mock.timers.enable({ apis: ["Date"], now });
    const values = new Map([["b", { refused: "no Queue 'x'" }]]);
    const received = new Map([["a", now - 2_000]]);
    assert.deepEqual(freshnessOf(stats, received, values, true, now), { ok: true, text: "updated 2s ago" });
    values.set("a", { refused: "no Queue 'y'" });
    assert.deepEqual(freshnessOf(stats, new Map(), values, true, now), { ok: true, text: "not opened: see above" });
  });

  it("is stale when the board is not live, or before any data", (t) => {
    t.mock.timers.enable({ apis: ["Date"], now });
    const received = new Map([["a", now], ["b", now]]);
    assert.equal(freshnessOf(stats, received, new Map(), false, now).ok, false);
    assert.deepEqual(freshnessOf(stats, new Map(), new Map(), true, now), { ok: false, text: "⏸ no update yet" });
  });
});

describe("agentView", () => {
  it("names the state in a supervisor's words with the reason code", () => {
    const view = agentView({ state: "NotReady", raw: { Status: 2, Time: 1700000000, ReasonCode: "Lunch" } }, agentField);
    assert.deepEqual(view, { state: "NotReady", text: "Not ready · Lunch", since: 1700000000000 });
  });
  it("reads the fields in any key case", () => {
    const view = agentView({ state: "Busy", raw: { time: 5, reasoncode: "" } }, agentField);
    assert.deepEqual(view, { state: "Busy", text: "On call", since: 5000 });
  });
  it("shows Unknown without a value and an unlabelled state as itself", () => {
    assert.deepEqual(agentView(undefined, agentField), { state: "Unknown", text: "Unknown", since: "" });
    assert.equal(agentView({ state: "Monitored", raw: { Time: -1 } }, agentField).text, "Monitored");
    assert.equal(agentView({ state: "Monitored", raw: { Time: -1 } }, agentField).since, "");
  });
});
