// static/js/link-state.js: a page-wide link notice follows the connections the page
// shows, not `default`'s alone (issue 22).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { connectionState, linkSummary, pageConnections } from "../../../static/js/link-state.js";

const stat = (connection) => (connection ? { id: connection, connection } : { id: "a" });
const pageOf = (...widgets) => ({ widgets: widgets.map((conns) => ({ statistics: conns.map(stat) })) });
const link = (bridgeState, connections = {}, socketOpen = true) => ({ socketOpen, bridgeState, connections });

describe("pageConnections", () => {
  it("names the connections the widgets use, default first, once each", () => {
    assert.deepEqual(pageConnections(pageOf(["brand-c", null], ["brand-b", "brand-c"])), ["default", "brand-b", "brand-c"]);
    assert.deepEqual(pageConnections(pageOf(["brand-b"], ["brand-b"])), ["brand-b"]);
  });
  it("follows default on a page without statistics", () => {
    assert.deepEqual(pageConnections(pageOf([])), ["default"]);
    assert.deepEqual(pageConnections({ widgets: [] }), ["default"]);
  });
});

describe("connectionState", () => {
  it("reads default's state from bridgeState and the others' from their frames", () => {
    const l = link("upstream-unavailable", { "brand-b": "connected" });
    assert.equal(connectionState(l, "default"), "upstream-unavailable");
    assert.equal(connectionState(l, "brand-b"), "connected");
    assert.equal(connectionState(l, "brand-c"), "connecting");  // not heard from yet
  });
});

describe("linkSummary", () => {
  it("does not cover a brand-b page when only default is down", () => {
    const s = linkSummary(link("upstream-unavailable", { "brand-b": "connected" }), ["brand-b"]);
    assert.equal(s.allDown, false);
    assert.deepEqual(s.down, []);
  });
  it("covers a page of default's tiles when default is down, and does not name it", () => {
    const s = linkSummary(link("upstream-unavailable", { "brand-b": "connected" }), ["default"]);
    assert.equal(s.allDown, true);
    assert.equal(s.named, false);
    assert.deepEqual(s.down, [{ name: "default", state: "upstream-unavailable" }]);
  });
  it("keeps a mixed page uncovered while one of its connections is up, naming the one down", () => {
    const s = linkSummary(link("error", { "brand-b": "connected" }), ["default", "brand-b"]);
    assert.equal(s.allDown, false);
    assert.equal(s.named, true);
    assert.deepEqual(s.down.map((c) => c.name), ["default"]);
  });
  it("covers a mixed page when all of its connections are down", () => {
    const s = linkSummary(link("error", { "brand-b": "upstream-unavailable" }), ["default", "brand-b"]);
    assert.equal(s.allDown, true);
    assert.deepEqual(s.down.map((c) => c.name), ["default", "brand-b"]);
  });
  it("covers every page when the socket is closed, whatever the connections said last", () => {
    const s = linkSummary(link("connected", { "brand-b": "connected" }, false), ["brand-b"]);
    assert.equal(s.socketDown, true);
    assert.equal(s.allDown, true);
  });
});
