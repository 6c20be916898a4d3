// static/js/plotly-loader.js: one <script> tag for every waiting chart, injected only
// after a paint, a clear error and a retry when it fails (the loading itself, through
// the real server, is in tests/e2e/test_plotly_loader.py).
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import { ensurePlotly, plotlySource, resetPlotlyLoader } from "../../../static/js/plotly-loader.js";

// A document with just what the loader touches: its module script's data-plotly-src
// and a <head> that records the scripts appended to it.
function fakePage(src = "/static/vendor/plotly.min.js") {
  const appended = [];
  const doc = {
    querySelector: (selector) => (src && selector === "script[data-plotly-src]" ? { dataset: { plotlySrc: src } } : null),
    createElement: () => {
      const listeners = {};
      return {
        dataset: {},
        addEventListener: (type, fn) => { listeners[type] = fn; },
        fire: (type) => listeners[type](),
        remove() { this.removed = true; },
      };
    },
    head: { append: (el) => appended.push(el) },
  };
  const paints = [];
  return { doc, win: {}, appended, paints, later: (fn) => paints.push(fn) };
}

describe("ensurePlotly", () => {
  beforeEach(() => resetPlotlyLoader());

  it("resolves at once when Plotly is already there, injecting nothing", async () => {
    const page = fakePage();
    page.win.Plotly = { newPlot() {} };
    assert.equal(await ensurePlotly(page), page.win.Plotly);
    assert.equal(page.appended.length, 0);
  });

  it("waits for a paint, then injects one tag for every caller", async () => {
    const page = fakePage();
    const first = ensurePlotly(page), second = ensurePlotly(page);
    assert.equal(page.appended.length, 0, "nothing before the values are painted");
    assert.equal(page.paints.length, 1);
    page.paints[0]();
    assert.equal(page.appended.length, 1);
    assert.equal(page.appended[0].src, "/static/vendor/plotly.min.js");
    page.win.Plotly = { ok: true };
    page.appended[0].fire("load");
    assert.equal(await first, page.win.Plotly);
    assert.equal(await second, page.win.Plotly);
  });

  it("rejects with the URL when the file fails, and tries again on the next call", async () => {
    const page = fakePage();
    const failed = ensurePlotly(page);
    page.paints[0]();
    page.appended[0].fire("error");
    await assert.rejects(failed, /did not load from \/static\/vendor\/plotly\.min\.js/);
    assert.ok(page.appended[0].removed);
    const retry = ensurePlotly(page);
    page.paints[1]();
    page.win.Plotly = {};
    page.appended[1].fire("load");
    assert.equal(await retry, page.win.Plotly);
  });

  it("rejects when the script ran but defined no Plotly", async () => {
    const page = fakePage();
    const loading = ensurePlotly(page);
    page.paints[0]();
    page.appended[0].fire("load");
    await assert.rejects(loading, /defined no window\.Plotly/);
  });

  it("rejects clearly on a page whose template names no plotly.js", async () => {
    const page = fakePage(null);
    await assert.rejects(ensurePlotly(page), /names no source/);
    assert.equal(page.paints.length, 0);
  });
});

describe("plotlySource", () => {
  it("reads the template's data-plotly-src, or null without a document", () => {
    assert.equal(plotlySource(fakePage("/s/p.js").doc), "/s/p.js");
    assert.equal(plotlySource(undefined), null);
  });
});
