// The dashboard socket: snapshot first, then updates, bridge-state and alert frames
// (shapes: statsbridge/messages.py). Reconnects forever with jittered backoff, and
// treats a silent socket as dead, so a wallboard survives server restarts and
// network blips for weeks without a reload.
//
// The timing decisions are small pure functions (exported for tests/js/unit/), the
// class only wires them to timers and the WebSocket.

export const HEARTBEAT_MS = 20000;
export const SILENCE_LIMIT_MS = 50000;
export const RECONNECT_CAP_MS = 30000;
export const RELOAD_MIN_MS = 2000;
export const RELOAD_SPREAD_MS = 20000;

// The one jitter formula: uniform in [min, min + spread). Every delay that many
// browsers would otherwise share (reconnects after a server restart, reloads after an
// edit) goes through it, so they spread instead of arriving together.
export function jitter(min, spread, random = Math.random) {
  return min + random() * spread;
}

// Attempt n waits between half and all of min(cap, 1 s * 2^n) ("equal jitter"): never
// hammering a restarting server, never waiting less than half the ceiling.
export function reconnectDelay(attempts, random = Math.random) {
  const ceiling = Math.min(RECONNECT_CAP_MS, 1000 * 2 ** attempts);
  return jitter(ceiling / 2, ceiling / 2, random);
}

export function reloadDelay(random = Math.random) {
  return jitter(RELOAD_MIN_MS, RELOAD_SPREAD_MS, random);
}

// What a heartbeat does: nothing on a socket that is not open, close a socket silent
// past the limit (a half-open TCP connection never fires onclose), else ping.
export function heartbeatAction(open, lastMessageAt, now, limit = SILENCE_LIMIT_MS) {
  if (!open) return "none";
  return now - lastMessageAt > limit ? "close" : "ping";
}

// A frame's handler name and argument, or null for an unknown or unreadable frame.
export function route(text) {
  let message;
  try { message = JSON.parse(text); } catch { return null; }
  switch (message?.type) {
    case "snapshot": return { handler: "onSnapshot", arg: message, data: true };
    case "update": return { handler: "onUpdate", arg: message.statistics, data: true };
    case "bridge": return { handler: "onBridge", arg: message, data: false };
    case "config": return { handler: "reload", arg: message, data: false };
    case "alert": return { handler: "onAlert", arg: message, data: false };
    case "ack-refused": return { handler: "onAckRefused", arg: message, data: false };
    case "message": return { handler: "onMessage", arg: message, data: false };
    default: return null;
  }
}

// Whether a `config` frame reloads this page: a dashboard edit reloads every page showing
// it; a wallboard edit names its wallboard, and other pages showing the dashboard stay;
// a `drill` frame (a skills change) reloads only the drill-down pages, which list agents
// by skill, and no wallboard or dashboard page showing none.
export function reloadsFor(message, wallboard, drill = false) {
  if (message.drill) return drill;
  return !message.wallboard || message.wallboard === wallboard;
}

// Whether a snapshot's configuration `revisions` (what the bridge knows: scope -> number,
// dashboard/boards/revisions.py) are newer than those this page was rendered at: an edit's
// `config` frame went by while this page (re)loaded or reconnected, so it reloads now.
export function staleConfig(current, rendered) {
  if (!current || !rendered) return false;
  return Object.entries(rendered).some(([scope, revision]) => (current[scope] ?? 0) > revision);
}

export class LiveSocket {
  constructor(path, handlers) {
    this.path = path;
    this.handlers = handlers;
    this.attempts = 0;
    this.lastMessageAt = 0;
    this.lastDataAt = null;
    this.ws = null;
    this.timer = null;
    this.reloadTimer = null;
    this.random = Math.random;
  }

