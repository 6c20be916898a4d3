// The intraday table: per queue, one row per 15- or 30-minute interval since the day
// began in the dashboard's zone, newest first. Past rows come from the stored buckets
// with the page config (dashboard/history/intraday.py: `widget.intraday`); the newest
// row is kept live from the socket: a counter's row is its live value minus `baseline`
// (its value when the interval began), service level and handle time are the live value.
// When an interval ends, the newest values become the next row's baseline.

import { formatValue } from "./format.js";
import { gettext } from "./i18n.js";

export const COLUMNS = {
  offered: [gettext("Offered"), "count"], answered: [gettext("Answered"), "count"], abandoned: [gettext("Abandoned"), "count"],
  serviceLevel: [gettext("Service level"), "percent"], aht: [gettext("Avg handle time"), "duration"],
};
export const COUNTERS = new Set(["offered", "answered", "abandoned"]);

// A growing-window counter's count since `previous` (a value below it: the window restarted).
export function counted(previous, value) {
  if (typeof value !== "number") return null;
  if (previous == null) return null;
  return value >= previous ? value - previous : value;
}

// The state the table keeps, copied from the page config so the config stays as sent.
export function intradayState(config) {
  return {
    interval: config.interval * 1000,
    columns: config.columns,
    starts: [...config.starts],
    queues: config.queues.map((q) => ({
      label: q.label, stats: q.stats, baseline: { ...q.baseline }, latest: {},
      values: Object.fromEntries(config.columns.map((c) => [c, [...(q.values[c] || config.starts.map(() => null))]])),
    })),
  };
}

// Puts live values into the newest row; returns true when a cell changed.
export function applyLive(state, values) {
  const last = state.starts.length - 1;
  let changed = false;
  for (const queue of state.queues) {
    for (const [role, id] of Object.entries(queue.stats)) {
      const value = values.get(id)?.value;
      if (typeof value !== "number") continue;
      queue.latest[role] = value;
      if (COUNTERS.has(role) && queue.baseline[role] == null) queue.baseline[role] = value;  // no past: count from now
      const shown = COUNTERS.has(role) ? counted(queue.baseline[role], value) : value;
      if (queue.values[role][last] !== shown) { queue.values[role][last] = shown; changed = true; }
    }
  }
  return changed;
}

// Starts the rows of intervals begun by `now`; returns how many were added.
export function rollOver(state, now) {
  let added = 0;
  while (now >= state.starts[state.starts.length - 1] + state.interval) {
    state.starts.push(state.starts[state.starts.length - 1] + state.interval);
    for (const queue of state.queues) {
      for (const role of state.columns) {
        if (COUNTERS.has(role) && queue.latest[role] != null) queue.baseline[role] = queue.latest[role];
        queue.values[role].push(null);
      }
    }
    added += 1;
  }
  return added;
}

// "09:30" in the dashboard's zone (not the browser's: a wallboard's PC may be elsewhere).
export function intervalLabel(ms, timeZone) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(ms));
}

// One queue's rows, newest first: [{start, cells: [text per column]}].
export function rowsOf(state, queue) {
  const rows = state.starts.map((start, i) => ({
    start,
    cells: state.columns.map((c) => formatValue(queue.values[c][i], COLUMNS[c][1])),
  }));
  return rows.reverse();
}

function cell(tag, text, className = "") {
  const el = document.createElement(tag);
  el.textContent = text;  // labels come from admins: text, never markup
  if (className) el.className = className;
  return el;
}

export function buildIntraday(body, widget, page) {
  const view = { state: intradayState(widget.intraday), zone: page.day?.timeZone || "UTC" };
  view.table = body.appendChild(document.createElement("table"));
  view.table.className = "intraday";
  const head = view.table.createTHead().insertRow();
  head.append(cell("th", gettext("Interval")), ...view.state.columns.map((c) => cell("th", COLUMNS[c][0])));
  renderIntraday(view);
  return view;
}

// Rebuilds every row (at the start and when an interval begins).
export function renderIntraday(view) {
  const { state } = view;
  view.newest = [];
  const bodies = state.queues.map((queue) => {
    const tbody = document.createElement("tbody");
    const title = tbody.insertRow();
    title.className = "queue";
    title.append(cell("th", queue.label));
    title.firstChild.colSpan = state.columns.length + 1;
    rowsOf(state, queue).forEach((row, i) => {
      const tr = tbody.insertRow();
      tr.dataset.start = row.start;
      const tds = row.cells.map((text) => cell("td", text));
      tr.append(cell("th", intervalLabel(row.start, view.zone)), ...tds);
      if (i === 0) { tr.className = "live"; view.newest.push(tds); }
    });
    return tbody;
  });
  for (const old of [...view.table.tBodies]) old.remove();
  view.table.append(...bodies);
}

// Live values into the newest row (its cells only), or every row when an interval began.
export function updateIntraday(view, values, now = Date.now()) {
  const added = rollOver(view.state, now);
  const changed = applyLive(view.state, values);
  if (added) { renderIntraday(view); return; }
  if (!changed) return;
  view.state.queues.forEach((queue, q) => {
    rowsOf(view.state, queue)[0].cells.forEach((text, c) => {
      const td = view.newest[q][c];
      if (td.textContent !== text) td.textContent = text;
    });
  });
}
