// The home page's live numbers, as pure functions (tests/js/unit/): how many of a
// dashboard's widgets are past a threshold now, by the same rule the board draws a
// tile's level with (board.js drawLevel): a bar or table by its worst statistic, any
// other widget by its first.

import { levelOf } from "./format.js";
import { gettext, interpolate, ngettext } from "./i18n.js";
import { worstLevel } from "./values.js";

export function widgetLevel(widget, values) {
  const ids = widget.statistics;
  if (widget.kind === "bar" || widget.kind === "table") {
    return worstLevel(ids.map((id) => ({ id })), values, widget.thresholds);
  }
  return levelOf(values.get(ids[0])?.value, widget.thresholds);
}

export function breachCounts(widgets, values) {
  const counts = { warning: 0, critical: 0 };
  for (const widget of widgets) {
    const level = widgetLevel(widget, values);
    if (level !== "ok") counts[level] += 1;
  }
  return counts;
}

export function breachText(counts) {
  const total = counts.warning + counts.critical;
  if (!total) return gettext("no breaches");
  const parts = [];
  if (counts.critical) parts.push(interpolate(gettext("{count} critical"), { count: counts.critical }));
  if (counts.warning) parts.push(interpolate(gettext("{count} warning"), { count: counts.warning }));
  return interpolate(ngettext("{count} breach: {parts}", "{count} breaches: {parts}", total),
    { count: total, parts: parts.join(", ") });
}

const LINK_TEXT = { connected: gettext("connected"), connecting: gettext("connecting…"),
  "upstream-unavailable": gettext("Genesys unavailable"), unauthorized: gettext("Genesys refused our credentials"),
  error: gettext("link problem") };

// The page's one link line: the server unreachable beats the bridge's own state.
export function linkText(socketOpen, bridgeState) {
  if (!socketOpen) return gettext("Link to the dashboard server: down, reconnecting…");
  return interpolate(gettext("Link to Genesys: {state}"), { state: LINK_TEXT[bridgeState] || bridgeState });
}
