"""Real browser, real server, real simulator: the skill coverage widget counts the
agents of a skill by their live state, and the agent grid shows skills.

The embedded default syncs skills from the simulator shortly after start (the
periodic job), so the demo's coverage widget fills by itself; the test only waits.
"""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.test_live_pages import control, sign_in
from tests.support.processes import ManagedProcess
from tests.support.waiting import wait_until

pytestmark = pytest.mark.browser

# Simulator agents with Spanish: index % 4 == 1 (statsbridge/simulator/skills_model.py).
SPANISH = [f"agent{i + 1:03d}" for i in range(50) if i % 4 == 1]
READY_SPANISH = 'td[data-skill="Spanish"][data-state="Ready"]'

# Every Ready count the page shows, so a brief Ready (a forced-Ready agent may be
# offered a call within a tick) is seen however short it was.
RECORD_COUNTS = """() => {
  window.seenReady = [];
  const cell = document.querySelector('td[data-skill="Spanish"][data-state="Ready"]');
  new MutationObserver(() => window.seenReady.push(cell.dataset.count))
    .observe(cell, { attributes: true, attributeFilter: ["data-count"] });
}"""


def open_agents_page_once_skills_are_synced(page, server: ManagedProcess) -> None:  # type: ignore[no-untyped-def]
    """Reload until the page boots with the synced skills (the first sync runs ~2 s after start)."""

    def synced() -> bool:
        page.goto(server.extra["url"] + "/dashboards/agents/")
        return page.evaluate("""() => JSON.parse(document.getElementById("page-config").textContent)
            .pages[0].widgets.find((w) => w.kind === "skill-coverage")
            .skills.find((s) => s.name === "Spanish").agents.length""")

    wait_until(synced, timeout=60, interval=1.0, what="the first skills sync")


def ready_count(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(READY_SPANISH).get_attribute("data-count") or ""


def test_coverage_ready_count_follows_agent_states(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, dashboard_server)
    open_agents_page_once_skills_are_synced(page, dashboard_server)
    page.wait_for_function(f"() => document.querySelector('{READY_SPANISH}').dataset.count !== ''", timeout=20_000)
    assert (
        page.locator('.skill-row[data-skill="Spanish"] .staffed').inner_text().endswith(f"of {len(SPANISH)} logged in")
    )

    for agent in SPANISH:  # nobody with Spanish is Ready: the count is 0, and that is critical
        control(dashboard_server, "agent-state", {"agent": agent, "state": "NotReady", "reason": "Meeting"})
    wait_until(lambda: ready_count(page) == "0", timeout=15, what="0 Ready with Spanish")
    cell = page.locator(READY_SPANISH)
    assert "level-critical" in (cell.get_attribute("class") or "")
    assert cell.locator(".flag svg.icon-critical").count() == 1  # an inline SVG icon, no emoji (issue 17)
    assert "Critical: 0 Ready" in page.locator(".tile.kind-skill-coverage").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".tile.kind-skill-coverage").screenshot(path=str(ARTIFACTS / "skill-coverage-critical.png"))

    page.evaluate(RECORD_COUNTS)
    for agent in SPANISH[:3]:
        control(dashboard_server, "agent-state", {"agent": agent, "state": "Ready"})
    page.wait_for_function("() => window.seenReady.some((n) => Number(n) >= 1)", timeout=15_000)
    assert max(int(n) for n in page.evaluate("window.seenReady") if n) <= 3
    page.locator(".tile.kind-skill-coverage").screenshot(path=str(ARTIFACTS / "skill-coverage.png"))
    page.screenshot(path=str(ARTIFACTS / "skill-coverage-page.png"), full_page=True)

    for agent in SPANISH[:3]:
        control(dashboard_server, "agent-state", {"agent": agent, "state": "NotReady", "reason": "Meeting"})
    wait_until(lambda: ready_count(page) == "0", timeout=15, what="0 Ready with Spanish again")
    assert errors == []


def test_agent_grid_shows_skills_and_filters_by_skill(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, dashboard_server)
    open_agents_page_once_skills_are_synced(page, dashboard_server)
    ben = page.locator('.agent[data-agent="agent002"]')
    assert "Spanish" in ben.locator(".tags").inner_text()

    page.select_option("#skill-select", "Spanish")
    page.wait_for_url("**/dashboards/agents/?skill=Spanish")
    page.locator(".agent").first.wait_for(timeout=20_000)
    shown = page.locator(".agent").evaluate_all("cells => cells.map((c) => c.dataset.agent)")
    assert shown and set(shown) <= set(SPANISH)
    assert page.locator(".skill-row").evaluate_all("rows => rows.map((r) => r.dataset.skill)") == ["Spanish"]

    page.goto(dashboard_server.extra["url"] + "/dashboards/agents/?skill=Klingon")
    assert "No agents with skill “Klingon”" in page.locator("#skill-note").inner_text()
    assert "No agents with skill “Klingon”" in page.locator(".tile.kind-agent-grid").inner_text()
