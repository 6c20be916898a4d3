"""Sign-in on its own host (docs/genesys-fidelity.md, Auth): Genesys' own samples keep
the Auth API apart from the Statistics API (console-statistics-app-csharp `AuthBaseUrl`,
the authorization-code sample's `authApiUrl`). The simulator here answers `/auth/v3`
only under `/idp`, so a bridge that asks the API base for tokens never connects."""

from __future__ import annotations

import asyncio

import httpx

from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState
from tests.statsbridge.conftest import start_live_bridge
from tests.support.waiting import async_wait_until


async def test_the_simulator_serves_no_auth_on_the_api_base(split_simulator: Simulator) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            split_simulator.base_url + "/auth/v3/oauth/token",
            data={"grant_type": "password"},
            headers={"x-api-key": "x"},
        )
    assert response.status_code in (403, 404)


async def test_the_bridge_gets_its_tokens_from_the_auth_base(split_simulator: Simulator) -> None:
    live = await start_live_bridge(split_simulator, auth_base_url=split_simulator.auth_base_url)
    try:
        await async_wait_until(
            lambda: (
                live.bridge.status.state == BridgeState.CONNECTED
                and set(live.upstream_open()) == set(live.desired.statistics)
            ),
            timeout=20,
        )
        assert split_simulator.auth.token_requests >= 1
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]
