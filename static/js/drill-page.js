// The drill-down pages (a queue's agents, an agent's day): one board on the dashboard's
// own socket, a banner for the link state, and on the agent page the day's statistics,
// read every TODAY_EVERY_MS from the server (dashboard/supervisor/today.py).

import { Board, node } from "./board.js";
import { linkBoard } from "./socket.js";
import { clockTime, formatValue } from "./format.js";
import { gettext, interpolate } from "./i18n.js";
import { setPageTimeZone } from "./time-zone.js";
import { linkSummary, pageConnections } from "./link-state.js";

export const TODAY_EVERY_MS = 30000;
const config = JSON.parse(document.getElementById("page-config").textContent);
setPageTimeZone(config.timeZone);
const page = config.pages[0];
const board = new Board(document.getElementById("board"), page);
const banner = document.getElementById("bridge-banner");
const connections = pageConnections(page);  // the banner follows these links, not `default`'s alone

function refresh(link) {
  const { socketOpen, lastData } = link;
  let text;
  if (!socketOpen) {
    text = lastData ? interpolate(gettext("Disconnected: last data {at}. Reconnecting…"), { at: clockTime(lastData) })
      : gettext("Disconnected. Reconnecting…");
  } else {
    const { down, named } = linkSummary(link, connections);
    text = down.map((c) => interpolate(gettext("Statistics link: {state}. Numbers may be stale."),
      { state: named ? `${c.name} ${c.state}` : c.state })).join(" ");
  }
  banner.textContent = text;
  banner.className = text ? "banner bad" : "banner";
  banner.hidden = !text;
  document.body.dataset.live = socketOpen && !text ? "yes" : "no";
}

async function loadToday() {
  const list = document.getElementById("today");
  try {
    const response = await fetch(config.today, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    list.replaceChildren(...body.statistics.map((s) =>
      node("div", "", null, [node("dt", "", s.label), node("dd", "", formatValue(s.value, s.unit))])));
    document.getElementById("today-note").textContent = body.error
      ? interpolate(gettext("Genesys did not answer: {error}"), { error: body.error })
      : interpolate(gettext("as of {at}"), { at: clockTime(Date.now()) });
  } catch (error) {
    document.getElementById("today-note").textContent = interpolate(gettext("Could not read today's statistics ({error})."), { error: error.message });
  }
}

const link = linkBoard(`/ws/dashboards/${page.slug}/`, board, refresh, null, { drill: true });
setInterval(() => board.tick(), 1000);
if (config.today) {
  loadToday();
  setInterval(loadToday, TODAY_EVERY_MS);
}
refresh(link);
