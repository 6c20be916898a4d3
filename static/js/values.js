// What a board knows about each statistic, as pure functions (tests/js/unit/): merging
// an incoming STAT with the one held, a KPI's trend, the worst level of a tile, how
// fresh a tile is, and what an agent's cell says. board.js puts the results on screen.

import { reasonOf } from "./agent-grid-model.js";
import { ago, levelOf, shownValue } from "./format.js";

const LEVEL_ORDER = { ok: 0, warning: 1, critical: 2 };
const STATE_LABEL = { Ready: "Ready", Busy: "On call", AfterCallWork: "Wrap-up", NotReady: "Not ready",
                      LoggedOut: "Logged out", Unknown: "Unknown" };
const TREND_POINTS = 12;

// The entry to hold for an incoming STAT, or null when it is older than the one held
// (frames can cross around a reconnect). A snapshot brings the history whole; an update
// appends its point and keeps the last `historyLength` (the bridge's own length, sent
// in the page config as `history`, so the two cannot drift apart).
export function mergeStat(old, stat, historyLength) {
  if (old && stat.timestamp != null && old.timestamp != null && stat.timestamp < old.timestamp) return null;
  let history = stat.history || old?.history || [];
  if (!stat.history && typeof stat.value === "number" && stat.timestamp != null) {
    history = history.concat([[stat.timestamp, stat.value]]).slice(-historyLength);
  }
  return { ...stat, history };
}

// A KPI's arrow: the change over the last TREND_POINTS points, or null with fewer than two.
export function trendOf(history, value) {
  if (!history || history.length < 2) return null;
  const delta = value - history[Math.max(0, history.length - TREND_POINTS)][1];
  return { arrow: delta > 0 ? "▲" : delta < 0 ? "▼" : "▬", delta };
}

export function worstOf(levels) {
  let worst = "ok";
  for (const level of levels) if (LEVEL_ORDER[level] > LEVEL_ORDER[worst]) worst = level;
  return worst;
}

// The worst level over a tile's statistics (bar and table tiles have no single value).
export function worstLevel(statistics, values, thresholds) {
  return worstOf(statistics.map((s) => levelOf(shownValue(s, values), thresholds)));
}

// A tile is fresh while the board is live and every statistic arrived within three of
// its expected periods; the footer says since when otherwise. A statistic Genesys
// refused never arrives and is not stale: the tile says so above (board.js refusalText).
export function freshnessOf(statistics, receivedAt, values, live, now = Date.now()) {
  let newest = null, ok = live;
  const open = statistics.filter((s) => !values.get(s.id)?.refused);
  if (!open.length && statistics.length) return { ok: true, text: "not opened: see above" };
  for (const s of open) {
    const at = receivedAt.get(s.id);
    if (at != null) newest = Math.max(newest ?? 0, at);
    if (at == null || (s.expectedPeriod && now - at > 3 * s.expectedPeriod * 1000)) ok = false;
  }
  const upstream = values.get(statistics[0]?.id)?.timestamp;
  const text = ok ? `updated ${ago(upstream ?? newest)}` : `⏸ no update ${newest ? "for " + ago(newest).replace(" ago", "") : "yet"}`;
  return { ok, text };
}

// An agent's cell: state (for the class), the words shown, and since when (ms, or "").
// `field` reads an AgentStatus field without case (agent-fields.js).
export function agentView(value, field) {
  const state = value?.state || "Unknown";
  const reasonCode = reasonOf(value?.raw, field);
  const time = field(value?.raw, "Time");
  return {
    state,
    text: (STATE_LABEL[state] || state) + (reasonCode ? ` · ${reasonCode}` : ""),
    since: typeof time === "number" && time > 0 ? time * 1000 : "",
  };
}
