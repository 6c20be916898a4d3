"""Issue 20's chart fast path in Chromium: what the charts draw is what the socket sent.

The page's WebSocket is wrapped (an init script, no product change) so that every
snapshot and update frame is kept; the expected history of each statistic is then
replayed in the page with the product's own mergeStat (static/js/values.js) and the
bridge's history length from the page config. A trend's canvas (static/js/trend-canvas.js)
must have been handed exactly those points and stroked every one of them, with its line's
colour at the newest point; a KPI's canvas sparkline (static/js/sparkline.js) must have
drawn as many points with ink at the newest one. Neither may have a Plotly figure.
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
# `lineColourAt`: some pixel within 2 px of (x, y) (CSS px) has the line's colour.
DRAWN_EQUALS_SENT = r"""
() => {
  const lineColourAt = (canvas, x, y, colour) => {
    const ratio = canvas.width / canvas.clientWidth;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const box = canvas.getContext("2d").getImageData(Math.round((x - 2) * ratio), Math.round((y - 2) * ratio),
                                                     Math.ceil(4 * ratio) + 1, Math.ceil(4 * ratio) + 1).data;
    for (let i = 0; i < box.length; i += 4) {
      if (box[i + 3] > 200 && Math.abs(box[i] - r) + Math.abs(box[i + 1] - g) + Math.abs(box[i + 2] - b) < 40) return true;
    }
    return false;
  };
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
      const trend = tile.querySelector("canvas.trend-canvas")?.trend;
      const line = trend?.series[0], drawn = trend?.drawn?.series[0];
      const same = Boolean(line && drawn) && !tile.querySelector(".js-plotly-plot") && history.length > 0
        && line.points.length === history.length && drawn.points === history.length
        && history.every((p, i) => line.points[i][0] === p[0] && line.points[i][1] === p[1]);
      const newest = history[history.length - 1];
      const ink = same && lineColourAt(trend.canvas, trend.x(newest[0]), trend.y(newest[1]), line.colour);
      report.trends.push(same && ink);
      report.why = [line?.points?.length, drawn?.points, history.length, ink, JSON.stringify(history.slice(-2))];
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
    # The bar still needs Plotly, which plotly-loader.js fetches after the first values.
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some((r) => r.name.includes('plotly.min.js'))",
        timeout=30_000,
    )
    assert not errors, errors
