"""Two simulators, two connections, one dashboard showing the same five agents of each,
over a real socket of a real `rundashboard`: values come from each connection under
their own ids, and an outage of one leaves the other streaming (issue 22)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import httpx
import pytest

from tests.connections.support import TwoTenants
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tenants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoTenants]:
    deployment = TwoTenants(Path(tmp_path_factory.mktemp("two-tenants")))
    try:
        yield deployment.start()
    finally:
        deployment.stop()


class Socket:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.arrived: dict[str, list[float]] = {}
        self.bridges: list[dict] = []
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            frame = json.loads(message.data)
            if frame["type"] == "bridge":
                self.bridges.append(frame)
            if frame["type"] == "snapshot":
                self.bridges.append(frame["bridge"])
            for stat in frame.get("statistics", ()):
                self.arrived.setdefault(stat["id"], []).append(time.monotonic())

    def after(self, keys: list[str], since: float) -> bool:
        return any(t > since for k in keys for t in self.arrived.get(k, ()))


async def open_socket(tenants: TwoTenants, session: aiohttp.ClientSession) -> Socket:
    token = tenants.wallboard_url.split("token=")[1]
    url = f"ws://127.0.0.1:{tenants.port}/ws/dashboards/mix/?token={token}"
    return Socket(await session.ws_connect(url, headers={"Origin": tenants.url}))


async def test_one_page_gets_each_connections_values_under_their_own_ids(tenants: TwoTenants) -> None:
    assert not set(tenants.keys["default"]) & set(tenants.keys["brand-b"])  # same agents, two ids each
    async with aiohttp.ClientSession() as session:
        sock = await open_socket(tenants, session)
        every = tenants.keys["default"] + tenants.keys["brand-b"]
        await async_wait_until(lambda: all(k in sock.arrived for k in every), timeout=60, what="all ten values")
        assert {b.get("connection") for b in sock.bridges} >= {None, "brand-b"}  # a snapshot from each bridge
        health = tenants.health()
        assert health["bridge"]["state"] == "connected"  # today's fields: `default`
        assert health["connections"]["default"]["statistics"] == 5
        assert health["connections"]["brand-b"]["statistics"] == 5
        metrics = httpx.get(f"{tenants.url}/metrics", timeout=10).text
        found = re.search(r'^statsbridge_connection_updates_in_total\{connection="brand-b"\} (\S+)$', metrics, re.M)
        assert found and float(found.group(1)) > 0, metrics[-2000:]
        await sock.ws.close()


async def test_an_outage_of_one_connection_leaves_the_other_streaming(tenants: TwoTenants) -> None:
    async with aiohttp.ClientSession() as session:
        sock = await open_socket(tenants, session)
        await async_wait_until(lambda: len(sock.arrived) >= 10, timeout=60, what="the snapshots")
        await asyncio.to_thread(tenants.outage, 1, 12)
        began = time.monotonic()
        await async_wait_until(
            lambda: any(
                b.get("connection") == "brand-b" and b["state"] == "upstream-unavailable" for b in sock.bridges
            ),
            timeout=20,
            what="brand-b's link state on the page",
        )
        assert not any(b.get("connection") is None and b["state"] != "connected" for b in sock.bridges)
        await async_wait_until(
            lambda: sock.after(tenants.keys["default"], began), timeout=30, what="default's values during the outage"
        )
        health = await asyncio.to_thread(tenants.health)
        assert health["connections"]["brand-b"]["state"] == "upstream-unavailable", health
        assert health["connections"]["default"]["state"] == "connected" and health["status"] == "ok"
        await async_wait_until(
            lambda: sock.bridges[-1].get("connection") == "brand-b" and sock.bridges[-1]["state"] == "connected",
            timeout=40,
            what="brand-b back after the outage",
        )
        back = time.monotonic()
        await async_wait_until(lambda: sock.after(tenants.keys["brand-b"], back), timeout=40, what="brand-b's values")
        await sock.ws.close()
