"""Real browser, real server, real simulator: live numbers, wallboards, outages."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests.conftest import ARTIFACTS
from tests.support.processes import ROOT, ManagedProcess

pytestmark = pytest.mark.browser


def control(server: ManagedProcess, call: str, body: dict) -> dict:
    url = f"http://127.0.0.1:{server.extra['simulator_port']}/simulator/v1/{call}"
    response = httpx.post(url, json=body, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def sign_in(page, server: ManagedProcess) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "supervisor")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")


def test_agent_state_change_in_the_simulator_shows_on_screen(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, dashboard_server)
    page.click("text=Agents")
    cell = page.locator(".agent", has_text="Ava Adams")
    cell.locator(".st:not(:has-text('–'))").wait_for(timeout=20_000)
    control(dashboard_server, "agent-state", {"agent": "agent001", "state": "NotReady", "reason": "Lunch"})
    cell.locator(".st:has-text('Not ready · Lunch')").wait_for(timeout=10_000)
    assert "state-NotReady" in (cell.get_attribute("class") or "")
    page.screenshot(path=str(ARTIFACTS / "agents-not-ready.png"), full_page=True)
    control(dashboard_server, "agent-state", {"agent": "agent001", "state": "Ready"})
    cell.locator(".st:text-is('Ready')").wait_for(timeout=10_000)


def test_kpi_number_follows_the_upstream(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, dashboard_server)
    page.goto(dashboard_server.extra["url"] + "/dashboards/agents/")
    tile = page.locator(".tile", has_text="Not ready").first
    tile.locator(".big:not(:text-is('–'))").wait_for(timeout=20_000)
    before = int(tile.locator(".big").inner_text())
    for n in range(2, 6):
        control(dashboard_server, "agent-state", {"agent": f"agent00{n}", "state": "NotReady", "reason": "Break"})
    page.wait_for_function(
        "([sel, before]) => { const t = [...document.querySelectorAll('.tile')].find(e => e.innerText.includes(sel));"
        " return t && parseInt(t.querySelector('.big').innerText) !== before; }",
        arg=["Not ready", before],
        timeout=15_000,
    )


def wallboard_url(server: ManagedProcess) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "wallboard_url", "floor", "--base", server.extra["url"]],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_wallboard_draws_without_login_and_shows_outages(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(wallboard_url(dashboard_server))
    assert "/accounts/login/" not in page.url
    page.locator(".grid:not([hidden]) .js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    page.locator(".grid:not([hidden]) .agent.state-Ready, .grid:not([hidden]) .agent.state-Busy").first.wait_for(
        timeout=20_000
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "wallboard-live.png"))
    control(dashboard_server, "outage", {"seconds": 6})
    page.locator("#overlay:not([hidden])").wait_for(timeout=10_000)
    assert "last data" in page.locator("#overlay .what").inner_text()
    page.screenshot(path=str(ARTIFACTS / "wallboard-outage.png"))
    page.locator("#overlay").wait_for(state="hidden", timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "wallboard-recovered.png"))
    assert not errors, errors
    context.close()


def test_revoked_or_foreign_tokens_get_a_clear_page(dashboard_server: ManagedProcess) -> None:
    url = wallboard_url(dashboard_server)
    assert httpx.get(url, timeout=10).status_code == 200
    forged = url[:-4] + "AAAA"
    response = httpx.get(forged, timeout=10)
    assert response.status_code == 403 and "not valid" in response.text
    supervisor_page = httpx.get(
        dashboard_server.extra["url"] + "/dashboards/agents/?token=" + url.split("token=")[1], timeout=10
    )
    assert supervisor_page.status_code == 302  # a kiosk token is no login


def test_pages_satisfy_the_content_security_policy(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(wallboard_url(dashboard_server))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".grid:not([hidden]) .js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
    sign_in(page, dashboard_server)
    for path in ("/dashboards/queues/", "/dashboards/service-level/", "/admin/", "/admin/dashboard/widget/"):
        page.goto(dashboard_server.extra["url"] + path)
        page.wait_for_load_state("networkidle")
    assert not violations, violations
    context.close()
