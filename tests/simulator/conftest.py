"""A real simulator on a free loopback port, and clients that talk to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    sim = Simulator(port=0, agents=20, queues=4, seed=1, connect_timeout_ms=1500, max_interval_s=1.0)
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture
async def http(simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=simulator.base_url, headers={"x-api-key": CREDS.api_key}, timeout=10
    ) as client:
        yield client


async def password_token(http: httpx.AsyncClient) -> str:
    response = await http.post(
        "/auth/v3/oauth/token",
        auth=(CREDS.client_id, CREDS.client_secret),
        data={"grant_type": "password", "username": CREDS.username, "password": CREDS.password, "scope": "*"},
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture
async def authed(http: httpx.AsyncClient) -> httpx.AsyncClient:
    http.headers["Authorization"] = f"Bearer {await password_token(http)}"
    return http
