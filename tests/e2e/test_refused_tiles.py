"""Real browser, real server, real simulator: a statistic Genesys refuses shows as
refused on its tile, with Genesys' message, unlike a stale tile; the others on the same
dashboard open; the admin lists it under "Refused by Genesys"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.test_live_pages import sign_in
from tests.support.processes import ROOT, ManagedProcess
from tests.support.waiting import wait_until

pytestmark = pytest.mark.browser

FILE = {
    "dashboards": [
        {
            "slug": "refusals",
            "title": "Refusals",
            "groups": ["Supervisors"],
            "widgets": [
                {
                    "type": "kpi",
                    "title": "Calls waiting",
                    "statistics": [
                        {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch"}
                    ],
                },
                {
                    "type": "kpi",
                    "title": "Closed queue",
                    "statistics": [
                        {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "9999@SIP_Switch"}
                    ],
                },
                {
                    "type": "kpi",
                    "title": "Tenant category",
                    "statistics": [
                        {
                            "objectType": "Queue",
                            "objectId": "8002@SIP_Switch",
                            "definition": {"category": "TenantSpecialCategory", "subject": "DNAction"},
                        }
                    ],
                },
            ],
        }
    ]
}


def import_file(server: ManagedProcess, tmp_path: Path) -> str:
    path = tmp_path / "refusals.json"
    path.write_text(json.dumps(FILE))
    done = subprocess.run(
        [sys.executable, "manage.py", "import_dashboards", str(path)],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_refused_statistics_show_refused_tiles_and_reach_the_admin(
    dashboard_server: ManagedProcess, page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    output = import_file(dashboard_server, tmp_path)
    assert "category 'TenantSpecialCategory' is not one we know" in output  # a warning, not a refusal
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, dashboard_server)
    page.goto(dashboard_server.extra["url"] + "/dashboards/refusals/")
    # The bridge re-reads the configuration within 30 s (the import ran in another process).
    closed = page.locator(".tile.refused", has_text="Closed queue")
    closed.wait_for(timeout=90_000)
    page.reload()  # the snapshot now carries the open statistics' values too (and the refusals)
    closed.wait_for(timeout=20_000)
    assert "no Queue '9999@SIP_Switch'" in closed.locator(".refusal").inner_text()
    tenant = page.locator(".tile.refused", has_text="Tenant category")
    tenant.wait_for(timeout=30_000)
    assert "TenantSpecialCategory" in tenant.locator(".refusal").inner_text()
    working = page.locator(".tile", has_text="Calls waiting")
    working.locator(".big:not(:text-is('–'))").wait_for(timeout=20_000)
    assert "refused" not in (working.get_attribute("class") or "")
    for tile in (closed, tenant):  # the once-a-second freshness tick has run over them
        tile.locator(".fresh:text-is('not opened: see above')").wait_for(timeout=10_000)
        assert "stale" not in (tile.get_attribute("class") or ""), "refused is not stale"
        assert tile.evaluate("e => getComputedStyle(e).opacity") == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "refused-tiles.png"), full_page=True)
    assert not errors, errors

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1600, "height": 800})
    page.goto(dashboard_server.extra["url"] + "/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "admin")
    page.click("input[type=submit]")
    rows = page.locator("#result_list tbody tr")

    def listed() -> bool:
        page.goto(dashboard_server.extra["url"] + "/admin/dashboard/statistic/?refused=yes")
        return rows.count() == 2

    wait_until(listed, timeout=30, interval=1.0, what="both refused statistics listed in the admin")
    assert "9999@SIP_Switch" in page.locator("#result_list").inner_text()
    page.screenshot(path=str(ARTIFACTS / "refused-admin.png"), full_page=True)
