// The supervisor page: one board, a banner for the bridge's link state.

import { Board } from "./board.js";
import { linkBoard } from "./socket.js";
import { clockTime } from "./format.js";
import { gettext, interpolate } from "./i18n.js";
import { setPageTimeZone } from "./time-zone.js";
import { AlertList, AlertState, titleOf } from "./alerts.js";
import { AlertSound, soundButton } from "./alert-sound.js";
import { linkSummary, pageConnections } from "./link-state.js";

const config = JSON.parse(document.getElementById("page-config").textContent);
setPageTimeZone(config.timeZone);
const page = config.pages[0];
const board = new Board(document.getElementById("board"), page);
const banner = document.getElementById("bridge-banner");
const connections = pageConnections(page);  // the banner follows these links, not `default`'s alone

const BRIDGE_TEXT = {
  connecting: gettext("Connecting to Genesys…"),
  "upstream-unavailable": gettext("Genesys statistics are unavailable: numbers are frozen until the service is back."),
  unauthorized: gettext("Genesys refused our credentials: numbers are frozen. An admin must check the connection."),
  error: gettext("The statistics link has a problem: numbers may be stale."),
};

function show(text, kind) {
  banner.textContent = text;
  banner.className = `banner ${kind}`;
  banner.hidden = !text;
}

function refresh(link) {
  const { socketOpen, lastData } = link;
  const summary = linkSummary(link, connections);
  if (!socketOpen) {
    show(lastData ? interpolate(gettext("Disconnected from the dashboard server: last data {at}. Reconnecting…"),
      { at: clockTime(lastData) }) : gettext("Disconnected from the dashboard server. Reconnecting…"), "bad");
  }
  else if (summary.down.length) show(linkProblems(summary), "bad");
  else show("", "");
  document.body.dataset.live = !summary.socketDown && !summary.down.length ? "yes" : "no";
}

// The problem of each of the page's connections that is down; named when the page
// shows more than `default` (issue 22: the others' tiles stay live).
function linkProblems({ down, named }) {
  const problem = (state) => BRIDGE_TEXT[state] || state;
  if (!named) return problem(down[0].state);
  return down.map((c) => interpolate(gettext("Connection {connection}: {problem}"),
    { connection: c.name, problem: problem(c.state) })).join(" ");
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
  notifyButton.textContent = allowed === "granted" ? gettext("Notifications on") : gettext("Notify me when hidden");
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
    new Notification(interpolate(alert.level === "critical" ? gettext("Critical: {rule}") : gettext("Warning: {rule}"),
      { rule: alert.rule }),
      { body: titleOf(alert), tag: alert.id });
  }
}

const link = linkBoard(`/ws/dashboards/${page.slug}/`, board, refresh, null, {
  revisions: config.revisions,
  onSnapshot: (m) => { alerts.snapshot(m.alerts || []); alertList.draw(alerts); },
  onAlert: (m) => onAlert(m.event, m.alert),
  onAckRefused: () => show(gettext("This screen cannot acknowledge alerts."), "bad"),
});
setInterval(() => board.tick(), 1000);
// The skill filter applies on choosing (the CSP forbids inline handlers).
document.getElementById("skill-select")?.addEventListener("change", (e) => e.target.form.submit());
refresh(link);
