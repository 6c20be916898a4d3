// static/js/table.js: the table's layout and what a cell shows (the keyed update of
// real cells is checked in a browser: tests/e2e/test_table_widget.py).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { cellView, columnTitle, tableLayout } from "../../../static/js/table.js";

const stat = (id, objectId, name, label = objectId) => ({ id, objectId, name, label, unit: "count" });

describe("tableLayout", () => {
  it("makes one row per object and one column per statistic name, in first-seen order", () => {
    const stats = [stat("1", "Sales", "Waiting"), stat("2", "Support", "Waiting"),
                   stat("3", "Sales", "MaxWait"), stat("4", "Support", "MaxWait")];
    const { names, rows } = tableLayout(stats);
    assert.deepEqual(names, ["Waiting", "MaxWait"]);
    assert.deepEqual(rows.map((r) => [r.label, ...r.cells.map((c) => c.id)]), [["Sales", "1", "3"], ["Support", "2", "4"]]);
  });

  it("leaves a hole where an object lacks a column, and keeps the first of a duplicate", () => {
    const stats = [stat("1", "Sales", "Waiting"), stat("2", "Support", "MaxWait"), stat("3", "Sales", "Waiting")];
    const { rows } = tableLayout(stats);
    assert.deepEqual(rows.map((r) => r.cells.map((c) => c?.id ?? null)), [["1", null], [null, "2"]]);
  });

  it("uses the label for a column without a name and the object id for a row without a label", () => {
    const { names, rows } = tableLayout([{ id: "x", objectId: "Q1", name: "", label: "" }]);
    assert.deepEqual(names, [""]);
    assert.equal(rows[0].label, "Q1");
  });
});

describe("cellView", () => {
  it("formats by unit and carries the threshold level as a class", () => {
    assert.deepEqual(cellView({ value: 125 }, "duration", { warning: 60, critical: 120 }),
                     { text: "2:05", className: "level-critical" });
    assert.deepEqual(cellView(undefined, "count", { warning: 1 }), { text: "–", className: "level-ok" });
  });
});

describe("columnTitle", () => {
  it("splits CamelCase names into words", () => {
    assert.equal(columnTitle("CurrentNumberWaitingCalls"), "Current Number Waiting Calls");
    assert.equal(columnTitle("Waiting"), "Waiting");
  });
});
