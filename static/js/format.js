// Numbers as supervisors read them: durations as mm:ss, percents with one decimal,
// and threshold levels (ok / warning / critical) with the words and icons that go
// with them, so a breach never depends on colour alone.

export function formatDuration(seconds) {
  if (seconds == null || !isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0"), ss = String(r).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

// One formatter for the page: toLocaleString() builds one per call, which was half the
// script time of a 5,000-cell snapshot.
const INTEGER = new Intl.NumberFormat();

export function formatValue(value, unit) {
  if (value == null || typeof value !== "number" || !isFinite(value)) return "–";
  if (unit === "duration") return formatDuration(value);
  if (unit === "percent") return `${value.toFixed(1)}%`;
  return Number.isInteger(value) ? INTEGER.format(value) : value.toFixed(1);
}

export function levelOf(value, thresholds) {
  if (!thresholds || value == null || typeof value !== "number") return "ok";
  const above = thresholds.direction !== "below";
  const breaches = (limit) => limit != null && (above ? value >= limit : value <= limit);
  if (breaches(thresholds.critical)) return "critical";
  if (breaches(thresholds.warning)) return "warning";
  return "ok";
}

// The words of a level; the icon beside them is an inline SVG (icons.js), never an emoji.
export const LEVEL_TEXT = { ok: "", warning: "Warning", critical: "Critical" };

// A service level with no call behind it (its `offered` companion count is 0: see
// dashboard/supervisor/no_calls.py) is no number: shown as "no calls", never breaching.
export const NO_CALLS = "no calls";
export function noCalls(stat, values) {
  return Boolean(stat?.offered) && values.get(stat.offered)?.value === 0;
}

// The number a tile shows and judges for `stat`: null when there are no calls.
export function shownValue(stat, values) {
  return noCalls(stat, values) ? null : values.get(stat?.id)?.value;
}

export function ago(ms) {
  if (ms == null) return "no data yet";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 2) return "just now";
  if (s < 120) return `${s}s ago`;
  return `${formatDuration(s)} ago`;
}

export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
