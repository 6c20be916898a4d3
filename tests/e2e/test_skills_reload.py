"""A skills sync that changes something reloads only the pages that show skills (real
server, simulator and Chromium): the dashboard with the skill-coverage widget and the
drill-down page listing a queue's agents by skill, not the dashboard page of queues
(nor a wallboard showing it), which draws no skill (dashboard/skills/pages.py).

Every page's Math.random is pinned to 0, so a planned reload lands RELOAD_MIN_MS (2 s)
after its `config` frame: the frames of one sync leave the bridge in one batch, so a page
still unreloaded well after the pages that did reload was not told to.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from dashboard.boards.demo import QUEUES
from tests.e2e.test_live_pages import control, sign_in
from tests.support.processes import ROOT, ManagedProcess, start_dashboard
from tests.support.waiting import wait_until

pytestmark = pytest.mark.browser

RELOAD_AT_S = 2.0  # RELOAD_MIN_MS (static/js/socket.js), Math.random pinned to 0
# agent001 (index 0) has no Spanish in the simulator (index % 4 == 1 has it).
SPANISH_AGENTS = """() => JSON.parse(document.getElementById("page-config").textContent)
    .pages[0].widgets.find((w) => w.kind === "skill-coverage")
    .skills.find((s) => s.name === "Spanish").agents.map((a) => a.agentId)"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    """A server of its own: the test changes the simulator's skills."""
    proc = start_dashboard(tmp_path_factory.mktemp("skills-reload"))
    yield proc
    proc.stop()


def sync_now(server: ManagedProcess) -> None:
    """The admin's "Sync now" for every source, as its action writes it: the server's
    skills job runs it within its poll and tells the bridge what changed."""
    code = (
        "from dashboard.skills.models import SkillSource\n"
        "from dashboard.skills.requests import request_sync\n"
        "assert request_sync(SkillSource.objects.filter(enabled=True))\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=server.env, check=True, timeout=60)


def open_marked(context, url: str):  # type: ignore[no-untyped-def]
    """A live page carrying a mark that a reload wipes."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-live=yes]", timeout=30_000)
    page.evaluate("window.notReloaded = true")
    return page


def reloaded(page) -> bool:  # type: ignore[no-untyped-def]
    """Whether the page's mark is gone (it reloaded), once the reloaded page is live."""
    try:
        return page.evaluate("window.notReloaded") is None and page.locator("body[data-live=yes]").count() == 1
    except Exception:  # navigating right now: ask again
        return False


def spanish(page, agent: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the coverage widget lists `agent` under Spanish (False while navigating)."""
    try:
        return agent in page.evaluate(SPANISH_AGENTS)
    except Exception:
        return False


def test_a_skills_change_reloads_the_pages_showing_skills_and_no_other(server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script("Math.random = () => 0;")
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    sign_in(context.new_page(), server)
    url = server.extra["url"]
    agents = open_marked(context, url + "/dashboards/agents/")
    assert "agent001" not in agents.evaluate(SPANISH_AGENTS)
    queues = open_marked(context, url + "/dashboards/queues/")
    drill = open_marked(context, url + f"/dashboards/queues/queues/{QUEUES[0].replace('@', '%40')}/agents/")

    control(server, "agent-skills", {"agent": "agent001", "skills": {"English": 5, "Spanish": 7}})
    sync_now(server)

    # The server's first sync (before the test) may still reload `agents` once, late under
    # load (seen in CI): so wait for the reload that shows the new skill, not for any.
    wait_until(
        lambda: reloaded(agents) and spanish(agents, "agent001"), timeout=30, what="agents to show the new skill"
    )
    wait_until(lambda: reloaded(drill), timeout=10, what="the queue's drill-down page to reload")
    told_by = time.monotonic() + 2 * RELOAD_AT_S + 1  # its reload, had it been told, would be done
    while time.monotonic() < told_by:
        assert queues.evaluate("window.notReloaded") is True, "the queues dashboard reloaded"
        time.sleep(0.2)
    assert "skills sync" in server.log()
    context.close()
    assert not errors, errors
