// static/js/socket.js: reconnect timing, the one jitter formula, silent-socket
// detection, frame routing and the board wiring both pages share.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";

import {
  HEARTBEAT_MS, LiveSocket, RECONNECT_CAP_MS, RELOAD_MIN_MS, RELOAD_SPREAD_MS, SILENCE_LIMIT_MS,
  boardHandlers, heartbeatAction, jitter, reconnectDelay, reloadDelay, reloadsFor, route, staleConfig,
} from "../../../static/js/socket.js";

const fixed = (x) => () => x;

describe("jitter", () => {
  it("spans [min, min + spread) as the random draw goes from 0 to 1", () => {
    assert.equal(jitter(100, 50, fixed(0)), 100);
    assert.equal(jitter(100, 50, fixed(0.5)), 125);
    assert.ok(jitter(100, 50, fixed(0.999999)) < 150);
  });
});

describe("reconnectDelay", () => {
  it("waits between half and all of a ceiling that doubles from one second", () => {
    for (const [attempts, ceiling] of [[0, 1000], [1, 2000], [2, 4000], [3, 8000], [4, 16000]]) {
      assert.equal(reconnectDelay(attempts, fixed(0)), ceiling / 2);
      assert.equal(reconnectDelay(attempts, fixed(1)), ceiling);
    }
  });

  it("stops growing at the cap however many attempts failed", () => {
    assert.equal(reconnectDelay(5, fixed(1)), RECONNECT_CAP_MS);
    assert.equal(reconnectDelay(50, fixed(1)), RECONNECT_CAP_MS);
    assert.equal(reconnectDelay(50, fixed(0)), RECONNECT_CAP_MS / 2);
  });

  it("spreads a crowd of browsers over the window instead of one instant", () => {
    const delays = new Set(Array.from({ length: 200 }, () => Math.round(reconnectDelay(3))));
    assert.ok(delays.size > 100, `only ${delays.size} distinct delays`);
    for (const d of delays) assert.ok(d >= 4000 && d <= 8000, d);
  });
});

describe("reloadDelay", () => {
  it("spreads reloads after an edit over RELOAD_SPREAD_MS, never sooner than RELOAD_MIN_MS", () => {
    assert.equal(reloadDelay(fixed(0)), RELOAD_MIN_MS);
    assert.equal(reloadDelay(fixed(1)), RELOAD_MIN_MS + RELOAD_SPREAD_MS);
  });
});

describe("heartbeatAction", () => {
  it("pings an open socket that spoke recently", () => {
    assert.equal(heartbeatAction(true, 1000, 1000 + SILENCE_LIMIT_MS), "ping");
  });
  it("closes an open socket silent past the limit (a half-open connection)", () => {
    assert.equal(heartbeatAction(true, 1000, 1001 + SILENCE_LIMIT_MS), "close");
  });
  it("leaves a socket that is not open to its own close and reconnect", () => {
    assert.equal(heartbeatAction(false, 0, 10 * SILENCE_LIMIT_MS), "none");
  });
  it("outlasts two missed heartbeats before calling a socket silent", () => {
    assert.ok(SILENCE_LIMIT_MS > 2 * HEARTBEAT_MS);
  });
});

describe("route", () => {
  it("sends each frame type to its handler", () => {
    const snapshot = { type: "snapshot", statistics: [], bridge: { state: "connected" } };
    assert.deepEqual(route(JSON.stringify(snapshot)), { handler: "onSnapshot", arg: snapshot, data: true });
    assert.deepEqual(route('{"type":"update","statistics":[{"id":"a"}]}'),
                     { handler: "onUpdate", arg: [{ id: "a" }], data: true });
    assert.equal(route('{"type":"bridge","state":"unauthorized"}').handler, "onBridge");
    assert.deepEqual(route('{"type":"config","wallboard":"floor"}'),
                     { handler: "reload", arg: { type: "config", wallboard: "floor" }, data: false });
  });
  it("drops unreadable and unknown frames instead of throwing", () => {
    for (const text of ["not json", "null", "42", '{"type":"pong"}', "{}"]) assert.equal(route(text), null, text);
  });
});

