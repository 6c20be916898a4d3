// The wallboard: full screen, no login, rotating pages, a clock, and an overlay that
// says plainly when the data stopped. Reconnects by itself; never needs a reload.

import { Board } from "./board.js";
import { LiveSocket } from "./socket.js";
import { clockTime } from "./format.js";

const config = JSON.parse(document.getElementById("page-config").textContent);
const stage = document.getElementById("stage");
const overlay = document.getElementById("overlay");
const pageTitle = document.getElementById("page-title");
const clock = document.getElementById("clock");
const dots = document.getElementById("dots");

const pages = config.pages.map((page) => {
  const root = document.createElement("div");
  root.className = "grid";
  root.hidden = true;
  stage.appendChild(root);
  const board = new Board(root, page);
  const state = { page, root, board, socketOpen: false, bridgeState: "connecting", lastData: null };
  state.socket = new LiveSocket(`/ws/dashboards/${page.slug}/?token=${encodeURIComponent(config.token)}`, {
    wallboard: config.slug,
    onOpen: () => { state.socketOpen = true; refresh(); },
    onClose: (at) => { state.socketOpen = false; state.lastData = at ?? state.lastData; refresh(); },
    onSnapshot: (m) => {
      state.bridgeState = m.bridge.state;
      if (m.statistics.length) state.lastData = Date.now();
      board.apply(m.statistics, true);
      refresh();
    },
    onUpdate: (stats) => { state.lastData = Date.now(); board.apply(stats); },
    onBridge: (m) => { state.bridgeState = m.state; refresh(); },
  });
  state.socket.start();
  return state;
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

function refresh() {
  const p = pages[current];
  if (!p) return;
  for (const each of pages) each.board.live = each.socketOpen && each.bridgeState === "connected";
  const down = !p.socketOpen || p.bridgeState !== "connected";
  overlay.hidden = !down;
  if (down) {
    const reason = !p.socketOpen ? "Disconnected" : p.bridgeState === "upstream-unavailable"
      ? "Genesys statistics unavailable" : "Statistics link down";
    const last = p.lastData ? `last data ${clockTime(p.lastData)}` : "no data yet";
    overlay.querySelector(".what").textContent = `${reason}: ${last}`;
  }
  document.body.dataset.live = down ? "no" : "yes";
}

showPage(0);
if (pages.length > 1) setInterval(() => { showPage(current + 1); refresh(); }, config.rotateSeconds * 1000);
setInterval(() => {
  clock.textContent = clockTime(Date.now());
  for (const p of pages) p.board.tick();
  refresh();
}, 1000);
