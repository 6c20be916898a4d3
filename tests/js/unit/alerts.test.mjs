// The pure parts of static/js/alerts.js and static/js/alert-sound.js:
//   node --test tests/js/unit/
import { test } from "node:test";
import assert from "node:assert/strict";

import { AlertState, titleOf } from "../../../static/js/alerts.js";
import { AlertSound, MAX_BEEPS } from "../../../static/js/alert-sound.js";

const alert = { id: "al-1", rule: "Queue backing up", widget: "Calls waiting", label: "Sales", level: "critical",
  value: 12, threshold: 10, since: 1000, acknowledged_by: null };

test("an alert's title names the rule, the widget, the value and the threshold", () => {
  assert.equal(titleOf(alert), "Queue backing up: Calls waiting · Sales = 12 (threshold 10)");
});

test("events fold into one entry per alert: raised, repeated, acknowledged, cleared", () => {
  const state = new AlertState();
  assert.equal(state.apply("raised", alert, 1).loud, true);
  assert.equal(state.apply("repeated", alert, 2).loud, true);
  const acked = state.apply("acknowledged", { ...alert, acknowledged_by: "sam" }, 3);
  assert.equal(acked.state, "acknowledged");
  assert.equal(acked.loud, false);
  state.apply("cleared", alert, 4);
  const [entry] = state.list();
  assert.deepEqual(entry.events.map((e) => e.event), ["raised", "repeated", "acknowledged", "cleared"]);
  assert.equal(entry.events[2].by, "sam");
  assert.equal(entry.state, "cleared");
});

test("a snapshot without an open alert the page knew clears it; open ones come back acknowledged", () => {
  const state = new AlertState();
  state.apply("raised", alert, 1);
  state.snapshot([{ ...alert, id: "al-2", acknowledged_by: "sam" }]);
  const states = Object.fromEntries(state.list().map((i) => [i.alert.id, i.state]));
  assert.deepEqual(states, { "al-1": "cleared", "al-2": "acknowledged" });
});

test("the list keeps at most its limit, dropping cleared alerts first", () => {
  const state = new AlertState(3);
  for (let n = 0; n < 5; n++) state.apply("raised", { ...alert, id: `al-${n}` }, n);
  state.apply("cleared", { ...alert, id: "al-4" }, 9);
  assert.equal(state.list().length, 3);
});

test("the tone never loops: at most MAX_BEEPS per alert, and none when muted", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  const sound = new AlertSound(storage);
  let total = 0;
  for (let n = 0; n < 10; n++) total += sound.allowance("al-1", n === 0 ? 2 : 1);
  assert.equal(total, MAX_BEEPS);
  assert.equal(sound.allowance("al-2", 2), 2);
  assert.equal(sound.muted, false);
  sound.storage.setItem("alert-sound-muted", "1");
  assert.equal(new AlertSound(storage).muted, true);
  assert.equal(new AlertSound(storage).play(alert, "raised"), 0);
});

test("the same event arriving on several sockets of one wallboard counts once and sounds once", () => {
  const state = new AlertState();
  assert.equal(state.apply("raised", alert, 1000).loud, true);
  assert.equal(state.apply("raised", alert, 1200).loud, false);
  assert.equal(state.list()[0].events.length, 1);
});
