"""Issue 22 scaled out, for real: four connections (two simulators), three
`runworker statsbridge` workers joined by a private Redis, PostgreSQL for configuration,
one web process. Each worker holds one or two connections; SIGKILL one and its
connections move to the survivors, whose bridges send their values again."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import httpx
import pytest
import redis

from tests.connections.support import MIXED, add_connections, move_widget
from tests.deployment.support import Deployment, running
from tests.support.processes import ManagedProcess, free_port, manage
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.slow

NAMED = ["brand-b", "brand-c", "brand-d"]
LEASE_KEYS = {"default": "statsbridge:leader", **{n: f"statsbridge:conn:{n}" for n in NAMED}}


class SpreadDeployment(Deployment):
    """Two simulators (`default` and `brand-d` on the first, `brand-b` and `brand-c` on
    the second), one web process, three workers."""

    def __init__(self, tmp: Path, database_url: str) -> None:
        super().__init__(tmp, database_url, STATSBRIDGE_LEASE_TTL_MS="3000", STATSBRIDGE_SPREAD_TICK_MS="200")
        self.sims = [self.sim_port, free_port()]
        self.keys: dict[str, list[str]] = {}

    def start(self) -> None:
        for n, port in enumerate(self.sims):
            self.spawn(f"sim{n}", "simulate", "--port", str(port), "--seed", str(n))
        manage(self.env, "migrate", "-v", "0")
        manage(self.env, "import_dashboards", "-", stdin=json.dumps(MIXED))
        urls = [f"http://127.0.0.1:{p}" for p in self.sims]
        add_connections(self.env, {"brand-b": urls[1], "brand-c": urls[1], "brand-d": urls[0]})
        self.keys = move_widget(self.env, "mix", "Tenant B", "brand-b")
        self.web_url = f"http://127.0.0.1:{free_port()}"
        web = self.spawn("web", "rundashboard", "--no-bridge", "--port", self.web_url.rsplit(":", 1)[1])
        web.wait_http(f"{self.web_url}/healthz")
        self.workers = [self.spawn(f"worker{n}", "runworker", "statsbridge") for n in range(3)]
        self.token = manage(self.env, "wallboard_url", "wall", "--base", self.web_url).strip().split("token=")[1]

    def worker_ids(self) -> dict[str, ManagedProcess]:
        ids = {}
        for proc in self.workers:
            found = re.search(r"connection bridges: worker (\S+)", proc.log())
            if found and proc.process and proc.process.poll() is None:
                ids[found.group(1)] = proc
        return ids

    def holders(self) -> dict[str, str | None]:
        client = redis.Redis.from_url(self.redis.url)
        try:
            return {
                n: (v.decode() if v else None)
                for n, v in zip(LEASE_KEYS, client.mget(LEASE_KEYS.values()), strict=True)
            }
        finally:
            client.close()

    def held_by(self) -> dict[str, list[str]]:
        """Live worker id -> the connections whose lease it holds."""
        by: dict[str, list[str]] = {w: [] for w in self.worker_ids()}
        for name, holder in self.holders().items():
            if holder in by:
                by[holder].append(name)
        return by


def spread_is_fair(deployment: SpreadDeployment, workers: int) -> bool:
    by = deployment.held_by()
    return len(by) == workers and sum(map(len, by.values())) == 4 and all(1 <= len(v) <= 2 for v in by.values())


def all_connected(deployment: SpreadDeployment) -> bool:
    health = httpx.get(f"{deployment.web_url}/healthz", timeout=5).json()
    return sorted(health["connections"]) == ["brand-b", "brand-c", "brand-d", "default"] and all(
        c["state"] == "connected" for c in health["connections"].values()
    )


@pytest.fixture
async def deployment(tmp_path: Path, postgres_url: str) -> AsyncIterator[SpreadDeployment]:
    async with running(SpreadDeployment(tmp_path, postgres_url)) as deployment:
        yield deployment


async def test_three_workers_share_four_connections_and_a_killed_one_hands_them_over(
    deployment: SpreadDeployment,
) -> None:
    await async_wait_until(lambda: spread_is_fair(deployment, 3), timeout=60, what="1 or 2 connections per worker")
    await async_wait_until(lambda: all_connected(deployment), timeout=60, what="every connection connected in /healthz")
    arrived: dict[str, float] = {}
    async with aiohttp.ClientSession() as session:
        url = f"{deployment.web_url.replace('http', 'ws')}/ws/dashboards/mix/?token={deployment.token}"
        ws = await session.ws_connect(url, headers={"Origin": deployment.web_url})
        reader = asyncio.create_task(_record(ws, arrived))
        await async_wait_until(
            lambda: all(k in arrived for k in deployment.keys["keys"] + deployment.keys["before"][:1]),
            timeout=60,
            what="values of both connections on one socket",
        )
        by = deployment.held_by()
        victim_id = next(w for w, names in by.items() if "brand-b" in names)
        orphans = by[victim_id]
        victim = deployment.worker_ids()[victim_id]
        killed = time.monotonic()
        victim.stop(signal.SIGKILL)
        await async_wait_until(lambda: spread_is_fair(deployment, 2), timeout=30, what="the orphans on the survivors")
        moved = time.monotonic() - killed
        await async_wait_until(
            lambda: any(arrived.get(k, 0) > killed for k in deployment.keys["keys"]),
            timeout=30,
            what="brand-b's values again after the kill",
        )
        flowing = min(arrived[k] for k in deployment.keys["keys"] if arrived.get(k, 0) > killed) - killed
        assert all(len(names) == 2 for names in deployment.held_by().values())
        print(
            f"killed a worker holding {orphans}: leases moved after {moved:.1f} s, brand-b values after {flowing:.1f} s"
        )
        reader.cancel()
        await ws.close()


async def _record(ws: aiohttp.ClientWebSocketResponse, arrived: dict[str, float]) -> None:
    async for message in ws:
        frame = json.loads(message.data)
        for stat in frame.get("statistics", ()):
            if stat.get("value") is not None or stat.get("raw") is not None:
                arrived[stat["id"]] = time.monotonic()
