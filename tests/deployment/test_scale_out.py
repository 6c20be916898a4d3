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

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from tests.support.processes import ManagedProcess, base_env, free_port, manage
from tests.support.redis_server import PrivateRedis

pytestmark = pytest.mark.slow

DASHBOARDS = {
    "dashboards": [
        {
            "slug": "live",
            "title": "Live",
            "widgets": [
                {
                    "type": "agent-grid",
                    "title": "Agents",
                    "statistics": [
                        {"name": "TimeInCurrentState", "objectType": "Agent", "objectId": f"agent00{n}"}
                        for n in range(1, 6)
                    ],
                }
            ],
        }
    ],
    "wallboards": [{"slug": "wall", "title": "Wall", "dashboards": ["live"], "rotate_seconds": 30}],
}


class Deployment:
    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.redis = PrivateRedis(tmp).start()
        self.sim_port = free_port()
        self.env = base_env(
            tmp,
            DATABASE_URL=database_url,
            REDIS_URL=self.redis.url,
            GENESYS_API_BASE_URL=f"http://127.0.0.1:{self.sim_port}",
            GENESYS_API_KEY=CREDS.api_key,
            GENESYS_CLIENT_ID=CREDS.client_id,
            GENESYS_CLIENT_SECRET=CREDS.client_secret,
            GENESYS_USERNAME=CREDS.username,
            GENESYS_PASSWORD=CREDS.password,
        )
        self.processes: list[ManagedProcess] = []
        self.workers: list[ManagedProcess] = []
        self.web_urls: list[str] = []

    def spawn(self, name: str, *args: str) -> ManagedProcess:
        proc = ManagedProcess(list(args), self.env, self.tmp / f"{name}.log").start()
        self.processes.append(proc)
        return proc

    def start(self) -> None:
        self.spawn("simulator", "simulate", "--port", str(self.sim_port), "--connect-timeout-ms", "5000")
        manage(self.env, "migrate", "-v", "0")  # the release step (docs/deployment.md), once
        manage(self.env, "import_dashboards", "-", stdin=json.dumps(DASHBOARDS))
        webs = []
        for n in range(2):  # started together, as a service manager does
            port = free_port()
            self.web_urls.append(f"http://127.0.0.1:{port}")
            webs.append(self.spawn(f"web{n}", "rundashboard", "--no-bridge", "--port", str(port)))
        for web, url in zip(webs, self.web_urls, strict=False):
            web.wait_http(f"{url}/healthz")
        self.workers = [self.spawn(f"worker{n}", "runworker", "statsbridge") for n in range(2)]
        self.token_url = manage(self.env, "wallboard_url", "wall", "--base", self.web_urls[0]).strip()

    def leader(self) -> ManagedProcess:
        leaders = [w for w in self.workers if "leader lease taken" in w.log() and w.process.poll() is None]
        assert len(leaders) == 1, [w.log()[-500:] for w in self.workers]
        return leaders[0]

    def stop(self) -> None:
        for proc in reversed(self.processes):
            proc.stop()
        self.redis.stop()


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
    deployment = Deployment(tmp_path, postgres_url)
    try:
        await asyncio.to_thread(deployment.start)
        yield deployment
    finally:
        await asyncio.to_thread(deployment.stop)


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


async def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


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