  start() {
    this.connect();
    setInterval(() => this.heartbeat(), HEARTBEAT_MS);
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}${this.path}`);
    this.ws = ws;
    ws.onopen = () => { this.attempts = 0; this.lastMessageAt = Date.now(); this.handlers.onOpen?.(); };
    ws.onmessage = (event) => this.dispatch(event.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.handlers.onClose?.(this.lastDataAt);
      this.schedule();
    };
    ws.onerror = () => ws.close();
  }

  schedule() {
    clearTimeout(this.timer);
    const delay = reconnectDelay(this.attempts, this.random);
    this.attempts += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  // The dashboard was edited: reload the page (its configuration is in the HTML).
  // Spread over RELOAD_SPREAD_MS so a thousand wallboards do not reload at once; an
  // edit arriving meanwhile rides on the reload already planned.
  reloadSoon() {
    if (this.reloadTimer) return;
    const delay = reloadDelay(this.random);
    this.handlers.onReloadPlanned?.(delay);
    this.reloadTimer = setTimeout(() => location.reload(), delay);
  }

  // A message to the server (a supervisor's alert acknowledgement); false when offline.
  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  heartbeat() {
    const ws = this.ws;
    const action = heartbeatAction(ws?.readyState === WebSocket.OPEN, this.lastMessageAt, Date.now());
    if (action === "close") ws.close();
    else if (action === "ping") ws.send('{"type":"ping"}');
  }

  dispatch(text) {
    this.lastMessageAt = Date.now();
    const frame = route(text);
    if (!frame) return;
    if (frame.data) this.lastDataAt = Date.now();
    if (frame.handler === "reload") {
      if (reloadsFor(frame.arg, this.handlers.wallboard, this.handlers.drill === true)) this.reloadSoon();
    } else {
      if (frame.handler === "onSnapshot" && staleConfig(frame.arg.revisions, this.handlers.revisions)) this.reloadSoon();
      this.handlers[frame.handler]?.(frame.arg);
    }
  }
}

// The wiring both pages share: one board fed by one socket, and the link state a page
// shows (socket open, the bridge's upstream state, when data last came).
// `afterSnapshot(m)`: what else a page takes from a snapshot (its open alerts).
// With several Genesys connections (issue 22), `bridge` frames and snapshots of a connection
// other than `default` name it: its state goes to `link.connections`, and the board greys
// only that connection's tiles (`board.connectionsLive`); `bridgeState` stays `default`'s.
export function noteBridge(link, bridge) {
  if (bridge.connection) link.connections[bridge.connection] = bridge.state;
  else link.bridgeState = bridge.state;
}

export function connectionsLive(link) {
  return new Map(Object.entries(link.connections).map(([name, state]) => [name, link.socketOpen && state === "connected"]));
}

export function boardHandlers(link, board, changed, afterSnapshot = null) {
  link.connections ??= {};
  const update = () => {
    board.live = link.socketOpen && link.bridgeState === "connected";
    board.connectionsLive = connectionsLive(link);
    changed(link);
  };
  return {
    onOpen: () => { link.socketOpen = true; update(); },
    onClose: (at) => { link.socketOpen = false; link.lastData = at ?? link.lastData; update(); },
    onSnapshot: (m) => {
      noteBridge(link, m.bridge);
      if (m.statistics.length) link.lastData = Date.now();
      board.apply(m.statistics, true);
      afterSnapshot?.(m);
      update();
    },
    onUpdate: (stats) => { link.lastData = Date.now(); board.apply(stats); },
    onBridge: (m) => { noteBridge(link, m); update(); },
  };
}

// `wallboard`: the wallboard's slug on a wallboard page (its edits reload it), else null.
// `more`: the page's alert handlers (`onSnapshot` after the board's, `onAlert`, `onAckRefused`),
// `revisions`, the page config's (a newer snapshot reloads the page: `staleConfig`), and
// `drill: true` on a drill-down page (`drill` config frames reload it: `reloadsFor`).
export function linkBoard(path, board, changed, wallboard = null, more = {}) {
  const link = { socketOpen: false, bridgeState: "connecting", lastData: null, connections: {} };
  const { onSnapshot, ...others } = more;
  link.socket = new LiveSocket(path, { ...boardHandlers(link, board, changed, onSnapshot), ...others, wallboard });
  link.socket.start();
  return link;
}
