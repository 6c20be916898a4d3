"""`rundashboard` as a real process: HTTP over daphne, demo logins, a real browser."""
from __future__ import annotations

import httpx
import pytest

from tests.conftest import ARTIFACTS
from tests.support.processes import ManagedProcess


def test_healthz_answers_ok_over_daphne(dashboard_server: ManagedProcess) -> None:
    response = httpx.get(dashboard_server.extra["url"] + "/healthz", timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["status"] == "ok"


def test_start_banner_prints_demo_logins(dashboard_server: ManagedProcess) -> None:
    assert "Demo logins: admin/admin, supervisor/supervisor" in dashboard_server.log()


@pytest.mark.browser
def test_supervisor_signs_in_with_demo_login(dashboard_server: ManagedProcess, page) -> None:
    url = dashboard_server.extra["url"]
    page.goto(url + "/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "supervisor")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")
    assert page.locator(".who").inner_text() == "supervisor"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-signed-in.png"))


@pytest.mark.browser
def test_wrong_password_shows_a_clear_error(dashboard_server: ManagedProcess, page) -> None:
    page.goto(dashboard_server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "nope")
    page.click("button[type=submit]")
    assert "didn't match" in page.locator("[role=alert]").inner_text()
