"""What looked wrong on screen (issue 17), each fixed and checked in Chromium against the
real server and simulator: a service level with no calls, a one-point trend's axis, the
gauge's end label, the critical icon, table headers, and KPI tiles in a tall row."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.test_drilldown import CHARTS_FIT
from tests.e2e.test_live_pages import control, sign_in
from tests.support.processes import ManagedProcess, manage

pytestmark = pytest.mark.browser

CLOSED_QUEUE = "8008@SIP_Switch"
QUEUES = [f"800{n}@SIP_Switch" for n in range(1, 9)]


def _stat(name: str, object_type: str = "Tenant", object_id: str = "Environment", **more: str) -> dict:
    return {"name": name, "objectType": object_type, "objectId": object_id, **more}


FILE = {
    "dashboards": [
        {
            "slug": "fixes",
            "title": "Fixes",
            "columns": 4,
            "groups": ["Supervisors"],
            "widgets": [
                {
                    "type": "kpi",
                    "title": "Closed queue SL",
                    "statistics": [_stat("ServiceFactor", "Queue", CLOSED_QUEUE, unit="percent")],
                    "thresholds": {"warning": 80, "critical": 70, "direction": "below"},
                },
                {
                    "type": "gauge",
                    "title": "Service level",
                    "statistics": [_stat("ServiceFactor", unit="percent")],
                },
                {
                    "type": "kpi",
                    "title": "Always critical",
                    "statistics": [_stat("CurrentNumberLoggedInAgents")],
                    "thresholds": {"warning": 2000, "critical": 1000, "direction": "below"},
                },
                {"type": "line", "title": "Trend", "statistics": [_stat("CurrentNumberWaitingCalls")]},
                {"type": "kpi", "title": "Tall row KPI", "statistics": [_stat("TotalNumberInboundCalls")]},
                {
                    "type": "table",
                    "title": "Queues",
                    "width": 3,
                    "statistics": [_stat("CurrentNumberWaitingCalls", "Queue", q, label=q) for q in QUEUES]
                    + [_stat("ServiceFactor", "Queue", q, label=q, unit="percent") for q in QUEUES],
                },
            ],
        }
    ]
}


@pytest.fixture(scope="module")
def fixes_page(dashboard_server: ManagedProcess, browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator:  # type: ignore[no-untyped-def]
    """The dashboard above, open once the bridge follows it (it re-reads the
    configuration within 30 s: the import ran in another process)."""
    path: Path = tmp_path_factory.mktemp("fixes") / "fixes.json"
    path.write_text(json.dumps(FILE))
    manage(dashboard_server.env, "import_dashboards", str(path))
    control(dashboard_server, "queue-closed", {"queue": CLOSED_QUEUE, "closed": True})
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    sign_in(page, dashboard_server)
    page.goto(dashboard_server.extra["url"] + "/dashboards/fixes/")
    tall = page.locator(".tile", has_text="Tall row KPI")
    tall.locator(".big:not(:text-is('–'))").wait_for(timeout=90_000)
    page.reload()  # the snapshot now carries every statistic
    page.wait_for_function("() => document.querySelector('.tile.kind-line canvas.trend-canvas')?.trend?.drawn")
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screen-fixes-1920.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_function(CHARTS_FIT, timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "screen-fixes-1366.png"), full_page=True)
    context.close()


def test_a_queue_offered_no_calls_shows_no_calls_and_does_not_breach(fixes_page) -> None:  # type: ignore[no-untyped-def]
    tile = fixes_page.locator(".tile", has_text="Closed queue SL")
    tile.locator(".big:text-is('no calls')").wait_for(timeout=60_000)
    assert "level-ok" in (tile.get_attribute("class") or "")
    assert tile.locator(".badge").inner_text() == ""
    row = fixes_page.locator("table.queues tr", has_text=CLOSED_QUEUE)
    row.locator("td.no-calls:text-is('no calls')").wait_for(timeout=20_000)


def test_a_trend_shows_the_last_half_hour_not_milliseconds(fixes_page) -> None:  # type: ignore[no-untyped-def]
    drawn = fixes_page.evaluate(  # what the trend's canvas drew (static/js/trend-canvas.js)
        """() => { const { window, xTicks } = document.querySelector('.tile.kind-line canvas.trend-canvas').trend.drawn;
                   return { span: window[1] - window[0], end: window[1], now: Date.now(), ticks: xTicks }; }"""
    )
    assert drawn["span"] >= 29 * 60 * 1000, drawn
    assert drawn["end"] <= drawn["now"], drawn  # it ends at the time of its last draw, not in the future
    ticks = drawn["ticks"]
    assert len(ticks) >= 3 and all(re.fullmatch(r"\d\d:\d\d", t) for t in ticks), ticks  # clock times, no fractions


def test_the_gauge_shows_its_maximum_label_whole(fixes_page) -> None:  # type: ignore[no-untyped-def]
    # Cut where the gauge is as wide as its tile: a 4-column dashboard on a 1366 px screen.
    fixes_page.set_viewport_size({"width": 1366, "height": 768})
    fixes_page.wait_for_function(
        # `?.`: Plotly (the gauge's renderer) loads after the first values (plotly-loader.js)
        "() => document.querySelector('.tile.kind-gauge .main-svg')?.getBoundingClientRect().width < 320",
        timeout=30_000,
    )
    box = fixes_page.evaluate(
        """() => { const tile = document.querySelector('.tile.kind-gauge');
                   const svg = tile.querySelector('.main-svg').getBoundingClientRect();
                   const labels = [...tile.querySelectorAll('.xangularaxistick text')];
                   const last = labels.find((t) => t.textContent === '100').getBoundingClientRect();
                   const first = labels.find((t) => t.textContent === '0').getBoundingClientRect();
                   return {svgLeft: svg.left, svgRight: svg.right, left: first.left, right: last.right}; }"""
    )
    fixes_page.set_viewport_size({"width": 1920, "height": 1080})
    assert box["right"] <= box["svgRight"] and box["left"] >= box["svgLeft"], box


def test_the_critical_icon_is_an_inline_svg_not_an_emoji(fixes_page) -> None:  # type: ignore[no-untyped-def]
    badge = fixes_page.locator(".tile.level-critical", has_text="Always critical").locator(".badge")
    badge.locator("svg.icon-critical").wait_for(timeout=30_000)
    text = badge.inner_text()
    assert text.startswith("Critical for"), text
    assert all(ord(ch) < 0x2000 for ch in text), f"a symbol that needs an emoji font: {text!r}"


def test_table_headers_read_as_labels(fixes_page) -> None:  # type: ignore[no-untyped-def]
    headers = fixes_page.locator(".tile.kind-table thead th").all_inner_texts()
    assert headers == ["Queue", "Calls waiting", "Service level"], headers


def test_a_kpi_in_a_tall_row_fills_its_tile(fixes_page) -> None:  # type: ignore[no-untyped-def]
    # The row settles once every chart has drawn (the gauge's Plotly comes after the first
    # values): wait for the fitted number, then measure (a number that never fits fails here).
    fixes_page.wait_for_function(
        """() => { const tile = [...document.querySelectorAll('.tile.kind-kpi')]
                     .find((t) => t.textContent.includes('Tall row KPI'));
                   return tile && tile.querySelector('.big').getBoundingClientRect().height > 90; }""",
        timeout=30_000,
    )
    sizes = fixes_page.evaluate(
        """() => { const tile = [...document.querySelectorAll('.tile.kind-kpi')]
                     .find((t) => t.textContent.includes('Tall row KPI'));
                   const h = (sel) => tile.querySelector(sel).getBoundingClientRect().height;
                   return {body: h('.body'), big: h('.big'), spark: h('.spark'),
                           table: document.querySelector('.tile.kind-table').getBoundingClientRect().height}; }"""
    )
    assert sizes["body"] > 250, sizes  # the row is tall: the table sets it
    assert (sizes["big"] + sizes["spark"]) / sizes["body"] > 0.7, sizes
    assert sizes["big"] > 90, sizes  # the number grew with the tile
