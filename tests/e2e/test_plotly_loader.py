"""Issue 20: Plotly (4.8 MB) loads after a page's first values, not before them.

Through the real server (rundashboard with its embedded simulator) in Chromium: the
demo "queues" dashboard has KPI tiles, a table and a trend (no Plotly: canvases of our
own) beside a bar (Plotly). With plotly.min.js held back by a Playwright route, the
values and the trend must already be on screen while `window.Plotly` is undefined and the
bar's tile stands empty; released, the bar draws its traces. Every request stays on our own origin (a wallboard in a
closed network), and the page logs no console error.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_live_pages import sign_in
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser

PLOTLY = "**/static/vendor/plotly.min.js*"

# Every Plotly chart tile (the bar; trends draw on a canvas of their own) has drawn: a
# Plotly div with at least one trace with points.
CHARTS_DRAWN = """() => {
  const tiles = [...document.querySelectorAll('.tile.kind-bar')];
  return tiles.length >= 1 && tiles.every((tile) => {
    const data = tile.querySelector('.js-plotly-plot')?.data;
    return Array.isArray(data) && data.length > 0 && data.some((t) => (t.y || t.values || []).length > 0);
  });
}"""

# KPI numbers and table cells showing a value rather than the placeholder.
VALUES_SHOWN = """() => {
  const kpis = [...document.querySelectorAll('.kpi .big')];
  const cells = [...document.querySelectorAll('table.queues td')];
  const shown = (el) => el.textContent.trim() !== '' && el.textContent.trim() !== '–';
  return kpis.length > 0 && cells.length > 0 && kpis.every(shown) && cells.filter(shown).length > 0;
}"""


def watch_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"console: {msg.text}"))
    return errors


def test_first_values_are_on_screen_before_plotly_loads(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, dashboard_server)
    errors = watch_errors(page)
    held: list = []
    page.route(PLOTLY, lambda route: held.append(route))  # answered only when released below
    page.goto(dashboard_server.extra["url"] + "/dashboards/queues/", wait_until="commit")
    page.wait_for_function(VALUES_SHOWN, polling=100, timeout=30_000)
    before = page.evaluate(
        """() => ({ plotly: typeof window.Plotly,
                   tiles: document.querySelectorAll('.tile.kind-bar').length,
                   drawn: document.querySelectorAll('.js-plotly-plot').length })"""
    )
    assert before == {"plotly": "undefined", "tiles": 1, "drawn": 0}, before
    # The trend needs no Plotly: its canvas has points while plotly.js is still held back.
    page.wait_for_function(
        "() => Number(document.querySelector('.tile.kind-line canvas')?.dataset.points || 0) > 0",
        polling=100,
        timeout=30_000,
    )
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    page.wait_for_function("() => document.querySelector('script[data-plotly-loader]')", timeout=30_000)
    assert len(held) == 1, "the loader asks for plotly.js once, however many charts wait"
    held[0].continue_()
    page.wait_for_function(CHARTS_DRAWN, polling=100, timeout=30_000)
    assert page.evaluate("() => typeof window.Plotly") == "object"
    assert not errors, errors


def test_charts_draw_after_the_loader_from_our_own_static_copy(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    base = dashboard_server.extra["url"]
    sign_in(page, dashboard_server)
    errors = watch_errors(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "/dashboards/queues/")
    page.wait_for_function(CHARTS_DRAWN, polling=100, timeout=30_000)
    scripts = page.evaluate(
        """() => [...document.scripts].map((s) => ({ src: s.getAttribute('src'), loader: 'plotlyLoader' in s.dataset,
                                                      module: s.type === 'module' }))"""
    )
    plotly = [s for s in scripts if s["src"] and "plotly" in s["src"]]
    assert plotly == [{"src": "/static/vendor/plotly.min.js", "loader": True, "module": False}], scripts
    assert all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
    assert not errors, errors
