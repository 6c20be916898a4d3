// The agent grid's decisions (static/js/agent-grid-model.js): the choice in the URL,
// reasons, matching, order, and how long in a state is too long.

import { describe, it } from "node:test";
import assert from "node:assert/strict";

import { agentField } from "../../../static/js/agent-fields.js";
import {
  DEFAULT_LIMITS, agentRow, compareRows, gridQuery, matches, movesOrder, orderIds, parseGridQuery, reasonOf, stateText,
  timeLevel,
} from "../../../static/js/agent-grid-model.js";

const agent = (id, label, skills = [], groups = []) => ({ id, objectId: id, label, skills, groups });

describe("parseGridQuery and gridQuery", () => {
  it("reads a wallboard's choice from its URL", () => {
    const c = parseGridQuery("?token=abc&sort=tis&dir=desc&state=NotReady,AfterCallWork,Bogus&skill=Spanish&group=Sales&q=ava");
    assert.equal(c.sort, "tis");
    assert.equal(c.dir, "desc");
    assert.deepEqual([...c.states], ["NotReady", "AfterCallWork"]);
    assert.deepEqual([c.skill, c.group, c.q], ["Spanish", "Sales", "ava"]);
  });
  it("falls back to name order, ascending, no filters", () => {
    const c = parseGridQuery("?sort=evil&dir=sideways");
    assert.deepEqual([c.sort, c.dir, c.states.size, c.skill, c.q], ["name", "asc", 0, "", ""]);
    assert.deepEqual(c.limits, DEFAULT_LIMITS);
  });
  it("takes time-in-state limits from the URL only when they are two positive numbers", () => {
    assert.deepEqual(parseGridQuery("?nr=60,90&acw=5").limits, { ...DEFAULT_LIMITS, NotReady: [60, 90] });
  });
  it("writes the choice back, keeping the kiosk token and leaving defaults out", () => {
    const c = parseGridQuery("?token=abc&sort=state");
    c.states = new Set(["AfterCallWork", "NotReady"]);
    c.q = " ava ";
    assert.equal(gridQuery(c, "?token=abc&sort=name"), "?token=abc&sort=state&state=AfterCallWork%2CNotReady&q=ava");
    assert.equal(gridQuery(parseGridQuery(""), "?sort=tis"), "");
  });
  it("round-trips", () => {
    const search = "?sort=tis&dir=desc&state=Ready&skill=French&group=Support&q=x";
    assert.deepEqual(parseGridQuery(gridQuery(parseGridQuery(search))), parseGridQuery(search));
  });
});

describe("reasonOf", () => {
  it("reads Genesys' key-value list, the ReasonCode pair first", () => {
    const raw = { Status: 8, Reasons: [{ key: "Other", type: "str", value: "x" }, { key: "ReasonCode", type: "str", value: "Lunch" }] };
    assert.equal(reasonOf(raw, agentField), "Lunch");
  });
  it("reads the list in any key case, or its first pair", () => {
    assert.equal(reasonOf({ reasons: [{ KEY: "reasoncode", VALUE: "Break" }] }, agentField), "Break");
    assert.equal(reasonOf({ Reasons: [{ key: "NotReadyReason", value: 42 }] }, agentField), "42");
  });
  it("reads a Reasons object or a plain ReasonCode field", () => {
    assert.equal(reasonOf({ Reasons: { ReasonCode: "Meeting" } }, agentField), "Meeting");
    assert.equal(reasonOf({ reasonCode: "Training" }, agentField), "Training");
  });
  it("is empty without a reason", () => {
    assert.equal(reasonOf({ Status: 8 }, agentField), "");
    assert.equal(reasonOf({ Reasons: [] }, agentField), "");
    assert.equal(reasonOf(null, agentField), "");
  });
});

describe("agentRow", () => {
  it("shows the reason of a not-ready agent with its state and since", () => {
    const row = agentRow({ state: "NotReady", raw: { Time: 1700000000, Reasons: [{ key: "ReasonCode", value: "Lunch" }] } }, agentField);
    assert.deepEqual(row, { state: "NotReady", reason: "Lunch", since: 1700000000000 });
    assert.equal(stateText(row), "Not ready · Lunch");
  });
  it("ignores a stale reason on a ready agent, and unknown values", () => {
    assert.equal(agentRow({ state: "Ready", raw: { ReasonCode: "Lunch" } }, agentField).reason, "");
    assert.deepEqual(agentRow(undefined, agentField), { state: "Unknown", reason: "", since: null });
  });
});

