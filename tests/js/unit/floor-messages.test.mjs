// The pure parts of static/js/floor-messages.js: node --test tests/js/unit/
import { test } from "node:test";
import assert from "node:assert/strict";

import { FloorMessages, SNAPSHOT_GRACE_MS, forWallboard, screenKey, tickerText }
  from "../../../static/js/floor-messages.js";
import { route } from "../../../static/js/socket.js";

const info = { type: "message", id: "1", text: "Team huddle at 3", level: "info", until: 100_000, style: "banner",
  wallboards: ["floor"] };
const urgent = { ...info, id: "2", text: "Fire drill now", level: "urgent" };

test("a message frame routes to onMessage", () => {
  assert.equal(route(JSON.stringify(info)).handler, "onMessage");
});

test("only messages naming this wallboard are kept", () => {
  const state = new FloorMessages("floor");
  assert.equal(state.frame({ ...info, wallboards: ["exec"] }, 0), false);
  assert.equal(forWallboard(info, "floor"), true);
  assert.equal(forWallboard({ ...info, wallboards: undefined }, "floor"), false);
  assert.deepEqual(state.active(0), []);
});

test("urgent shows before info, and a message past its until is gone", () => {
  const state = new FloorMessages("floor");
  state.frame(info, 0);
  state.frame({ ...urgent, until: 5_000 }, 0);
  assert.deepEqual(state.active(1_000).map((m) => m.id), ["2", "1"]);
  assert.deepEqual(state.active(5_000).map((m) => m.id), ["1"]);
  assert.deepEqual(state.active(100_000), []);
});

test("a withdrawal removes it, and a late snapshot does not bring it back", () => {
  const state = new FloorMessages("floor");
  state.frame(info, 0);
  state.frame({ type: "message", id: "1", withdrawn: true, wallboards: ["floor"] }, 1);
  assert.deepEqual(state.active(2), []);
  state.snapshot([info], 3);
  state.frame(info, 4);
  assert.deepEqual(state.active(5), []);
});

test("a snapshot drops what it lacks, except a message that came by frame just now", () => {
  const state = new FloorMessages("floor");
  state.frame(info, 0);
  state.frame(urgent, SNAPSHOT_GRACE_MS);
  state.snapshot([], SNAPSHOT_GRACE_MS + 1);
  assert.deepEqual(state.active(SNAPSHOT_GRACE_MS + 2).map((m) => m.id), ["2"]);
});

test("a snapshot restores the active messages after a reconnect", () => {
  const state = new FloorMessages("floor");
  state.snapshot([info, { ...urgent, wallboards: ["exec"] }], 0);
  assert.deepEqual(state.active(1).map((m) => m.id), ["1"]);
});

test("the ticker joins ticker messages; the screen key changes with the text", () => {
  const ticker = { ...info, style: "ticker" };
  assert.equal(tickerText([ticker, { ...ticker, id: "3", text: "Lunch" }, urgent]), "Team huddle at 3   •   Lunch");
  assert.notEqual(screenKey([info]), screenKey([{ ...info, text: "other" }]));
});
