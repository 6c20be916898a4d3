// static/js/builder/history-fields.js: after a change of type, a widget keeps only the
// history options its new type takes (the import refuses the others).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { COMPARE_CHOICES, tidyHistoryOptions } from "../../../static/js/builder/history-fields.js";

describe("tidyHistoryOptions", () => {
  it("keeps a comparison on line and kpi widgets and drops it elsewhere", () => {
    const line = { type: "line", compare: "last-week" };
    tidyHistoryOptions(line);
    assert.deepEqual(line, { type: "line", compare: "last-week" });
    const bar = { type: "bar", compare: "last-week" };
    tidyHistoryOptions(bar);
    assert.deepEqual(bar, { type: "bar" });
  });
  it("gives an intraday table its interval (30 by default) and takes it from others", () => {
    const table = { type: "intraday", compare: "yesterday" };
    tidyHistoryOptions(table);
    assert.deepEqual(table, { type: "intraday", interval: 30 });
    const kept = { type: "intraday", interval: 15 };
    tidyHistoryOptions(kept);
    assert.equal(kept.interval, 15);
    const kpi = { type: "kpi", interval: 15 };
    tidyHistoryOptions(kpi);
    assert.deepEqual(kpi, { type: "kpi" });
  });
  it("offers the compare modes the server accepts", () => {
    assert.deepEqual(COMPARE_CHOICES.map(([v]) => v), ["", "yesterday", "last-week", "four-weeks"]);
  });
});
