"""Supervisors' drill-down and agent grid (issue 17), in Chromium against the real server
and simulator: from a queue (table row, bar, KPI) to the agents who serve it, live, with
their reasons; from an agent to their day; the grid's sort and filters kept in the URL,
carried by a wallboard; long not-ready coloured."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.test_live_pages import control, sign_in, wallboard_url
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser

QUEUE_PAGE = re.compile(r"/dashboards/queues/queues/8001%40SIP_Switch/agents/$")


# Plotly re-sizes its charts a little after the window (responsive), a trend's canvas when
# its box changes (trend-canvas.js): wait until each fits (a hidden trend draws nothing).
CHARTS_FIT = """() => [...document.querySelectorAll('.js-plotly-plot')].every((el) => {
  const svg = el.querySelector('.main-svg');
  return !svg || svg.getBoundingClientRect().width <= el.getBoundingClientRect().width + 1; })
  && [...document.querySelectorAll('canvas.trend-canvas')].every((c) => !c.trend.drawn
     || (c.trend.drawn.width === c.parentElement.clientWidth && c.trend.drawn.height === c.parentElement.clientHeight))"""


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshots of the page at both sizes the issue names, then back to 1920x1080."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1920, 1080), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(CHARTS_FIT, timeout=10_000)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": 1920, "height": 1080})


@pytest.fixture
def wide(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def test_a_queue_row_drills_down_to_its_agents_live_with_reasons(dashboard_server: ManagedProcess, wide) -> None:  # type: ignore[no-untyped-def]
    sign_in(wide, dashboard_server)
    wide.goto(dashboard_server.extra["url"] + "/dashboards/queues/")
    shoot(wide, "queues-dashboard")
    wide.locator("table.queues th a", has_text="Sales Inbound").click()
    wide.wait_for_url(QUEUE_PAGE)
    assert "Sales Inbound" in wide.locator("h1").inner_text()
    cards = wide.locator(".tile.kind-agent-grid .agent")
    cards.first.locator(".st:not(:text-is('–'))").wait_for(timeout=20_000)
    agent = cards.first.get_attribute("data-agent")
    assert agent
    try:
        control(dashboard_server, "agent-state", {"agent": agent, "state": "NotReady", "reason": "Training"})
        card = wide.locator(f".agent[data-agent='{agent}']")
        card.locator(".st:text-is('Not ready · Training')").wait_for(timeout=15_000)
        assert "state-NotReady" in (card.get_attribute("class") or "")
        shoot(wide, "queue-agents")
        card.locator("a.name").click()
        wide.wait_for_url(re.compile(rf"/dashboards/queues/agents/{agent}/$"))
        wide.locator("#board .agent .st:text-is('Not ready · Training')").wait_for(timeout=15_000)
        wide.locator("#today-note:has-text('as of')").wait_for(timeout=20_000)
        labels = wide.locator("#today dt").all_inner_texts()
        assert labels[:2] == ["Inbound calls", "Calls answered"], labels
        assert all(v not in ("", "–") for v in wide.locator("#today dd").all_inner_texts())
        shoot(wide, "agent-page")
    finally:
        control(dashboard_server, "agent-state", {"agent": agent, "state": "Ready"})


def test_a_bar_and_a_kpi_of_a_queue_drill_down_too(dashboard_server: ManagedProcess, wide) -> None:  # type: ignore[no-untyped-def]
    sign_in(wide, dashboard_server)
    wide.goto(dashboard_server.extra["url"] + "/dashboards/service-level/")
    bar = wide.locator(".tile.kind-bar .chart.drillable .point path >> visible=true").first
    bar.wait_for(timeout=30_000)  # a queue that answered calls has a bar to click
    box = bar.bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    wide.mouse.move(x, y)  # Plotly's drag layer takes the click for the bar under the pointer
    wide.mouse.click(x, y)
    wide.wait_for_url(re.compile(r"/dashboards/service-level/queues/800\d%40SIP_Switch/agents/$"))
    wide.locator(".tile.kind-kpi").first.wait_for()
    assert wide.locator(".tile .drill").count() == 0  # the page's own tiles link nowhere


def test_the_grid_sorts_and_filters_and_keeps_the_choice_in_the_url(dashboard_server: ManagedProcess, wide) -> None:  # type: ignore[no-untyped-def]
    agents = ("agent003", "agent004")
    sign_in(wide, dashboard_server)
    wide.goto(dashboard_server.extra["url"] + "/dashboards/agents/")
    grid = wide.locator(".tile.kind-agent-grid")
    grid.locator(".agent .st:not(:text-is('–'))").first.wait_for(timeout=20_000)
    try:
        for agent in agents:
            control(dashboard_server, "agent-state", {"agent": agent, "state": "NotReady", "reason": "Meeting"})
        grid.locator("button.chip[data-state='NotReady']").click()
        wide.wait_for_function("() => location.search.includes('state=NotReady')")
        for agent in agents:
            grid.locator(f".agent[data-agent='{agent}']:not([hidden]).state-NotReady").wait_for(timeout=15_000)
        visible = grid.locator(".agent:not([hidden])")
        assert all("state-NotReady" in (c.get_attribute("class") or "") for c in visible.all())
        grid.locator("select.grid-sort").select_option("tis")
        grid.locator(".grid-search").fill("meeting")
        wide.wait_for_function("() => location.search.includes('q=meeting')")
        query = parse_qs(urlparse(wide.evaluate("location.href")).query)
        assert query["sort"] == ["tis"] and query["q"] == ["meeting"]
        assert {c.get_attribute("data-agent") for c in visible.all()} >= set(agents)
        assert all("Meeting" in c.inner_text() for c in visible.all())
        shoot(wide, "agent-grid-filtered")
        wide.reload()  # the choice comes back from the URL
        grid.locator("button.chip[data-state='NotReady'][aria-pressed='true']").wait_for()
        assert grid.locator("select.grid-sort").input_value() == "tis"
        assert grid.locator(".grid-search").input_value() == "meeting"
        for agent in agents:
            grid.locator(f".agent[data-agent='{agent}']:not([hidden])").wait_for(timeout=15_000)
        assert grid.locator(".agent:not([hidden])").count() < grid.locator(".agent").count()
    finally:
        for agent in agents:
            control(dashboard_server, "agent-state", {"agent": agent, "state": "Ready"})


def test_a_wallboard_url_carries_the_grid_choice_and_long_not_ready_is_coloured(
    dashboard_server: ManagedProcess, wide
) -> None:  # type: ignore[no-untyped-def]
    agent = "agent005"
    control(dashboard_server, "agent-state", {"agent": agent, "state": "NotReady", "reason": "Break"})
    try:
        wide.goto(wallboard_url(dashboard_server) + "&state=NotReady&nr=1,2")
        card = wide.locator(f".grid:not([hidden]) .agent[data-agent='{agent}']")
        card.wait_for(timeout=30_000)  # the agents page is first in the rotation
        assert wide.locator(".grid:not([hidden]) .grid-tools").count() == 0  # kiosk: no controls
        assert "Not ready" in wide.locator(".grid:not([hidden]) .grid-choice").inner_text()
        shown = wide.locator(".grid:not([hidden]) .agent:not([hidden])")
        assert all("state-NotReady" in (c.get_attribute("class") or "") for c in shown.all())
        card.locator(".st:text-is('Not ready · Break')").wait_for(timeout=15_000)
        wide.locator(f".grid:not([hidden]) .agent.tis-critical[data-agent='{agent}']").wait_for(timeout=15_000)
        assert "critical" in (card.locator(".tis").get_attribute("title") or "")
        shoot(wide, "wallboard-not-ready")
    finally:
        control(dashboard_server, "agent-state", {"agent": agent, "state": "Ready"})
