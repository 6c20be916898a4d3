// The supervisor page: one board, a banner for the bridge's link state.

import { Board } from "./board.js";
import { linkBoard } from "./socket.js";
import { clockTime } from "./format.js";
import { AlertList, AlertState, titleOf } from "./alerts.js";
import { AlertSound, soundButton } from "./alert-sound.js";

const config = JSON.parse(document.getElementById("page-config").textContent);
const page = config.pages[0];
const board = new Board(document.getElementById("board"), page);
const banner = document.getElementById("bridge-banner");

const BRIDGE_TEXT = {
  connecting: "Connecting to Genesys…",
  "upstream-unavailable": "Genesys statistics are unavailable: numbers are frozen until the service is back.",
  unauthorized: "Genesys refused our credentials: numbers are frozen. An admin must check the connection.",
  error: "The statistics link has a problem: numbers may be stale.",
};

function show(text, kind) {
  banner.textContent = text;
  banner.className = `banner ${kind}`;
  banner.hidden = !text;
}

function refresh(link) {
  const { socketOpen, bridgeState, lastData } = link;
  if (!socketOpen) show(`Disconnected from the dashboard server${lastData ? ": last data " + clockTime(lastData) : ""}. Reconnecting…`, "bad");
  else if (bridgeState !== "connected") show(BRIDGE_TEXT[bridgeState] || bridgeState, "bad");
  else show("", "");
  document.body.dataset.live = board.live ? "yes" : "no";
}

// Alerts: the list with Acknowledge buttons, the tone, and a browser notification
// when this tab is hidden and the supervisor allowed them.
const alerts = new AlertState();
const sound = new AlertSound();
const alertList = new AlertList(document.getElementById("alert-list"), {
  onAck: (id) => link.socket.send({ type: "ack", alert: id }),
});
soundButton(document.getElementById("alert-sound"), sound);
const notifyButton = document.getElementById("alert-notify");
function notifyLabel() {
  const allowed = globalThis.Notification?.permission;
  notifyButton.hidden = !globalThis.Notification || allowed === "denied";
  notifyButton.textContent = allowed === "granted" ? "Notifications on" : "Notify me when hidden";
  notifyButton.disabled = allowed === "granted";
}
notifyButton.addEventListener("click", () => Notification.requestPermission().then(notifyLabel));
notifyLabel();

function onAlert(event, alert) {
  const item = alerts.apply(event, alert);
  alertList.draw(alerts);
  if (!item?.loud) return;
  sound.play(alert, event);
  if (document.hidden && globalThis.Notification?.permission === "granted") {
    new Notification(`${alert.level === "critical" ? "Critical" : "Warning"}: ${alert.rule}`,
      { body: titleOf(alert), tag: alert.id });
  }
}

const link = linkBoard(`/ws/dashboards/${page.slug}/`, board, refresh, null, {
  onSnapshot: (m) => { alerts.snapshot(m.alerts || []); alertList.draw(alerts); },
  onAlert: (m) => onAlert(m.event, m.alert),
  onAckRefused: () => show("This screen cannot acknowledge alerts.", "bad"),
});
setInterval(() => board.tick(), 1000);
// The skill filter applies on choosing (the CSP forbids inline handlers).
document.getElementById("skill-select")?.addEventListener("change", (e) => e.target.form.submit());
refresh(link);