describe("matches and orderIds", () => {
  const ava = agent("a1", "Ava Adams", [{ name: "Spanish", level: 5 }], ["Sales"]);
  const ben = agent("a2", "Ben Baker", [{ name: "French", level: 3 }], ["Support"]);
  const cat = agent("a3", "Cat Carter", [], ["Sales"]);
  const entries = [
    { id: "a1", agent: ava, row: { state: "NotReady", reason: "Lunch", since: 3000 } },
    { id: "a2", agent: ben, row: { state: "Ready", reason: "", since: 1000 } },
    { id: "a3", agent: cat, row: { state: "AfterCallWork", reason: "", since: 2000 } },
  ];
  const choice = (search) => parseGridQuery(search);

  it("filters by state, skill, group and free text (name, id, reason)", () => {
    assert.deepEqual(orderIds(entries, choice("?state=NotReady,AfterCallWork")), ["a1", "a3"]);
    assert.deepEqual(orderIds(entries, choice("?skill=French")), ["a2"]);
    assert.deepEqual(orderIds(entries, choice("?group=Sales")), ["a1", "a3"]);
    assert.deepEqual(orderIds(entries, choice("?q=lunch")), ["a1"]);
    assert.deepEqual(orderIds(entries, choice("?q=A2")), ["a2"]);
    assert.equal(matches(ava, entries[0].row, choice("?q=nobody")), false);
  });
  it("sorts by name, state or time in state (longest first), either way", () => {
    assert.deepEqual(orderIds(entries, choice("")), ["a1", "a2", "a3"]);
    assert.deepEqual(orderIds(entries, choice("?sort=name&dir=desc")), ["a3", "a2", "a1"]);
    assert.deepEqual(orderIds(entries, choice("?sort=state")), ["a2", "a3", "a1"]);
    assert.deepEqual(orderIds(entries, choice("?sort=tis")), ["a2", "a3", "a1"]);
    assert.deepEqual(orderIds(entries, choice("?sort=tis&dir=desc")), ["a1", "a3", "a2"]);
  });
  it("breaks ties by name and puts unknown times last", () => {
    const rows = [{ agent: agent("x", "Zed"), row: { state: "Ready", since: null } },
                  { agent: agent("y", "Amy"), row: { state: "Ready", since: null } },
                  { agent: agent("z", "Bob"), row: { state: "Ready", since: 5 } }];
    assert.deepEqual(rows.sort(compareRows("tis", "asc")).map((r) => r.agent.label), ["Bob", "Amy", "Zed"]);
  });
});

describe("timeLevel", () => {
  it("colours a long not-ready and a long wrap-up, nothing else", () => {
    assert.equal(timeLevel("NotReady", 599), "ok");
    assert.equal(timeLevel("NotReady", 600), "warning");
    assert.equal(timeLevel("NotReady", 1200), "critical");
    assert.equal(timeLevel("AfterCallWork", 130), "warning");
    assert.equal(timeLevel("AfterCallWork", 301), "critical");
    assert.equal(timeLevel("Busy", 99999), "ok");
    assert.equal(timeLevel("NotReady", null), "ok");
    assert.equal(timeLevel("NotReady", 61, { NotReady: [30, 60] }), "critical");
  });
});

describe("movesOrder", () => {
  const row = { state: "Ready", reason: "", since: 1 };
  it("re-sorts only when the change can move the agent", () => {
    assert.equal(movesOrder(row, { ...row, state: "Busy", since: 2 }, parseGridQuery("")), false);
    assert.equal(movesOrder(row, { ...row, state: "Busy" }, parseGridQuery("?sort=state")), true);
    assert.equal(movesOrder(row, { ...row, state: "Busy" }, parseGridQuery("?state=Ready")), true);
    assert.equal(movesOrder(row, { ...row, since: 2 }, parseGridQuery("?sort=tis")), true);
    assert.equal(movesOrder(row, { ...row, reason: "x" }, parseGridQuery("?q=x")), true);
    assert.equal(movesOrder(null, row, parseGridQuery("")), true);
  });
});
