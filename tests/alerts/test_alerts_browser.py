"""A real browser: an alert appears on a supervisor page, is acknowledged from the page,
and shows acknowledged on a second signed-in page; the sound toggle is kept per screen."""

from __future__ import annotations

import pytest

from tests.alerts.live import add_rule
from tests.conftest import ARTIFACTS
from tests.e2e.test_live_pages import wallboard_url
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser


def signed_in_page(browser, server: ManagedProcess, errors: list[str]):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "supervisor")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")
    page.goto(server.extra["url"] + "/dashboards/agents/")
    page.locator("#alert-list li").first.wait_for(timeout=20_000)
    return page


def test_alert_shows_is_acknowledged_from_the_page_and_seen_on_another(
    dashboard_server: ManagedProcess, browser
) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    first = signed_in_page(browser, dashboard_server, errors)
    second = signed_in_page(browser, dashboard_server, errors)
    add_rule(dashboard_server, after=0)  # "On calls" >= 0: crossed as soon as the engine reads the rule
    raised = first.locator(".alert.level-critical.state-raised", has_text="Everyone busy")
    raised.wait_for(timeout=30_000)
    assert "On calls" in raised.inner_text() and "raised" in raised.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    first.screenshot(path=str(ARTIFACTS / "alert-raised.png"))
    raised.locator("button.alert-ack").click()
    for page in (first, second):
        done = page.locator(".alert.state-acknowledged", has_text="acknowledged by supervisor")
        done.wait_for(timeout=15_000)
        assert done.locator("button.alert-ack").count() == 0
    second.screenshot(path=str(ARTIFACTS / "alert-acknowledged-second-page.png"))
    second.reload()  # a reconnecting page learns the open alert from its snapshot
    second.locator(".alert.state-acknowledged", has_text="Everyone busy").wait_for(timeout=15_000)
    kiosk = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    kiosk.on("pageerror", lambda error: errors.append(str(error)))
    kiosk.goto(wallboard_url(dashboard_server))
    strip = kiosk.locator("#alerts:not([hidden]) .alert", has_text="Everyone busy")
    strip.wait_for(timeout=20_000)  # the open alert, from the agents page's snapshot
    assert strip.locator("button.alert-ack").count() == 0  # a kiosk cannot acknowledge
    kiosk.screenshot(path=str(ARTIFACTS / "alert-wallboard.png"))
    assert errors == []


def test_sound_toggle_is_kept_per_screen(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page = signed_in_page(browser, dashboard_server, errors)
    button = page.locator("#alert-sound")
    assert "Sound on" in button.inner_text()
    button.click()
    assert "Sound off" in button.inner_text()
    page.reload()
    assert "Sound off" in page.locator("#alert-sound").inner_text()
    assert errors == []
