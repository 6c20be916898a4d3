// The builder's legibility arithmetic (static/js/builder/preview.js) and value format.
import { test } from "node:test";
import assert from "node:assert/strict";

import { mmPerPixel, neededMm } from "../../../static/js/builder/preview.js";
import { formatLive } from "../../../static/js/builder/dom.js";

test("20 minutes of arc at 5 m is 29 mm", () => {
  assert.ok(Math.abs(neededMm(5) - 29.1) < 0.1, String(neededMm(5)));
  assert.ok(Math.abs(neededMm(2) - neededMm(5) * 0.4) < 1e-9);
});

test("a 55-inch 16:9 screen is 1218 mm wide: 0.63 mm a pixel at 1080p, half that at 4K", () => {
  assert.ok(Math.abs(mmPerPixel(55, 1920) - 0.634) < 0.001, String(mmPerPixel(55, 1920)));
  assert.equal(mmPerPixel(55, 3840), mmPerPixel(55, 1920) / 2);
});

test("live values read as on the dashboard", () => {
  assert.equal(formatLive(75, "duration"), "1:15");
  assert.equal(formatLive(93.75, "percent"), "93.8 %");
  assert.equal(formatLive(null, "count"), "–");
});
