"""`rundashboard` as a real process: HTTP over daphne, demo logins, a real browser."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ARTIFACTS
from tests.support.processes import ManagedProcess


def test_healthz_answers_ok_over_daphne(dashboard_server: ManagedProcess) -> None:
    """While the bridge still connects (a loaded machine: seconds after start) /healthz
    says `degraded` with the state that explains it; once connected, `ok`."""
    from tests.support.waiting import wait_until

    url = dashboard_server.extra["url"] + "/healthz"
    response = httpx.get(url, timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    first = response.json()
    assert (first["status"] == "ok") == (first["bridge"]["state"] == "connected"), first
    wait_until(lambda: httpx.get(url, timeout=5).json()["bridge"]["state"] == "connected", timeout=60, what="connected")
    assert httpx.get(url, timeout=5).json()["status"] == "ok"


def test_the_embedded_simulator_runs_the_suites_flat_day(dashboard_server: ManagedProcess) -> None:
    """`rundashboard`'s simulator reads SIMULATOR_DAY_SHAPE from the environment the suite
    set (tests/conftest.py), so tests waiting for values do not depend on the hour."""
    sim = f"http://127.0.0.1:{dashboard_server.extra['simulator_port']}"
    assert httpx.get(sim + "/simulator/v1/state", timeout=5).json()["day_shape"] == "flat"


def test_healthz_age_follows_the_values_not_the_last_state_change(dashboard_server: ManagedProcess) -> None:
    """Values flow without state changes; /healthz must not call that bridge stale."""
    import time

    from tests.support.waiting import wait_until

    url, sim = dashboard_server.extra["url"], f"http://127.0.0.1:{dashboard_server.extra['simulator_port']}"
    wait_until(
        lambda: httpx.get(url + "/healthz", timeout=5).json()["bridge"]["state"] == "connected",
        timeout=60,
        what="connected",
    )
    assert httpx.post(sim + "/simulator/v1/rate", json={"updates_per_second": 50}, timeout=5).status_code == 200
    try:
        time.sleep(12)  # well past the last state or count change
        ages = []
        for _ in range(3):
            ages.append(httpx.get(url + "/healthz", timeout=5).json()["bridge"]["last_update_age_s"])
            time.sleep(1)
    finally:
        httpx.post(sim + "/simulator/v1/rate", json={"updates_per_second": 0}, timeout=5)
    assert all(age is not None and age < 3 for age in ages), ages


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


def test_sigterm_stops_bridge_and_simulator_cleanly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.support.processes import start_dashboard
    from tests.support.waiting import wait_until

    server = start_dashboard(tmp_path)
    wait_until(
        lambda: httpx.get(server.extra["url"] + "/healthz", timeout=5).json()["bridge"]["state"] == "connected",
        timeout=30,
        what="bridge connected",
    )
    assert server.stop() == 0
    log = server.log()
    assert "statistics bridge stopped" in log and "simulator stopped" in log
    assert "Traceback" not in log


def test_metrics_are_prometheus_text_without_secrets(dashboard_server: ManagedProcess) -> None:
    from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS

    body = httpx.get(dashboard_server.extra["url"] + "/metrics", timeout=5).text
    assert "statsbridge_updates_in_total" in body and "statsbridge_statistics_open" in body
    health = httpx.get(dashboard_server.extra["url"] + "/healthz", timeout=5).text
    for secret in (CREDS.client_secret, CREDS.password, CREDS.api_key):
        assert secret not in body and secret not in health and secret not in dashboard_server.log()
