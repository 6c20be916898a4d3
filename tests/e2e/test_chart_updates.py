"""Issue 20's chart fast path in Chromium: what the charts draw is what the socket sent.

The page's WebSocket is wrapped (an init script, no product change) so that every
snapshot and update frame is kept; the expected history of each statistic is then
replayed in the page with the product's own mergeStat (static/js/values.js) and the
bridge's history length from the page config. A trend chart's Plotly trace must hold
exactly those points (epoch ms on a date axis); a KPI's canvas sparkline
(static/js/sparkline.js) must have drawn as many points, ink at the newest one, and no
Plotly figure at all.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.test_live_pages import sign_in
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser

KEEP_FRAMES = r"""
(() => {
  window.__frames = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    set onmessage(handler) {
      super.onmessage = (event) => {
        try {
          const m = JSON.parse(event.data);
          if (m.type === "snapshot" || m.type === "update") window.__frames.push(m);
        } catch { /* not ours to judge */ }
        handler(event);
      };
    }
    get onmessage() { return super.onmessage; }
  };
})();
"""

# Replays the frames as the board does; `ok` when every chart shows what was sent.
DRAWN_EQUALS_SENT = r"""
() => {
  const config = JSON.parse(document.getElementById("page-config").textContent).pages[0];
  const sent = new Map();
  for (const frame of window.__frames) {
    for (const stat of frame.statistics || []) {
      const entry = window.__values.mergeStat(sent.get(stat.id), stat, config.history);
      if (entry) sent.set(stat.id, entry);
    }
  }
  const report = { trends: [], kpis: [] };
  for (const widget of config.widgets) {
    const tile = document.querySelector(`.tile[data-widget="${widget.id}"]`);
    const history = sent.get(widget.statistics[0]?.id)?.history || [];
    if (widget.kind === "line") {
      const trace = tile.querySelector(".js-plotly-plot")?.data?.[0];
      const same = trace && history.length > 0 && trace.y.length === history.length
        && history.every((p, i) => Number(trace.x[i]) === p[0] && trace.y[i] === p[1]);
      report.trends.push(Boolean(same));
      report.why = [trace?.y?.length, history.length, JSON.stringify(history.slice(-2))];
    }
    if (widget.kind === "kpi") {
      const canvas = tile.querySelector("canvas.sparkline");
      if (!canvas || tile.querySelector(".js-plotly-plot") || !history.length) { report.kpis.push(false); continue; }
      const box = tile.querySelector(".chart.spark");
      const pts = window.__spark.sparkPoints(history, box.clientWidth, box.clientHeight, 2);
      const [x, y] = pts[pts.length - 1].map((v) => Math.round(v * (window.devicePixelRatio || 1)));
      const ink = canvas.getContext("2d").getImageData(Math.max(x - 2, 0), Math.max(y - 2, 0), 4, 4).data
        .some((v, i) => i % 4 === 3 && v > 0);
      report.kpis.push(Number(canvas.dataset.points) === history.length && ink);
      (report.kwhy ??= []).push([canvas.dataset.points, history.length, ink]);
    }
  }
  const all = [...report.trends, ...report.kpis];
  report.ok = all.length > 0 && all.every(Boolean);
  report.frames = window.__frames.length;
  return report;
}
"""


def test_charts_draw_exactly_the_values_sent(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, dashboard_server)
    page.add_init_script(KEEP_FRAMES)
    page.goto(dashboard_server.extra["url"] + "/dashboards/queues/")
    page.evaluate(
        "async () => { window.__values = await import('/static/js/values.js');"
        " window.__spark = await import('/static/js/sparkline.js'); }"
    )
    page.evaluate(f"() => {{ window.__check = {DRAWN_EQUALS_SENT}; }}")
    try:
        page.wait_for_function("() => window.__check().ok", polling=100, timeout=30_000)
    except PlaywrightTimeout:
        pass  # the report below says which chart differs
    report = page.evaluate("() => window.__check()")
    assert report["ok"], report
    assert report["trends"] and report["kpis"], report  # the demo page has both kinds
    page_loads_plotly = page.evaluate(
        "() => performance.getEntriesByType('resource').some((r) => r.name.includes('plotly.min.js'))"
    )
    assert page_loads_plotly, "the queues page has a trend and a bar: Plotly is still needed there"
    assert not errors, errors
