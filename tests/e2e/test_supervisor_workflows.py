"""Supervisors' workflows in Chromium against the real server and simulator: the home
page's live breach counts, link state and wallboards' last-seen; a chart's data as
CSV from the chart; a personal copy of a dashboard, rearranged and with a widget hidden,
while the shared one stays as it was."""

from __future__ import annotations

import csv
import io

import pytest

from tests.e2e.test_live_pages import control
from tests.floor.helpers import open_wallboard, shoot, sign_in_as
from tests.support.processes import ManagedProcess, manage

pytestmark = pytest.mark.browser
EVIL_LABEL = '=HYPERLINK("http://127.0.0.1/evil","x")'


def tile_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.strip() for t in page.locator("#board .tile h2").all_inner_texts()]


def test_home_shows_live_breaches_link_state_and_wallboards_last_seen(
    dashboard_server: ManagedProcess, browser
) -> None:  # type: ignore[no-untyped-def]
    home = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    sign_in_as(home, dashboard_server, "admin", "admin")
    floor_row = home.locator("#wallboard-list tr[data-wallboard=floor]")
    assert floor_row.locator(".last-seen").inner_text().strip() == "never"
    home.locator("#link-state:has-text('Link to Genesys: connected')").wait_for(timeout=30_000)
    agents = home.locator("[data-dashboard=agents] .breaches")
    agents.locator("xpath=self::*[not(contains(., 'checking'))]").wait_for(timeout=30_000)
    home.evaluate("window.sameDocument = true")
    # Force most of the floor not ready: "Not ready" (critical at 15) and "Ready agents" breach.
    for n in range(1, 31):
        control(dashboard_server, "agent-state", {"agent": f"agent{n:03d}", "state": "NotReady", "reason": "Meeting"})
    home.locator("[data-dashboard=agents] .breaches.critical").wait_for(timeout=30_000)
    assert "critical" in agents.inner_text()
    assert home.evaluate("window.sameDocument") is True  # live, not a reload
    open_wallboard(browser, dashboard_server)
    home.reload()
    assert "ago" in floor_row.locator(".last-seen").inner_text()
    home.locator("[data-dashboard=agents] .breaches.critical").wait_for(timeout=30_000)
    shoot(home, "home-admin")
    supervisor = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in_as(supervisor, dashboard_server)
    assert supervisor.locator("#wallboard-list").count() == 0  # admins only
    supervisor.locator("[data-dashboard=agents] .breaches.critical").wait_for(timeout=30_000)
    shoot(supervisor, "home-supervisor")


def test_a_chart_gives_its_visible_data_as_csv(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    code = (
        "from dashboard.models import Widget; w = Widget.objects.get(dashboard__slug='queues', kind='bar'); "
        f"s = w.statistics.order_by('widgetstatistic__position').first(); s.label = {EVIL_LABEL!r}; s.save()"
    )
    manage(dashboard_server.env, "shell", "-c", code)
    sign_in_as(page, dashboard_server)
    page.goto(dashboard_server.extra["url"] + "/dashboards/queues/")
    bar = page.locator(".tile.kind-bar").first
    bar.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    with page.expect_download() as download:
        bar.locator("button.chart-csv").click()
    text = open(download.value.path(), encoding="utf-8").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["label", "value", "unit"]
    assert rows[1][0] == "'" + EVIL_LABEL  # a spreadsheet shows it, never runs it
    assert all(r[1] == "" or float(r[1]) >= 0 for r in rows[1:]) and len(rows) > 2
    assert download.value.suggested_filename.startswith("queues-waiting-per-queue-")
    line = page.locator(".tile.kind-line").first
    page.wait_for_function(  # the trend's canvas (static/js/trend-canvas.js) drew some points
        "() => document.querySelector('.tile.kind-line canvas.trend-canvas')?.trend?.drawn?.series[0]?.points > 0",
        timeout=30_000,
    )
    with page.expect_download() as download:
        line.locator("button.chart-csv").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows[0][0] == "time" and len(rows) >= 2
    assert rows[1][0].endswith("Z") and all(float(v) >= 0 for v in rows[1][1:] if v)
    shoot(page, "dashboard-chart-csv")


def test_a_supervisor_copies_rearranges_and_hides_and_the_shared_one_stays(
    dashboard_server: ManagedProcess, browser
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in_as(page, dashboard_server)
    page.goto(dashboard_server.extra["url"] + "/dashboards/agents/")
    page.locator("#board .tile").first.wait_for(timeout=30_000)
    shared = tile_titles(page)
    assert shared[:3] == ["Ready agents", "On calls", "Not ready"]
    page.click("button:has-text('Copy to my dashboards')")
    page.wait_for_selector("h1:has-text('Arrange')")
    page.click("button[aria-label='Move Ready agents down']")
    page.locator("#arrange-list li").first.locator(".widget-title:has-text('On calls')").wait_for()
    page.locator("#arrange-list li", has_text="Not ready").locator("button.hide").click()
    page.locator("#arrange-list li.hidden-widget", has_text="Not ready").wait_for()
    page.fill("#title", "My floor view")
    page.click("button[value=rename]")
    shoot(page, "personal-arrange")
    page.click("a.open-personal")
    page.locator("#board .tile").first.wait_for(timeout=30_000)
    assert tile_titles(page)[:3] == ["On calls", "Ready agents", "Agent states"]
    assert "Not ready" not in tile_titles(page)
    page.locator("#board .tile.kind-kpi .big:not(:has-text('–'))").first.wait_for(timeout=30_000)  # live values
    assert page.locator("h1").inner_text() == "My floor view"
    shoot(page, "personal-dashboard")
    page.goto(dashboard_server.extra["url"] + "/dashboards/agents/")
    page.locator("#board .tile").first.wait_for(timeout=30_000)
    assert tile_titles(page) == shared
    page.goto(dashboard_server.extra["url"] + "/")
    page.locator("[data-personal] a:has-text('My floor view')").wait_for()
