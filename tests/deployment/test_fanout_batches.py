"""The scaled-out fan-out for real: each bridge flush is one channel-layer message to
every web process, however many dashboards it carries values for (statsbridge/fanout.py,
dashboard/realtime/hub_channel.py), and each dashboard's values reach that dashboard's
sockets, and only them, in both web processes.

Why it matters: channels-redis reads a process's inbox one message per Redis round
trip; one message per dashboard per flush made 100 dashboards' frames wait ~30 s there
(docs/performance.md). Processes: a private Redis, PostgreSQL, the simulator, two
`rundashboard --no-bridge`, two `runworker statsbridge` (one elected)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import httpx
import pytest

from statsbridge.desired import descriptor_of, statistic_key
from tests.deployment.support import Deployment, running, wait_for
from tests.support.processes import set_simulator_rate

pytestmark = pytest.mark.slow
SHARED = "agent001"  # on every dashboard: each flush carrying it has a frame for each
OWN = {"a": "agent002", "b": "agent003", "c": "agent004"}


def stat(agent: str) -> dict:
    return {"name": "TimeInCurrentState", "objectType": "Agent", "objectId": agent}


def dashboards_file() -> dict:
    boards = [
        {
            "slug": slug,
            "title": slug,
            "widgets": [{"type": "table", "title": "T", "statistics": [stat(SHARED), stat(own)]}],
        }
        for slug, own in OWN.items()
    ]
    return {"dashboards": boards, "wallboards": [{"slug": "wall", "title": "W", "dashboards": list(OWN)}]}


class BatchDeployment(Deployment):
    dashboards = dashboards_file()


class BoardSocket:
    """Which statistics each update frame of one dashboard's socket carried."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.update_ids: list[set[str]] = []
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            frame = json.loads(message.data)
            if frame["type"] == "update":
                self.update_ids.append({s["id"] for s in frame["statistics"]})


@pytest.fixture
async def deployment(tmp_path: Path, postgres_url: str) -> AsyncIterator[BatchDeployment]:
    async with running(BatchDeployment(tmp_path, postgres_url)) as deployment:
        yield deployment


def key(agent: str) -> str:
    return statistic_key(descriptor_of(object_type="Agent", object_id=agent, name="TimeInCurrentState"))


async def test_each_flush_is_one_layer_message_and_values_reach_the_right_sockets(deployment: BatchDeployment) -> None:
    token = deployment.token_url.split("token=")[1]
    set_simulator_rate(deployment.sim_port, 200)
    async with aiohttp.ClientSession() as session:
        sockets: dict[tuple[int, str], BoardSocket] = {}
        for n, base in enumerate(deployment.web_urls):
            for slug in OWN:
                url = f"{base.replace('http', 'ws')}/ws/dashboards/{slug}/?token={token}"
                sockets[(n, slug)] = BoardSocket(await session.ws_connect(url, headers={"Origin": base}))
        await wait_for(lambda: all(len(s.update_ids) >= 3 for s in sockets.values()), 90, "updates on every socket")
        before = {key: len(s.update_ids) for key, s in sockets.items()}
        await wait_for(lambda: all(len(s.update_ids) >= before[k] + 10 for k, s in sockets.items()), 90, "more updates")
        for (n, slug), sock in sockets.items():  # each socket saw only its own dashboard's values
            ids = set().union(*sock.update_ids)
            assert ids == {key(SHARED), key(OWN[slug])}, (n, slug, ids)
        for base in deployment.web_urls:
            # One layer message per flush, not per dashboard: most flushes carry the
            # shared statistic, so the frames of three dashboards (and of the demo's)
            # ride in one message. Before, every frame was a message of its own.
            metrics = httpx.get(base + "/metrics", timeout=10).text
            messages = _counter(metrics, "dashboard_socket_layer_messages_in_total")
            frames = _counter(metrics, "dashboard_socket_layer_frames_in_total")
            assert messages > 0 and frames >= 1.5 * messages, (base, messages, frames)
        for sock in sockets.values():
            await sock.ws.close()


def _counter(metrics: str, name: str) -> float:
    """0 if absent (a process without the batch fan-out)."""
    return next((float(line.split()[1]) for line in metrics.splitlines() if line.startswith(name + " ")), 0.0)
