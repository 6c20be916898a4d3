// The pure parts of static/js/board.js, run by node's own test runner (as pytest items:
// tests/js/conftest.py; by hand: `make jstest`).
import { test } from "node:test";
import assert from "node:assert/strict";

import { Board, refusalText } from "../../../static/js/board.js";

const stats = [{ id: "a" }, { id: "b" }];

test("a tile with no refused statistic says nothing", () => {
  assert.equal(refusalText(stats, new Map([["a", { value: 3 }]])), "");
});

test("a tile whose every statistic was refused gives Genesys' message", () => {
  const values = new Map([["a", { refused: "no Queue 'x'" }], ["b", { refused: "no Queue 'x'" }]]);
  assert.equal(refusalText(stats, values), "Refused by Genesys: no Queue 'x'");
});

test("a tile with some refused statistics says how many", () => {
  const values = new Map([["a", { value: 1 }], ["b", { refused: "unknown category 'Q'" }]]);
  assert.equal(refusalText(stats, values), "Refused by Genesys (1 of 2 statistics): unknown category 'Q'");
});

test("a tile greys only when a connection it shows is down (issue 22)", () => {
  const liveFor = Board.prototype.liveFor.bind({ live: true, connectionsLive: new Map([["b", false], ["c", true]]) });
  assert.equal(liveFor([{ id: "a" }]), true);
  assert.equal(liveFor([{ id: "x", connection: "c" }]), true);
  assert.equal(liveFor([{ id: "x", connection: "b" }]), false);
  assert.equal(liveFor([{ id: "a" }, { id: "x", connection: "b" }]), false);
  assert.equal(liveFor([{ id: "y", connection: "unheard" }]), false);
  const defaultDown = Board.prototype.liveFor.bind({ live: false, connectionsLive: new Map([["c", true]]) });
  assert.equal(defaultDown([{ id: "x", connection: "c" }]), true);
  assert.equal(defaultDown([]), false);
});
