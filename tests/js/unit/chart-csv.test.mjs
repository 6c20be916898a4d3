// The pure parts of static/js/chart-csv.js: node --test tests/js/unit/
import { test } from "node:test";
import assert from "node:assert/strict";

import { chartRows, csvCell, csvFileName, csvText } from "../../../static/js/chart-csv.js";

test("text that a spreadsheet would run as a formula is defused; numbers stay numbers", () => {
  assert.equal(csvCell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  assert.equal(csvCell("+1"), "'+1");
  assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvCell("\tx"), "'\tx");
  assert.equal(csvCell(-3.5), "-3.5");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell("a,b"), "\"a,b\"");
  assert.equal(csvCell(new Date(0)), "1970-01-01T00:00:00.000Z");
});

test("a trend's traces become one row per time with a column per trace", () => {
  const traces = [
    { name: "Sales", x: [new Date(2000), new Date(1000)], y: [2, 1] },
    { name: "Support", x: [new Date(1000)], y: [5] },
  ];
  const rows = chartRows({ kind: "line", title: "Waiting" }, traces);
  assert.deepEqual(rows[0], ["time", "Sales", "Support"]);
  assert.deepEqual(rows.slice(1).map((r) => [r[0].getTime(), r[1], r[2]]), [[1000, 1, 5], [2000, 2, null]]);
});

test("a bar's and a donut's categories with their units", () => {
  const widget = { kind: "bar", statistics: [{ label: "=cmd", unit: "count" }, { label: "B", unit: "count" }] };
  const text = csvText(chartRows(widget, [{ y: [3, null] }]));
  assert.equal(text, "label,value,unit\r\n'=cmd,3,count\r\nB,,count\r\n");
  const donut = { kind: "donut", statistics: [{ label: "Ready", unit: "count" }] };
  assert.deepEqual(chartRows(donut, [{ values: [12] }]), [["label", "value", "unit"], ["Ready", 12, "count"]]);
});

test("the file name says which dashboard and chart, and when", () => {
  assert.equal(csvFileName("service-level", "Waiting / queue", new Date(0)), "service-level-waiting-queue-1970-01-01-00-00-00.csv");
});
