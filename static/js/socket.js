// The dashboard socket: snapshot first, then updates and bridge-state frames
// (shapes: statsbridge/messages.py). Reconnects forever with jittered backoff, and
// treats a silent socket as dead, so a wallboard survives server restarts and
// network blips for weeks without a reload.

const HEARTBEAT_MS = 20000;
const SILENCE_LIMIT_MS = 50000;
const RELOAD_MIN_MS = 2000;
const RELOAD_SPREAD_MS = 20000;

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
    const ceiling = Math.min(30000, 1000 * 2 ** this.attempts);
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    this.attempts += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  // The dashboard was edited: reload the page (its configuration is in the HTML).
  // Spread over RELOAD_SPREAD_MS so a thousand wallboards do not reload at once; an
  // edit arriving meanwhile rides on the reload already planned.
  reloadSoon() {
    if (this.reloadTimer) return;
    const delay = RELOAD_MIN_MS + Math.random() * RELOAD_SPREAD_MS;
    this.handlers.onReloadPlanned?.(delay);
    this.reloadTimer = setTimeout(() => location.reload(), delay);
  }

  heartbeat() {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastMessageAt > SILENCE_LIMIT_MS) { ws.close(); return; }
    ws.send('{"type":"ping"}');
  }

  dispatch(text) {
    this.lastMessageAt = Date.now();
    let message;
    try { message = JSON.parse(text); } catch { return; }
    if (message.type === "snapshot") {
      this.lastDataAt = Date.now();
      this.handlers.onSnapshot?.(message);
    } else if (message.type === "update") {
      this.lastDataAt = Date.now();
      this.handlers.onUpdate?.(message.statistics);
    } else if (message.type === "bridge") {
      this.handlers.onBridge?.(message);
    } else if (message.type === "config") {
      // A wallboard edit names its wallboard: other pages showing the dashboard stay.
      if (!message.wallboard || message.wallboard === this.handlers.wallboard) this.reloadSoon();
    }
  }
}
