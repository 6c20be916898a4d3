// The page's translations and time zones as pure functions: the catalogue lookup,
// named placeholders, and times in a dashboard's zone whatever the machine's zone.

import { test, describe, afterEach } from "node:test";
import assert from "node:assert/strict";

import { gettext, interpolate, ngettext, useCatalogue } from "../../../static/js/i18n.js";
import { clockTime, dateTime, dayStart } from "../../../static/js/time-zone.js";
import { LEVEL_TEXT, ago } from "../../../static/js/format.js";
import { agentView, stateLabel } from "../../../static/js/values.js";

afterEach(() => useCatalogue({}));

describe("gettext", () => {
  test("returns the msgid without a catalogue, the translation with one", () => {
    assert.equal(gettext("Ready"), "Ready");
    useCatalogue({ Ready: "Bereit" });
    assert.equal(gettext("Ready"), "Bereit");
    assert.equal(gettext("On call"), "On call");  // not in the catalogue: itself
  });

  test("an empty translation falls back to the msgid", () => {
    useCatalogue({ Ready: "" });
    assert.equal(gettext("Ready"), "Ready");
  });

  test("interpolate fills named placeholders in the translation's order", () => {
    useCatalogue({ "{count} of {total} logged in": "{total} gesamt, {count} angemeldet" });
    assert.equal(interpolate(gettext("{count} of {total} logged in"), { count: 3, total: 5 }), "5 gesamt, 3 angemeldet");
    assert.equal(interpolate("{missing} stays", {}), "{missing} stays");
  });

  test("ngettext picks the form by count, from the catalogue's pair", () => {
    assert.equal(ngettext("{count} breach", "{count} breaches", 1), "{count} breach");
    assert.equal(ngettext("{count} breach", "{count} breaches", 3), "{count} breaches");
    useCatalogue({ "{count} breach": ["{count} Überschreitung", "{count} Überschreitungen"] });
    assert.equal(ngettext("{count} breach", "{count} breaches", 1), "{count} Überschreitung");
    assert.equal(ngettext("{count} breach", "{count} breaches", 0), "{count} Überschreitungen");
  });

  test("words drawn later follow the catalogue in use then", () => {
    useCatalogue({ Warning: "Warnung", Ready: "Bereit", "just now": "gerade eben" });
    assert.equal(LEVEL_TEXT.warning, "Warnung");
    assert.equal(stateLabel("Ready"), "Bereit");
    assert.equal(agentView({ state: "Ready" }, () => null).text, "Bereit");
    assert.equal(ago(Date.now()), "gerade eben");
  });
});

describe("time zones", () => {
  const at = Date.UTC(2026, 10, 30, 13, 5, 9);  // 13:05:09 UTC, winter: Berlin is UTC+1

  test("the clock reads the given zone, not the machine's", () => {
    assert.equal(clockTime(at, "Europe/Berlin", "de"), "14:05:09");
    assert.equal(clockTime(at, "UTC", "de"), "13:05:09");
    assert.equal(clockTime(at, "America/New_York", "en"), "08:05:09");
  });

  test("summer time moves the offset", () => {
    assert.equal(clockTime(Date.UTC(2026, 6, 1, 12, 0, 0), "Europe/Berlin", "de"), "14:00:00");
  });

  test("an unknown zone falls back to the browser's instead of throwing", () => {
    assert.match(clockTime(at, "Mars/Olympus", "de"), /^\d\d:\d\d:\d\d$/);
  });

  test("date and time in German for a tooltip", () => {
    assert.match(dateTime(at, "Europe/Berlin", "de"), /30\.11\.26.*14:05:09/);
  });

  test("the day starts at midnight in the zone, also on a DST day", () => {
    assert.equal(dayStart(at, "Europe/Berlin"), Date.UTC(2026, 10, 29, 23, 0, 0));
    assert.equal(dayStart(at, "UTC"), Date.UTC(2026, 10, 30, 0, 0, 0));
    // 29 March 2026: Berlin springs from 02:00 to 03:00; midnight was still UTC+1.
    assert.equal(dayStart(Date.UTC(2026, 2, 29, 12, 0, 0), "Europe/Berlin"), Date.UTC(2026, 2, 28, 23, 0, 0));
    // 25 October 2026: back from 03:00 to 02:00; midnight was UTC+2.
    assert.equal(dayStart(Date.UTC(2026, 9, 25, 20, 0, 0), "Europe/Berlin"), Date.UTC(2026, 9, 24, 22, 0, 0));
    assert.equal(dayStart(Date.UTC(2026, 10, 30, 3, 0, 0), "America/Los_Angeles"), Date.UTC(2026, 10, 29, 8, 0, 0));
  });
});
