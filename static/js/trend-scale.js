// The numbers behind a trend chart's axes (static/js/trend-canvas.js draws them): which
// values and times get a grid line and a label, and where a point lands in the plot.
// Pure, so tests/js/unit/trend-scale.test.mjs checks them without a browser.
//
// The value axis starts at zero (or the lowest value, if negative) as the Plotly figure's
// `rangemode: "tozero"` did, and ends at the highest value rounded up to a step; steps are
// 1, 2 or 5 x 10^n (durations: whole seconds, minutes, hours). The time axis has steps a
// clock reads (1, 2, 5, 10, 15, 30 minutes; 1, 2, 3, 6, 12 hours), counted from midnight in
// the page's zone so that labels fall on :00, :05, :10.

import { formatDuration } from "./format.js";

const SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE;
export const TIME_STEPS_MS = [
  ...[1, 2, 5, 10, 15, 30].map((s) => s * SECOND),
  ...[1, 2, 5, 10, 15, 30].map((m) => m * MINUTE),
  ...[1, 2, 3, 6, 12, 24].map((h) => h * HOUR),
];
const DURATION_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

// The smallest of 1, 2, 5 x 10^n that splits `span` into at most `maxTicks` steps.
export function niceStep(span, maxTicks) {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
  return 10 * magnitude;
}

// The first of `steps` (ascending) that splits `span` into at most `maxTicks`; past the
// last, whole multiples of it.
export function stepFrom(steps, span, maxTicks) {
  const wanted = span / Math.max(1, maxTicks);
  const found = steps.find((s) => s >= wanted);
  if (found) return found;
  const last = steps[steps.length - 1];
  return Math.ceil(wanted / last) * last;
}

function decimals(step) {
  return step >= 1 ? 0 : Math.min(10, Math.ceil(-Math.log10(step) - 1e-9));
}

// The value axis for `series` ([{points: [[ms, value], ...]}, ...]): {low, high, step,
// ticks}. Non-finite values are ignored; with none (or all equal to zero) the axis is 0..1.
// Counts (every value whole) never get fractional steps; durations step by whole seconds
// and, past ten seconds a step, by clock steps (0:30, 1:00, 5:00).
export function valueAxis(series, maxTicks, unit) {
  let low = 0, high = -Infinity, whole = true;
  for (const s of series) {
    for (const p of s.points) {
      const v = p[1];
      if (typeof v !== "number" || !Number.isFinite(v)) continue;
      if (v < low) low = v;
      if (v > high) high = v;
      if (whole && !Number.isInteger(v)) whole = false;
    }
  }
  if (high === -Infinity) high = 0;
  if (high <= low) high = low + 1;
  const span = high - low;
  let step = unit === "duration" && span / maxTicks > 10 ? stepFrom(DURATION_STEPS_S, span, maxTicks) : niceStep(span, maxTicks);
  if ((whole || unit === "duration") && step < 1) step = 1;
  const bottom = Math.floor(low / step + 1e-9) * step;
  const top = Math.ceil(high / step - 1e-9) * step;
  const places = decimals(step);
  const ticks = [];
  for (let i = 0; bottom + i * step <= top + step * 1e-6; i++) ticks.push(Number((bottom + i * step).toFixed(places)));
  return { low: bottom, high: top, step, ticks };
}

const numberFormats = new Map();

// A value axis label: "0:30" for a duration, "85%" for a percent, "1,200" for a count; as
// many decimals as the step needs (none for whole steps).
export function valueLabel(value, unit, step) {
  if (unit === "duration") return formatDuration(value);
  const places = decimals(step);
  if (unit === "percent") return `${value.toFixed(places)}%`;
  let format = numberFormats.get(places);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { minimumFractionDigits: places, maximumFractionDigits: places });
    numberFormats.set(places, format);
  }
  return format.format(value);
}

// Times between `start` and `end` (ms) with a grid line and a label: a clock step that
// leaves at most `maxTicks`, counted from `anchor` (midnight in the page's zone, so that a
// five-minute step lands on :00, :05 whatever the zone's offset). {step, ticks}.
export function timeTicks(start, end, maxTicks, anchor = 0) {
  const step = stepFrom(TIME_STEPS_MS, Math.max(end - start, 1), maxTicks);
  const ticks = [];
  for (let t = anchor + Math.ceil((start - anchor) / step) * step; t <= end; t += step) ticks.push(t);
  return { step, ticks };
}

// A linear map from [d0, d1] onto [r0, r1] (a zero-width domain maps to r1: a single
// point sits at the end, where "now" is).
export function linear(d0, d1, r0, r1) {
  if (!(d1 > d0)) return () => r1;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

// The index of the point of `points` (sorted by time) nearest to time `t`; -1 without points.
export function nearestIndex(points, t) {
  if (!points?.length) return -1;
  let low = 0, high = points.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (points[mid][0] < t) low = mid + 1; else high = mid;
  }
  if (low > 0 && t - points[low - 1][0] <= points[low][0] - t) return low - 1;
  return low;
}

// Which labels of a row fit: each label's box [centre - width/2, centre + width/2]
// must stay within [min, max] and keep `gap` px from the last one kept. Returns the
// indexes kept (labels that would collide or spill over the edge are skipped).
export function fittingLabels(centres, widths, min, max, gap = 8) {
  const kept = [];
  let right = -Infinity;
  centres.forEach((c, i) => {
    const left = c - widths[i] / 2, end = c + widths[i] / 2;
    if (left < min || end > max || left < right + gap) return;
    kept.push(i);
    right = end;
  });
  return kept;
}
