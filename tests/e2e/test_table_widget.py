"""The table widget updates in place (static/js/table.js): an update rewrites its own
cells, found through a map from statistic id to cell, and every cell keeps its DOM node.
Real browser, real server, the real simulator's queues."""

from __future__ import annotations

import pytest

from tests.e2e.test_live_pages import control, sign_in
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser

CELLS = "table.queues td"
AGENTS = 50  # the embedded simulator's (statsbridge/simulator/server.py)
MARK_CELLS = f"""() => {{
  const cells = [...document.querySelectorAll("{CELLS}")];
  cells.forEach((td) => {{ td.marked = true; }});
  window.markedCells = cells;
  window.markedTexts = cells.map((td) => td.textContent);
  return cells.length;
}}"""
SOME_CELL_CHANGED = f"""() => [...document.querySelectorAll("{CELLS}")]
  .some((td, i) => td.textContent !== window.markedTexts[i])"""
SAME_NODES = f"""() => {{
  const now = [...document.querySelectorAll("{CELLS}")];
  return {{ count: now.length, unmarked: now.filter((td) => !td.marked).length,
           moved: now.filter((td, i) => td !== window.markedCells[i]).length }};
}}"""


def test_a_table_update_changes_its_cell_and_keeps_every_cell_node(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, dashboard_server)
    page.goto(dashboard_server.extra["url"] + "/dashboards/queues/")
    page.locator(f"{CELLS}:not(:text-is('–'))").first.wait_for(timeout=20_000)
    count = page.evaluate(MARK_CELLS)
    assert count >= 4
    agents = [f"agent{n:03d}" for n in range(1, AGENTS + 1)]
    try:
        for agent in agents:  # nobody takes calls: they wait, and the queue cells move
            control(dashboard_server, "agent-state", {"agent": agent, "state": "NotReady", "reason": "Meeting"})
        page.wait_for_function(SOME_CELL_CHANGED, timeout=60_000)
        assert page.evaluate(SAME_NODES) == {"count": count, "unmarked": 0, "moved": 0}
    finally:
        for agent in agents:
            control(dashboard_server, "agent-state", {"agent": agent, "state": "Ready"})