describe("reloadsFor", () => {
  it("reloads every page on a dashboard edit", () => {
    assert.equal(reloadsFor({ type: "config" }, null), true);
    assert.equal(reloadsFor({ type: "config" }, "floor"), true);
  });
  it("reloads only the named wallboard on a wallboard edit", () => {
    assert.equal(reloadsFor({ type: "config", wallboard: "floor" }, "floor"), true);
    assert.equal(reloadsFor({ type: "config", wallboard: "floor" }, "lobby"), false);
    assert.equal(reloadsFor({ type: "config", wallboard: "floor" }, null), false);
  });
  it("reloads only drill-down pages on a skills change", () => {
    assert.equal(reloadsFor({ type: "config", drill: true }, null, true), true);
    assert.equal(reloadsFor({ type: "config", drill: true }, null), false);
    assert.equal(reloadsFor({ type: "config", drill: true }, "floor"), false);
    assert.equal(reloadsFor({ type: "config" }, null, true), true);
  });
});

describe("staleConfig", () => {
  const rendered = { "*": 3, "d:agents": 5, "d:queues": 1, "w:floor": 2 };
  it("is stale when any scope the page was rendered at is newer in the snapshot", () => {
    assert.equal(staleConfig({ "*": 3, "d:agents": 5, "w:floor": 3 }, rendered), true);
    assert.equal(staleConfig({ "*": 4 }, rendered), true);
  });
  it("is not stale at the same or older revisions, for other scopes, or with none known", () => {
    assert.equal(staleConfig({ "*": 3, "d:agents": 5, "w:floor": 2, "w:lobby": 9, "d:other": 7 }, rendered), false);
    assert.equal(staleConfig({ "d:agents": 4 }, rendered), false);
    assert.equal(staleConfig(undefined, rendered), false);
    assert.equal(staleConfig({ "*": 9 }, undefined), false);
  });
});

describe("LiveSocket", () => {
  it("reconnects after a close with growing jittered delays, and counts attempts", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const socket = new LiveSocket("/ws/x/", {});
    socket.random = fixed(0);
    const connect = mock.fn();
    socket.connect = connect;
    socket.schedule();
    t.mock.timers.tick(499);
    assert.equal(connect.mock.callCount(), 0);
    t.mock.timers.tick(1);
    assert.equal(connect.mock.callCount(), 1);
    socket.schedule();
    t.mock.timers.tick(999);
    assert.equal(connect.mock.callCount(), 1);
    t.mock.timers.tick(1);
    assert.equal(connect.mock.callCount(), 2);
    assert.equal(socket.attempts, 2);
  });

  it("keeps one pending reconnect when closes pile up", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const socket = new LiveSocket("/ws/x/", {});
    socket.random = fixed(1);
    const connect = mock.fn();
    socket.connect = connect;
    socket.schedule();
    socket.schedule();
    t.mock.timers.tick(RECONNECT_CAP_MS);
    assert.equal(connect.mock.callCount(), 1);
  });

  it("plans one reload for a burst of config frames", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const planned = [];
    const socket = new LiveSocket("/ws/x/", { onReloadPlanned: (d) => planned.push(d) });
    socket.random = fixed(0.5);
    socket.dispatch('{"type":"config"}');
    socket.dispatch('{"type":"config"}');
    assert.deepEqual(planned, [RELOAD_MIN_MS + RELOAD_SPREAD_MS / 2]);
  });

  it("plans a reload when a snapshot's revisions are newer than the page's", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const planned = [];
    const socket = new LiveSocket("/ws/x/", { revisions: { "w:floor": 1 }, onReloadPlanned: (d) => planned.push(d) });
    socket.dispatch('{"type":"snapshot","bridge":{},"statistics":[],"revisions":{"w:floor":1}}');
    assert.deepEqual(planned, []);
    socket.dispatch('{"type":"snapshot","bridge":{},"statistics":[],"revisions":{"w:floor":2}}');
    assert.equal(planned.length, 1);
  });

  it("plans no reload for another wallboard's edit", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const planned = [];
    const socket = new LiveSocket("/ws/x/", { wallboard: "lobby", onReloadPlanned: (d) => planned.push(d) });
    socket.dispatch('{"type":"config","wallboard":"floor"}');
    assert.deepEqual(planned, []);
    socket.dispatch('{"type":"config","wallboard":"lobby"}');
    assert.equal(planned.length, 1);
  });

  it("marks the time of the last message and of the last data separately", (t) => {
    t.mock.timers.enable({ apis: ["Date"], now: 5000 });
    const seen = [];
    const socket = new LiveSocket("/ws/x/", { onBridge: (m) => seen.push(m.state), onUpdate: (s) => seen.push(s.length) });
    socket.dispatch('{"type":"bridge","state":"connected"}');
    assert.equal(socket.lastMessageAt, 5000);
    assert.equal(socket.lastDataAt, null);
    t.mock.timers.tick(1000);
    socket.dispatch('{"type":"update","statistics":[{"id":"a"},{"id":"b"}]}');
    assert.equal(socket.lastDataAt, 6000);
    assert.deepEqual(seen, ["connected", 2]);
  });
});

