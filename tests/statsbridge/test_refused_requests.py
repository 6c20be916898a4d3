"""A 403 is not always a bad API key (docs/genesys-fidelity.md, Statistics REST).

Seed 002 "Troubleshooting": the gateway's bad-key 403 is `{"message": "Forbidden"}`.
Seed 002 "Statistics API": POST /subscriptions may answer 403 in Genesys' envelope
(`{"status": {...}}`): that request's statistics are refused, the link is fine.
Against the real simulator over loopback.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from statsbridge.exceptions import ApiKeyRejected, RequestRefused
from statsbridge.rest import StatisticsClient
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState
from statsbridge.tokens import TokenProvider
from tests.statsbridge.conftest import config_for, start_live_bridge
from tests.support.waiting import async_wait_until


def _agents(simulator: Simulator) -> list[str]:
    return [o["objectId"] for o in simulator.center.objects() if o["objectType"] == "Agent"]


def _statistic(agent: str) -> dict:
    return {"statisticId": "s1", "name": "CurrentAgentState", "objectType": "Agent", "objectId": agent}


async def test_a_403_in_the_genesys_envelope_refuses_the_request_not_the_api_key(simulator: Simulator) -> None:
    agent = _agents(simulator)[0]
    simulator.statistics.forbidden_objects = {agent}
    config = config_for(simulator.base_url)
    async with httpx.AsyncClient() as http:
        client = StatisticsClient(config, http, TokenProvider(config, http))
        with pytest.raises(RequestRefused) as refused:
            await client.create_subscription("op-1", [_statistic(agent)])
    assert refused.value.http_status == 403
    assert "no permission to read object" in (refused.value.upstream_message or "")


async def test_the_gateways_bare_403_is_still_a_refused_api_key(simulator: Simulator) -> None:
    config = config_for(simulator.base_url)
    async with httpx.AsyncClient() as http:
        tokens = TokenProvider(config, http)
        await tokens.token()  # a good token, then a wrong key on the Statistics call
        client = StatisticsClient(config_for(simulator.base_url, api_key="wrong"), http, tokens)
        with pytest.raises(ApiKeyRejected):
            await client.create_subscription("op-2", [_statistic(_agents(simulator)[0])])


async def test_a_refused_chunk_neither_stops_the_link_nor_the_other_chunks(simulator: Simulator) -> None:
    """Chunks of 2: whichever chunk holds the forbidden agent, every other statistic opens,
    the forbidden ones are recorded as refused with Genesys' words, and no screen ever says
    the API key was refused."""
    forbidden = _agents(simulator)[1]
    simulator.statistics.forbidden_objects = {forbidden}
    live = await start_live_bridge(simulator, chunk_size=2)
    states: list[str] = []
    live.bridge.on_status_change = lambda status: states.append(status.state.value)
    try:
        refused = {key for key, d in live.desired.statistics.items() if d.get("objectId") == forbidden}
        allowed = set(live.desired.statistics) - refused
        assert refused and len(allowed) >= 4  # several chunks besides the refused one
        await async_wait_until(
            lambda: set(live.upstream_open()) == allowed and live.bridge.status.state == BridgeState.CONNECTED,
            timeout=20,
        )
        assert set(live.bridge.reconciler.invalid) == refused
        assert all("no permission" in message for message in live.bridge.reconciler.invalid.values())
        assert "unauthorized" not in states, states
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]
