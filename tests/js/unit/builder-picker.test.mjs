// The picker names units as the server's catalogue does, in the editor's language.
import { test } from "node:test";
import assert from "node:assert/strict";

import { unitName } from "../../../static/js/builder/picker.js";

test("a unit reads as the catalogue names it", () => {
  const catalog = { unitChoices: [["count", "Anzahl"], ["duration", "Dauer (mm:ss)"]] };
  assert.equal(unitName(catalog, "duration"), "Dauer (mm:ss)");
});

test("a unit the catalogue does not name, or an older catalogue, shows its value", () => {
  assert.equal(unitName({ unitChoices: [["count", "Anzahl"]] }, "percent"), "percent");
  assert.equal(unitName({ units: ["count"] }, "count"), "count");
});
