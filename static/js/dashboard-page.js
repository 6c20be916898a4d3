// The supervisor page: one board, a banner for the bridge's link state.

import { Board } from "./board.js";
import { linkBoard } from "./socket.js";
import { clockTime } from "./format.js";

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

const link = linkBoard(`/ws/dashboards/${page.slug}/`, board, refresh);
setInterval(() => board.tick(), 1000);
// The skill filter applies on choosing (the CSP forbids inline handlers).
document.getElementById("skill-select")?.addEventListener("change", (e) => e.target.form.submit());
refresh(link);
