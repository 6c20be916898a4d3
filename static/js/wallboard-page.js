// The wallboard: full screen, no login, rotating pages, a clock, and an overlay that
// says plainly when the data stopped. Reconnects by itself; never needs a reload.

import { Board } from "./board.js";
import { linkBoard } from "./socket.js";
import { clockTime } from "./format.js";
import { gettext, interpolate } from "./i18n.js";
import { setPageTimeZone } from "./time-zone.js";
import { AlertList, AlertState } from "./alerts.js";
import { AlertSound, soundButton } from "./alert-sound.js";
import { FloorMessages, drawMessages, screenKey } from "./floor-messages.js";
import { linkSummary, pageConnections } from "./link-state.js";

const config = JSON.parse(document.getElementById("page-config").textContent);
setPageTimeZone(config.timeZone);  // the wallboard's zone: its clock and times, not the browser's
const stage = document.getElementById("stage");
const overlay = document.getElementById("overlay");
const pageTitle = document.getElementById("page-title");
const clock = document.getElementById("clock");
const dots = document.getElementById("dots");

// Alerts of every page, one strip (no acknowledging from a kiosk), and the tone.
const alerts = new AlertState();
const sound = new AlertSound();
const strip = new AlertList(document.getElementById("alert-list"));
soundButton(document.getElementById("alert-sound"), sound);
function drawAlerts() {
  strip.draw(alerts);
  document.getElementById("alerts").hidden = !alerts.list().some((i) => i.state !== "cleared");
}

// Messages to the floor: one state for every socket of this page.
const floor = new FloorMessages(config.slug);
let floorKey = null;
function drawFloor() {
  const shown = floor.active();
  const key = screenKey(shown);
  if (key === floorKey) return;
  floorKey = key;
  drawMessages(document.getElementById("floor-banners"), document.getElementById("floor-ticker"), shown);
}

const pages = config.pages.map((page) => {
  const root = document.createElement("div");
  root.className = "grid";
  root.hidden = true;
  stage.appendChild(root);
  const board = new Board(root, page);
  const path = `/ws/dashboards/${page.slug}/?token=${encodeURIComponent(config.token)}`;
  return { page, root, board, connections: pageConnections(page), link: linkBoard(path, board, () => refresh(), config.slug, {
    revisions: config.revisions,
    onSnapshot: (m) => {
      if (m.messages) floor.snapshot(m.messages);
      drawFloor();
      for (const alert of m.alerts || []) {
        alerts.apply("raised", alert, alert.since);
        if (alert.acknowledged_by) alerts.apply("acknowledged", alert, alert.acknowledged_at ?? alert.since);
      }
      drawAlerts();
    },
    onMessage: (m) => { if (floor.frame(m)) drawFloor(); },
    onAlert: ({ event, alert }) => {
      const item = alerts.apply(event, alert);
      drawAlerts();
      if (item?.loud) sound.play(alert, event);
    },
  }) };
});

let current = 0;

function showPage(index) {
  current = index % pages.length;
  pages.forEach((p, i) => { p.root.hidden = i !== current; });
  pageTitle.textContent = pages[current].page.title;
  dots.replaceChildren(...pages.map((_, i) => {
    const dot = document.createElement("span");
    if (i === current) dot.className = "on";
    return dot;
  }));
  window.dispatchEvent(new Event("resize"));  // let Plotly fit the now-visible charts
}

// The overlay covers the page when nothing on it can be live: the socket is closed, or
// none of the connections its widgets use is connected (issue 22). A page mixing
// connections with one down keeps its screen: that connection's tiles grey on their own.
function refresh() {
  const p = pages[current];
  if (!p) return;
  const summary = linkSummary(p.link, p.connections);
  overlay.hidden = !summary.allDown;
  if (summary.allDown) {
    const last = p.link.lastData ? interpolate(gettext("last data {at}"), { at: clockTime(p.link.lastData) }) : gettext("no data yet");
    overlay.querySelector(".what").textContent = `${overlayReason(summary)}: ${last}`;
  }
  document.body.dataset.live = summary.allDown ? "no" : "yes";
}

function overlayReason({ socketDown, down, named }) {
  if (socketDown) return gettext("Disconnected");
  const unavailable = down.every((c) => c.state === "upstream-unavailable");
  if (!named) return unavailable ? gettext("Genesys statistics unavailable") : gettext("Statistics link down");
  const connections = down.map((c) => c.name).join(", ");
  return unavailable ? interpolate(gettext("Genesys statistics unavailable ({connections})"), { connections })
    : interpolate(gettext("Statistics link down ({connections})"), { connections });
}

showPage(0);
if (pages.length > 1) setInterval(() => { showPage(current + 1); refresh(); }, config.rotateSeconds * 1000);
setInterval(() => {
  clock.textContent = clockTime(Date.now());
  for (const p of pages) p.board.tick();
  refresh();
  drawFloor();  // a message past its `until` goes
}, 1000);
