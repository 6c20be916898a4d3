"""The admin's "Check connection" in Chromium against a real `rundashboard` (embedded
default): the page reached from the admin index, run by its button (a CSRF-protected
POST), every step shown, against the simulator the server itself hosts."""

from __future__ import annotations

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser
STEPS = 7


def sign_in_as_admin(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/admin/login/?next=/admin/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "admin")
    page.click("input[type=submit]")
    page.wait_for_url(url + "/admin/")


def run_check(page) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    page.click("input[value='Check connection']")
    result = page.wait_for_selector("#check-result", timeout=90_000)
    rows = page.locator("#check-steps tbody tr")
    return str(result.get_attribute("data-ok")), [rows.nth(i).get_attribute("class") or "" for i in range(rows.count())]


def test_check_connection_from_the_admin_index_passes_then_names_a_refused_grant(
    dashboard_server: ManagedProcess, page
) -> None:  # type: ignore[no-untyped-def]
    url, sim = dashboard_server.extra["url"], f"http://127.0.0.1:{dashboard_server.extra['simulator_port']}"
    sign_in_as_admin(page, url)
    page.click("#genesys-links a:has-text('Check connection')")
    ok, rows = run_check(page)
    assert ok == "true" and rows == ["ok"] * STEPS
    httpx.post(sim + "/simulator/v1/auth-policy", json={"password_grant": False}, timeout=5)
    try:
        ok, rows = run_check(page)
    finally:
        httpx.post(sim + "/simulator/v1/auth-policy", json={"password_grant": True}, timeout=5)
    assert ok == "false" and rows == ["ok", "ok", "failed"] + ["skipped"] * (STEPS - 3)
    token_row = page.locator("#check-steps tbody tr.failed").inner_text()
    assert "unauthorized_client" in token_row and "Connect to Genesys" in token_row
    assert CREDS.password not in page.content() and CREDS.client_secret not in page.content()
