"""The agent grid reads AgentStatus fields without case (static/js/agent-fields.js): the
JSON key case of the v3 API is in no source (docs/genesys-fidelity.md). Real browser,
real server, the real simulator switched to lower-case keys (`status`, `time`,
`reasoncode`): state, reason and time in state still show."""

from __future__ import annotations

import pytest

from tests.e2e.test_live_pages import control, sign_in
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser


def test_the_agent_grid_reads_lower_case_agent_status_keys(dashboard_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    control(dashboard_server, "agent-status-keys", {"style": "lower"})
    try:
        sign_in(page, dashboard_server)
        page.click("text=Agents")
        cell = page.locator(".agent", has_text="Ava Adams")
        control(dashboard_server, "agent-state", {"agent": "agent001", "state": "NotReady", "reason": "Lunch"})
        cell.locator(".st:has-text('Not ready · Lunch')").wait_for(timeout=20_000)
        assert "state-NotReady" in (cell.get_attribute("class") or "")
        cell.locator(".tis:not(:empty)").wait_for(timeout=10_000)  # time in state, from `time`
    finally:
        control(dashboard_server, "agent-status-keys", {"style": "pascal"})
        control(dashboard_server, "agent-state", {"agent": "agent001", "state": "Ready"})