describe("boardHandlers", () => {
  function wired() {
    const applied = [];
    const board = { live: false, apply: (stats, snapshot = false) => applied.push({ stats, snapshot }) };
    const link = { socketOpen: false, bridgeState: "connecting", lastData: null };
    const changes = [];
    const handlers = boardHandlers(link, board, (l) => changes.push({ ...l }));
    return { applied, board, link, changes, handlers };
  }

  it("is live only with the socket open and the bridge connected", () => {
    const { board, handlers } = wired();
    handlers.onOpen();
    assert.equal(board.live, false);
    handlers.onSnapshot({ bridge: { state: "connected" }, statistics: [] });
    assert.equal(board.live, true);
    handlers.onBridge({ state: "upstream-unavailable" });
    assert.equal(board.live, false);
    handlers.onBridge({ state: "connected" });
    handlers.onClose(null);
    assert.equal(board.live, false);
  });

  it("applies a snapshot as a snapshot and an update as an update", () => {
    const { applied, handlers } = wired();
    handlers.onSnapshot({ bridge: { state: "connected" }, statistics: [{ id: "a" }] });
    handlers.onUpdate([{ id: "b" }]);
    assert.deepEqual(applied, [{ stats: [{ id: "a" }], snapshot: true }, { stats: [{ id: "b" }], snapshot: false }]);
  });

  it("keeps each connection's link apart: one down leaves default and the others live", () => {
    const { board, link, handlers } = wired();
    handlers.onOpen();
    handlers.onSnapshot({ bridge: { state: "connected" }, statistics: [] });
    handlers.onSnapshot({ bridge: { state: "connected", connection: "brand-b" }, statistics: [] });
    assert.equal(board.connectionsLive.get("brand-b"), true);
    handlers.onBridge({ state: "upstream-unavailable", connection: "brand-b" });
    assert.equal(board.connectionsLive.get("brand-b"), false);
    assert.equal(board.live, true);
    assert.equal(link.bridgeState, "connected");
    handlers.onClose(null);
    assert.equal(board.connectionsLive.get("brand-b"), false);
  });

  it("keeps the last data time across a close that brings none", (t) => {
    t.mock.timers.enable({ apis: ["Date"], now: 7000 });
    const { link, handlers } = wired();
    handlers.onUpdate([{ id: "a" }]);
    handlers.onClose(null);
    assert.equal(link.lastData, 7000);
    assert.equal(link.socketOpen, false);
  });
});
