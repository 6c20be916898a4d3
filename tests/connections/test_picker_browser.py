"""The builder's picker in a real Chromium against a real rundashboard (the embedded
demo, whose second connection `brand-b` runs as its own simulated tenant): choosing the
connection lists that tenant's configured objects, makes "test this statistic" ask that
tenant (queue 9003 exists only there), and the statistic added to the draft carries the
connection and counts once in the subscription budget."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.support.processes import ManagedProcess
from tests.support.waiting import wait_until

pytestmark = pytest.mark.browser


def test_the_picker_chooses_the_connection(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(dashboard_server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "admin")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")
    page.goto(dashboard_server.extra["url"] + "/dashboards/brands/edit/")
    page.locator("#grid .tile").first.wait_for()
    page.get_by_role("button", name="KPI tile with sparkline").click()
    panel = page.locator("#panel")
    panel.get_by_label("Title", exact=True).fill("Brand B sales")
    panel.get_by_label("Connection").select_option("brand-b")
    objects = panel.get_by_role("list", name="Objects")
    objects.get_by_role("button", name="9001@SIP_Switch").wait_for()  # brand-b's configured queues
    assert objects.get_by_role("button", name="8001@SIP_Switch").count() == 0
    panel.get_by_label("Statistic", exact=True).select_option("CurrentNumberWaitingCalls")
    panel.get_by_label("Object id").fill("9003@SIP_Switch")
    panel.get_by_label("Object id").dispatch_event("change")
    panel.locator(".peek", has_text="Current value:").wait_for(timeout=30_000)  # brand-b answered
    panel.get_by_label("Connection").select_option("default")
    panel.locator(".peek", has_text="Refused").wait_for(timeout=30_000)  # default has no queue 9003
    panel.get_by_label("Connection").select_option("brand-b")
    panel.locator(".peek", has_text="Current value:").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "connections-picker.png"), full_page=True)
    panel.get_by_role("button", name="Add to widget").click()
    panel.locator(".stat-edit li", has_text="9003@SIP_Switch · brand-b").wait_for()

    def saved() -> list[dict]:  # the editor saves the draft a moment after each change
        state = page.request.get(dashboard_server.extra["url"] + "/dashboards/brands/edit/state").json()
        stats = [s for w in state["document"]["widgets"] for s in w.get("statistics", [])]
        return [s for s in stats if s["objectId"] == "9003@SIP_Switch"]

    wait_until(saved, timeout=30, what="the draft saved with the new statistic")
    # Counted per connection, as the bridges will: brand-b's 9003 is one new upstream statistic
    page.locator("#budget", has_text="This draft adds 1 and removes 0").wait_for(timeout=30_000)
    assert saved()[0]["connection"] == "brand-b" and saved()[0]["name"] == "CurrentNumberWaitingCalls"
    assert problems == []
