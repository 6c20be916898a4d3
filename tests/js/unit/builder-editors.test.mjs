// Who else is editing, and when a newer draft is someone else's (static/js/builder/editors.js).
import { test } from "node:test";
import assert from "node:assert/strict";

import { describeEditing } from "../../../static/js/builder/editors.js";

const at = "2026-11-30T13:40:12+00:00";

test("another editor and their save are named; a newer revision asks to load it", () => {
  const info = { editors: [{ username: "bob", seenAt: at }], draft: { revision: 3, updatedBy: "bob", updatedAt: at } };
  const seen = describeEditing(info, 2, "ann");
  assert.ok(seen.text.startsWith("Also editing now: bob (seen "), seen.text);
  assert.ok(seen.text.includes("Draft last saved by bob at "), seen.text);
  assert.ok(seen.text.includes("bob saved a newer draft: load it"), seen.text);
  assert.equal(seen.newer, true);
  assert.equal(describeEditing(info, 3, "ann").newer, false);
});

test("my own save is not announced; one from my other window is", () => {
  const mine = { editors: [], draft: { revision: 4, updatedBy: "ann", updatedAt: at } };
  assert.deepEqual(describeEditing(mine, 4, "ann"), { text: "", newer: false, busy: false });
  assert.ok(describeEditing(mine, 3, "ann").text.includes("You (in another window) saved a newer draft"));
});

test("a draft gone since I loaded it (published or discarded) is newer too; none before is not", () => {
  assert.equal(describeEditing({ editors: [], draft: null }, 2, "ann").newer, true);
  assert.equal(describeEditing({ editors: [], draft: null }, 0, "ann").newer, false);
});
