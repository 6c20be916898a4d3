// Comparison with the past (dashboard/history/compare.py sends, per compared widget,
// today's reference line on today's time axis: `widget.compare = {mode, label, timeZone, series:
// {statId: [[ms, value], ...]}}`). A trend draws the part beside its live data as a faint
// dotted line; a KPI says how far the live value is from the reference at this moment
// ("+12 vs last Mon"). Pure functions, tested in tests/js/unit/compare.test.mjs.

import { formatValue } from "./format.js";
import { gettext, interpolate, pageLocale } from "./i18n.js";
import { reloadDelay } from "./socket.js";

export const OVERLAY_WINDOW_MS = 30 * 60 * 1000;  // at least this much of the past is shown
const MINUS = "\u2212";

// The reference point at time t: the last point at or before it (series sorted by time),
// or null when the series starts later or is empty.
export function pointAt(series, t) {
  if (!series?.length || series[0][0] > t) return null;
  let low = 0, high = series.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (series[mid][0] <= t) low = mid; else high = mid - 1;
  }
  return series[low];
}

// The stretch of the reference line a trend shows: from its first live point (or
// OVERLAY_WINDOW_MS ago, whichever is earlier) up to now. Never later than now: the
// past is a comparison here, not a forecast.
export function overlayWindow(history, now) {
  const first = history?.length ? history[0][0] : now;
  return [Math.min(first, now - OVERLAY_WINDOW_MS), now];
}

export function clipSeries(series, from, to) {
  return (series || []).filter((p) => p[0] >= from && p[0] <= to);
}

// A signed difference as a KPI shows it, in the statistic's unit: "+12", "−0:45", "±0".
export function signedDifference(delta, unit) {
  if (delta === 0) return "±0";
  const text = formatValue(Math.abs(delta), unit);
  return `${delta > 0 ? "+" : MINUS}${text}`;
}

// What a compared KPI says under its value, or "" when there is nothing to compare yet.
export function compareText(compare, statId, value, now, unit) {
  if (!compare || typeof value !== "number" || !isFinite(value)) return "";
  const ref = pointAt(compare.series?.[statId], now);
  const label = compareLabel(compare, now);
  if (!ref) return interpolate(gettext("no {label} to compare"), { label });
  return interpolate(gettext("{difference} vs {label}"), { difference: signedDifference(value - ref[1], unit), label });
}

// How a KPI names its comparison in the page's language: "last Mon", "letzten Mo.". The
// weekday is today's in the dashboard's zone (compare.timeZone), named by Intl; without a
// zone (an older page config) the server's English label.
export function compareLabel(compare, now, locale = pageLocale()) {
  if (compare.mode === "yesterday") return gettext("yesterday");
  if (!compare.timeZone || !["last-week", "four-weeks"].includes(compare.mode)) return compare.label;
  const weekday = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: compare.timeZone }).format(now);
  return interpolate(compare.mode === "last-week" ? gettext("last {weekday}") : gettext("avg of 4 {weekday}"), { weekday });
}

// The faint Plotly trace for one statistic of a compared trend, or null without points.
export function overlayTrace(compare, statId, history, now, colour) {
  const [from, to] = overlayWindow(history, now);
  const points = clipSeries(compare?.series?.[statId], from, to);
  if (!points.length) return null;
  const label = compareLabel(compare, now);
  return {
    x: points.map((p) => new Date(p[0])),
    y: points.map((p) => p[1]),
    type: "scatter",
    mode: "lines",
    name: label,
    showlegend: false,
    hovertemplate: `${label}: %{y}<extra></extra>`,
    opacity: 0.45,
    line: { width: 2, dash: "dot", color: colour },
    meta: "compare",
  };
}

// Milliseconds until the page should reload for the new day (its reference line and
// intraday rows are the old day's), plus the config reload's jitter so a floor of
// screens does not reload at the same instant; null when the page has no day.
export function dayReloadDelay(day, now, random = Math.random) {
  if (!day?.next) return null;
  return Math.max(0, day.next - now) + reloadDelay(random);
}

// Every faint trace of a compared line widget, in the colour of the live trace it shadows.
export function compareTraces(widget, values, now) {
  if (!widget.compare) return [];
  const colours = widget.figure?.layout?.colorway || [];
  return widget.statistics
    .map((s, i) => overlayTrace(widget.compare, s.id, values.get(s.id)?.history, now, colours[i % (colours.length || 1)]))
    .filter(Boolean);
}
