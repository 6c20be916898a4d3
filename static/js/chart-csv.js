// A chart's visible data as CSV, from the chart itself (a small "CSV" button in the
// tile's header; supervisor pages only). The rows are the traces as drawn
// (charts.js `Chart.data`): a trend's points by time, a bar's or donut's categories, a
// gauge's value. Safe to open in a spreadsheet: a text cell starting with = + - @ or a
// tab/CR is prefixed with ' (OWASP "CSV injection"); numbers stay numbers.

import { gettext, interpolate } from "./i18n.js";

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value) {
  if (value == null) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(rows) {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

// Trend charts: one row per point time, one column per trace (by its name).
function timeRows(traces, fallbackName) {
  const byTime = new Map();
  traces.forEach((trace, column) => {
    (trace.x || []).forEach((x, i) => {
      const at = x instanceof Date ? x.getTime() : Number(new Date(x));
      if (!byTime.has(at)) byTime.set(at, new Array(traces.length).fill(null));
      byTime.get(at)[column] = trace.y?.[i] ?? null;
    });
  });
  const header = ["time", ...traces.map((t, i) => t.name || (traces.length === 1 ? fallbackName : `series ${i + 1}`))];
  const times = [...byTime.keys()].sort((a, b) => a - b);
  return [header, ...times.map((at) => [new Date(at), ...byTime.get(at)])];
}

// The rows of a chart widget's visible data; `statistics` name the categories' units.
export function chartRows(widget, traces) {
  const stats = widget.statistics || [];
  switch (widget.kind) {
    case "line":
    case "kpi":
      return timeRows(traces, widget.title);
    case "bar":
      return [["label", "value", "unit"], ...stats.map((s, i) => [s.label, traces[0]?.y?.[i] ?? null, s.unit])];
    case "donut":
      return [["label", "value", "unit"], ...stats.map((s, i) => [s.label, traces[0]?.values?.[i] ?? null, s.unit])];
    case "gauge":
      return [["label", "value", "unit"], [stats[0]?.label ?? widget.title, traces[0]?.value ?? null, stats[0]?.unit]];
    default:
      return [];
  }
}

export function csvFileName(dashboard, title, now = new Date()) {
  const safe = (s) => String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart";
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return `${safe(dashboard)}-${safe(title)}-${stamp}.csv`;
}

// The button in a tile's header. `traces()` gives what the chart draws right now.
export function addCsvButton(header, widget, dashboard, traces) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "chart-csv";
  button.textContent = "CSV";
  button.title = gettext("Download this chart's data as CSV");
  button.setAttribute("aria-label", interpolate(gettext("Download the data of {title} as CSV"), { title: widget.title }));
  button.addEventListener("click", () => {
    const blob = new Blob([csvText(chartRows(widget, traces() || []))], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = csvFileName(dashboard, widget.title);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  });
  header.appendChild(button);
  return button;
}
