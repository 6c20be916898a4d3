"""Issue 20's trend canvas (static/js/trend-canvas.js) in Chromium, without Plotly on the page.

The product's static/js is served by a Playwright route (no server: the data is ours, so
each check knows exactly what must be on the canvas); the figures are the server's own
(dashboard/boards/figures.py, light and dark). Checked: every point stroked, the line's
colour at the newest point, sharp at a devicePixelRatio of 2, the theme's label and grid
colours, the legend of a two-line trend (names as text), a trend and a KPI sparkline drawn
while hidden (a wallboard's other page) appear when shown, a resize redraws at the new
size, and hover shows the nearest point's time and value. The live pages are covered by
tests/e2e/test_chart_updates.py, test_screen_fixes.py and test_history_compare_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dashboard.boards.figures import figure_for
from tests.conftest import ARTIFACTS
from tests.support.processes import ROOT

pytestmark = pytest.mark.browser

ORIGIN = "http://trend.invalid"
PAGE = """<!doctype html><html lang="en"><head><link rel="stylesheet" href="/static/css/base.css">
<link rel="stylesheet" href="/static/css/wallboard.css"></head><body class="{body}">
<div id="shown" class="chart" style="width:900px;height:220px"></div>
<div id="box" hidden><div id="later" class="chart" style="width:600px;height:220px"></div>
<div id="spark" class="chart spark" style="width:300px;height:50px"></div></div></body></html>"""

# Builds a Chart of kind `kind` in `#id` with `points` points per statistic, `spacing` ms
# apart and ending now (a shape, a gap at index 10), and draws it through the product's
# Chart.draw.
SETUP = r"""
async ([id, kind, figure, names, points, spacing = 2000]) => {
  const { Chart } = await import("/static/js/charts.js");
  window.__spark = await import("/static/js/sparkline.js");
  const now = Date.now();
  const histories = names.map((_, s) => Array.from({ length: points }, (_, i) =>
    [now - (points - i) * spacing, i === 10 ? null : Math.round(20 + 10 * Math.sin(i / 40 + s) + s * 15)]));
  const statistics = names.map((label, s) => ({ id: `s${s}`, label, unit: "count" }));
  const widget = { kind, figure, statistics, format: String, colourFor: () => "#2da44e" };
  const values = new Map(histories.map((h, s) => [`s${s}`, { value: h.at(-1)[1], history: h }]));
  const chart = new Chart(document.getElementById(id), widget);
  chart.draw(values);
  (window.__charts ??= {})[id] = { chart, values, histories };
  return { plotly: typeof Plotly !== "undefined" };
}
"""

# Some pixel within 2 CSS px of (x, y) has `colour` (opaque).
COLOUR_AT = r"""
([id, x, y, colour]) => {
  const canvas = document.querySelector(`#${id} canvas`);
  const ratio = canvas.width / canvas.clientWidth;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  const box = canvas.getContext("2d").getImageData(Math.round((x - 2) * ratio), Math.round((y - 2) * ratio),
                                                   Math.ceil(4 * ratio) + 1, Math.ceil(4 * ratio) + 1).data;
  for (let i = 0; i < box.length; i += 4) {
    if (box[i + 3] > 200 && Math.abs(box[i] - r) + Math.abs(box[i + 1] - g) + Math.abs(box[i + 2] - b) < 40) return true;
  }
  return false;
}
"""

# How many opaque pixels of `colour` a region [x, y, w, h] (CSS px) of #id's canvas has.
COLOUR_COUNT = r"""
([id, region, colour]) => {
  const canvas = document.querySelector(`#${id} canvas`);
  const ratio = canvas.width / canvas.clientWidth;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  const data = canvas.getContext("2d").getImageData(...region.map((v) => Math.round(v * ratio))).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30) n++;
  }
  return n;
}
"""


def serve(route: Any, body_class: str) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("?")[0]
    if path == "/":
        route.fulfill(body=PAGE.format(body=body_class), content_type="text/html")
    elif path.startswith("/static/") and ".." not in path:
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        route.fulfill(path=str(ROOT / path.lstrip("/")), content_type=kind)
    else:
        route.fulfill(status=404, body="")


@pytest.fixture
def open_page(browser) -> Iterator:  # type: ignore[no-untyped-def]
    contexts = []

    def opener(scale: float = 1, body_class: str = "") -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=scale)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        page.route(ORIGIN + "/**", lambda route: serve(route, body_class))
        page.goto(ORIGIN + "/")
        return page

    yield opener
    for context in contexts:
        context.close()


def drawn(page: Any, id: str = "shown") -> dict:
    return page.evaluate(f"() => document.querySelector('#{id} canvas')?.trend?.drawn")


def newest_at(page: Any, id: str, series: int = 0) -> list[float]:
    return page.evaluate(
        f"""() => {{ const c = window.__charts['{id}'], t = c.chart.trend, p = c.histories[{series}].at(-1);
                    return [t.x(p[0]), t.y(p[1])]; }}"""
    )


@pytest.mark.parametrize("scale", [1, 2])
def test_a_trend_draws_every_point_sharp_and_without_plotly(open_page, scale: float) -> None:  # type: ignore[no-untyped-def]
    page = open_page(scale)
    figure = figure_for("line", ["Calls waiting"])
    result = page.evaluate(SETUP, ["shown", "line", figure, ["Calls waiting"], 1000])
    assert not result["plotly"]  # nothing of Plotly on the page, and the trend is drawn
    out = drawn(page)
    assert out["series"][0]["points"] == 999  # 1,000 points, one of them without a value (a gap)
    assert page.evaluate("() => document.querySelector('#shown canvas').width") == 900 * scale
    assert page.evaluate("() => document.querySelector('#shown canvas').height") == 220 * scale
    x, y = newest_at(page, "shown")
    assert page.evaluate(COLOUR_AT, ["shown", x, y, "#1f6feb"]), (x, y)
    assert out["window"][1] - out["window"][0] >= 30 * 60 * 1000  # issue 17: at least half an hour
    assert len(out["xTicks"]) >= 4 and all(len(t) == 5 and t[2] == ":" for t in out["xTicks"]), out["xTicks"]
    assert out["yTicks"][0] == "0" and len(out["yTicks"]) >= 3, out["yTicks"]
    assert not page.locator("#shown .trend-legend").is_visible()  # one line: no legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#shown").screenshot(path=str(ARTIFACTS / f"trend-canvas-x{scale}.png"))
    assert not page.errors, page.errors


@pytest.mark.parametrize(
    ("theme", "body_class", "ink", "grid"),
    [
        ("light", "", "#18202b", "#e5e9ef"),
        ("dark", "wallboard theme-dark", "#e6edf3", "#30363d"),
    ],
)
def test_labels_and_grid_take_the_theme_and_a_wallboard_reads_larger(  # type: ignore[no-untyped-def]
    open_page, theme: str, body_class: str, ink: str, grid: str
) -> None:
    page = open_page(1, body_class)
    page.evaluate(SETUP, ["shown", "line", figure_for("line", ["Q"], theme), ["Q"], 300])
    out = drawn(page)
    plot = out["plot"]
    labels = [0, plot["bottom"] + 2, 900, 220 - plot["bottom"] - 2]  # the time labels' strip
    assert page.evaluate(COLOUR_COUNT, ["shown", labels, ink]) > 30  # text in the theme's ink
    grid_area = [plot["left"], plot["top"], plot["right"] - plot["left"], plot["bottom"] - plot["top"]]
    assert page.evaluate(COLOUR_COUNT, ["shown", grid_area, grid]) > 100  # grid lines in the theme's colour
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#shown')).fontSize)")
    assert size >= (18 if theme == "dark" else 13), size  # across a room: larger labels on a wallboard
    page.locator("#shown").screenshot(path=str(ARTIFACTS / f"trend-canvas-{theme}.png"))


def test_two_lines_get_a_legend_of_text_each_in_its_colour(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    names = ["Sales", "<img src=x onerror=alert(1)>"]
    page.evaluate(SETUP, ["shown", "line", figure_for("line", names), names, 200])
    legend = page.locator("#shown .trend-legend")
    assert legend.is_visible()
    assert legend.locator("> span").all_inner_texts() == names  # text, never markup
    assert page.locator("#shown img").count() == 0
    for series, colour in ((0, "#1f6feb"), (1, "#2da44e")):
        x, y = newest_at(page, "shown", series)
        assert page.evaluate(COLOUR_AT, ["shown", x, y, colour]), (series, x, y)


def test_charts_drawn_while_hidden_appear_when_shown_and_follow_a_resize(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    page.evaluate(SETUP, ["later", "line", figure_for("line", ["Q"]), ["Q"], 100])
    page.evaluate(SETUP, ["spark", "kpi", figure_for("kpi", ["Q"]), ["Q"], 100])
    assert drawn(page, "later") is None  # no size while hidden: nothing drawn yet
    page.evaluate("() => { document.getElementById('box').hidden = false; }")  # the wallboard shows this page
    page.wait_for_function(
        "() => document.querySelector('#later canvas').trend.drawn?.series[0].points === 99"
        " && document.querySelector('#spark canvas').width === 300",  # drawn at its size, not the hidden 1 px
        timeout=5_000,
    )
    x, y = newest_at(page, "later")
    assert page.evaluate(COLOUR_AT, ["later", x, y, "#1f6feb"])
    page.evaluate("() => { document.getElementById('later').style.width = '420px'; }")
    page.wait_for_function("() => document.querySelector('#later canvas').trend.drawn.width === 420", timeout=5_000)
    assert page.evaluate("() => document.querySelector('#later canvas').width") == 420
    x, y = newest_at(page, "later")
    assert x <= 420 and page.evaluate(COLOUR_AT, ["later", x, y, "#1f6feb"])


def test_hover_shows_the_nearest_points_time_and_value(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    page.evaluate(SETUP, ["shown", "line", figure_for("line", ["Calls waiting"]), ["Calls waiting"], 25, 60_000])
    box = page.locator("#shown canvas").bounding_box()
    point = page.evaluate(
        """() => { const c = window.__charts.shown, p = c.histories[0][12];
                   return { x: c.chart.trend.x(p[0]), value: p[1],
                            time: new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit',
                                                                  hourCycle: 'h23' }).format(p[0]) }; }"""
    )
    tip = page.locator("#shown .trend-tip")
    assert not tip.is_visible()
    page.mouse.move(box["x"] + point["x"] + 0.4, box["y"] + 100)
    tip.wait_for(state="visible", timeout=2_000)
    assert tip.inner_text().split("\n") == [point["time"], f"Calls waiting: {point['value']}"]
    page.mouse.move(box["x"] + box["width"] + 50, box["y"] + 300)  # off the chart
    tip.wait_for(state="hidden", timeout=2_000)
