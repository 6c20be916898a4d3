"""The scaled-out deployment for real: PostgreSQL for configuration, a private Redis
joining two web processes (`rundashboard --no-bridge`) and two bridge workers
(`runworker statsbridge`, one elected), the simulator as upstream."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.deployment.support import Deployment, running, wait_for

pytestmark = pytest.mark.slow


class Socket:
    """A wallboard socket that records when each update frame arrived."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.updates: list[float] = []
        self.snapshots = 0
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            frame = json.loads(message.data)
            if frame["type"] == "update":
                self.updates.append(time.monotonic())
            elif frame["type"] == "snapshot":
                self.snapshots += 1


@pytest.fixture
async def deployment(tmp_path: Path, postgres_url: str) -> AsyncIterator[Deployment]:
    async with running(Deployment(tmp_path, postgres_url)) as deployment:
        yield deployment


async def open_sockets(deployment: Deployment, session: aiohttp.ClientSession) -> list[Socket]:
    token = deployment.token_url.split("token=")[1]
    sockets = []
    for base in deployment.web_urls:
        url = f"{base.replace('http', 'ws')}/ws/dashboards/live/?token={token}"
        deadline = time.monotonic() + 30
        while True:  # as the browsers do: retry until the server can take us again
            try:
                ws = await session.ws_connect(url, headers={"Origin": base})
                break
            except aiohttp.WSServerHandshakeError:
                assert time.monotonic() < deadline, f"{url} kept refusing"
                await asyncio.sleep(1)
        sockets.append(Socket(ws))
    return sockets


async def test_both_web_processes_get_updates_and_a_dead_leader_costs_at_most_15_s(deployment: Deployment) -> None:
    async with aiohttp.ClientSession() as session:
        sockets = await open_sockets(deployment, session)
        await wait_for(lambda: all(len(s.updates) >= 3 for s in sockets), 60, "updates on both web processes")
        assert all(s.snapshots >= 1 for s in sockets)
        async with session.get(deployment.web_urls[1] + "/healthz") as response:
            health = await response.json()
        assert health["status"] == "ok" and health["bridge"]["state"] == "connected", health
        assert health["bridge"]["statistics"] == 5
        leader = deployment.leader()
        killed_at = time.monotonic()
        leader.stop(signal.SIGKILL)
        await wait_for(lambda: all(s.updates[-1] > killed_at + 0.5 for s in sockets), 30, "updates after failover")
        gaps = [
            min(t for t in s.updates if t > killed_at) - max(t for t in s.updates if t <= killed_at) for s in sockets
        ]
        assert max(gaps) <= 15.0, gaps
        print(f"failover gap per socket: {[round(g, 1) for g in gaps]} s")
        for s in sockets:
            await s.ws.close()


async def test_all_processes_survive_redis_down_for_10_s(deployment: Deployment) -> None:
    async with aiohttp.ClientSession() as session:
        sockets = await open_sockets(deployment, session)
        await wait_for(lambda: all(len(s.updates) >= 2 for s in sockets), 60, "updates before the Redis stop")
        await asyncio.to_thread(deployment.redis.stop)
        await asyncio.sleep(10)
        await asyncio.to_thread(deployment.redis.start)
        back = time.monotonic()
        assert all(p.process.poll() is None for p in deployment.processes), "a process died without Redis"
        sockets = await open_sockets(deployment, session)  # browsers reconnect by themselves
        await wait_for(
            lambda: all(s.updates and s.updates[-1] > back for s in sockets), 60, "updates after Redis returned"
        )
        for s in sockets:
            await s.ws.close()
