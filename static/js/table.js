// The table widget: one row per object, one column per statistic name, built once when
// the tile is. Each cell is kept in a map from statistic id to cell, so an update
// rewrites only its own cells: no rebuilt body, no search per cell, and every other
// cell keeps its DOM node (tests/e2e/test_table_widget.py).

import { NO_CALLS, formatValue, levelOf, noCalls } from "./format.js";
import { gettext } from "./i18n.js";

export function columnTitle(name) {
  return String(name).replace(/([a-z])([A-Z])/g, "$1 $2");
}

// A column's header: for a pre-configured name, its label from the built-in catalogue
// (page config `nameLabel`, dashboard/boards/statistic_labels.py), never the raw name;
// for an ad-hoc definition (no name: columns are keyed by label), the admin's label.
export function columnLabel(stat) {
  if (!stat?.name && stat?.label) return stat.label;
  return stat?.nameLabel || columnTitle(stat?.name || stat?.label || "");
}

// Rows (by objectId, in first-seen order) and columns (by name, or label without one);
// each row's cells hold the statistic for that column, or null where there is none.
export function tableLayout(statistics) {
  const names = [...new Set(statistics.map((s) => s.name || s.label))];
  const labels = names.map((n) => columnLabel(statistics.find((s) => (s.name || s.label) === n)));
  const rows = new Map();
  for (const s of statistics) {
    if (!rows.has(s.objectId)) rows.set(s.objectId, { objectId: s.objectId, objectType: s.objectType, label: s.label || s.objectId, cells: names.map(() => null) });
    const cells = rows.get(s.objectId).cells;
    const column = names.indexOf(s.name || s.label);
    cells[column] ??= s;
  }
  return { names, labels, rows: [...rows.values()] };
}

// What one cell shows: the formatted value and its threshold level (a class); a service
// level with no calls says so and never breaches.
export function cellView(value, unit, thresholds, none = false) {
  if (none) return { text: NO_CALLS, className: "level-ok no-calls" };
  return { text: formatValue(value?.value, unit), className: `level-${levelOf(value?.value, thresholds)}` };
}

function cell(tag, text) {
  const el = document.createElement(tag);
  el.textContent = text;  // names come from admins and the upstream: text, never markup
  return el;
}

// Fills an empty <table> (with <thead> and <tbody>); returns statistic id -> {cell, stat}
// (a service level's cell is also found under its `offered` id). `link(row)`: the row's
// drill-down URL, or null.
export function buildTable(table, statistics, thresholds, link = () => null) {
  const { labels, rows } = tableLayout(statistics);
  const head = document.createElement("tr");
  head.append(cell("th", gettext("Queue")), ...labels.map((text) => cell("th", text)));
  table.tHead.append(head);
  const cells = new Map();
  for (const row of rows) {
    const tr = document.createElement("tr");
    const href = link(row);
    const th = tr.appendChild(cell("th", href ? "" : row.label));
    if (href) {
      const a = th.appendChild(cell("a", row.label));
      a.href = href;
      a.title = gettext("Agents serving this queue");
    }
    for (const s of row.cells) {
      const view = cellView(undefined, s?.unit, thresholds);
      const td = tr.appendChild(cell("td", view.text));
      td.className = view.className;
      if (s && !cells.has(s.id)) {
        cells.set(s.id, { cell: td, stat: s });
        if (s.offered) cells.set(s.offered, cells.get(s.id));
      }
    }
    table.tBodies[0].append(tr);
  }
  return cells;
}

// Rewrites the cells of `changed` statistic ids (every cell when null), touching the DOM
// only where the text or level differs.
export function updateTable(cells, values, thresholds, changed = null) {
  for (const id of changed ?? cells.keys()) {
    const entry = cells.get(id);
    if (!entry) continue;
    const view = cellView(values.get(entry.stat.id), entry.stat.unit, thresholds, noCalls(entry.stat, values));
    if (entry.cell.textContent !== view.text) entry.cell.textContent = view.text;
    if (entry.cell.className !== view.className) entry.cell.className = view.className;
  }
}
