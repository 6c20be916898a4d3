"""AgentStatus key case (docs/genesys-fidelity.md, `value` of CurrentAgentState).

Platform SDK prints `Status`, `Time`, `ReasonCode`-like fields; the JSON key case of the
v3 API is in no source. The bridge reads them without case, and a value whose shape it
does not know is counted in `unknown_values`, never guessed. Against the real simulator
switched to other key cases, and the reader fed documented-looking values.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from statsbridge.agent_status import AgentState, agent_field
from statsbridge.simulator.server import Simulator
from statsbridge.values import normalise
from tests.statsbridge.conftest import start_live_bridge


@pytest.mark.parametrize(
    "raw, state",
    [
        ({"AgentId": "a1", "Status": 4, "Time": 1}, AgentState.READY),  # as Platform SDK prints it
        ({"agentId": "a1", "status": 8, "time": 1}, AgentState.NOT_READY),
        ({"STATUS": 9}, AgentState.AFTER_CALL_WORK),
        ({"status": 23, "place": {"placeStatus": {"status": 4}}}, AgentState.LOGGED_OUT),
    ],
)
def test_agent_status_is_read_whatever_the_key_case(raw: dict, state: AgentState) -> None:
    normalised = normalise(raw)
    assert normalised.known and normalised.state == state.value


@pytest.mark.parametrize(
    "raw",
    [
        {"status": 999},  # a code in no table
        {"Status": "Ready"},  # a name where a code is expected
        {"a": 1, "b": 2},  # a structure we do not know
    ],
)
def test_unknown_shapes_are_not_guessed(raw: dict) -> None:
    assert not normalise(raw).known


def test_agent_field_prefers_the_exact_key() -> None:
    assert agent_field({"status": 1, "Status": 2}, "Status") == 2
    assert agent_field({"reasoncode": "Lunch"}, "ReasonCode") == "Lunch"
    assert agent_field({"Time": 5}, "Reason") is None


@pytest.mark.parametrize("style", ["camel", "lower"])
async def test_the_bridge_names_agent_states_from_other_key_cases(simulator: Simulator, style: str) -> None:
    simulator.center.agent_status_keys = style
    live = await start_live_bridge(simulator)
    try:
        agent_keys = {k for k, d in live.desired.statistics.items() if d.get("name") == "CurrentAgentState"}
        states: dict[str, str] = {}
        started = time.monotonic()
        while set(states) != agent_keys:
            frame = await live.frames_until(
                lambda f: f["type"] == "update", timeout=max(0.1, 20 - (time.monotonic() - started))
            )
            states |= {s["id"]: s.get("state") for s in frame["statistics"] if s["id"] in agent_keys}
        assert "status" in next(iter(live.bridge.store.snapshot(sorted(agent_keys))))["raw"]
        assert all(state in {s.value for s in AgentState} - {"Unknown"} for state in states.values()), states
        assert live.bridge.counters.unknown_values == 0
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]
