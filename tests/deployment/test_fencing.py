"""Fencing for real: a leader paused (SIGSTOP) past its lease while the standby takes
over, then resumed, must not reach any socket with a frame of its old term.

Without terms, the paused leader resumes in the middle of its fan-out loop (past its
one lease check) and sends the rest of the batch: frames from a deposed leader after
the new one's. Many dashboards make that loop long, so the pause nearly always lands
in it. Processes: a private Redis, PostgreSQL, the simulator, one web process, two
`runworker statsbridge`."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import httpx
import pytest

from tests.deployment import support
from tests.deployment.support import Deployment, running

pytestmark = pytest.mark.slow
DASHBOARDS = 40


def dashboards_file() -> dict:
    stats = [{"name": "TimeInCurrentState", "objectType": "Agent", "objectId": f"agent00{n}"} for n in range(1, 6)]
    slugs = [f"d{n}" for n in range(DASHBOARDS)]
    return {
        "dashboards": [
            {"slug": s, "title": s, "widgets": [{"type": "table", "title": "T", "statistics": stats}]} for s in slugs
        ],
        "wallboards": [{"slug": "wall", "title": "Wall", "dashboards": slugs, "rotate_seconds": 30}],
    }


class FencingDeployment(Deployment):
    """One web process: the fan-out to 40 dashboards' sockets is what the pause lands in."""

    dashboards = dashboards_file()
    webs = 1


class TermSocket:
    """Records the term of every frame that carries one, in arrival order."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.terms: list[int] = []
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            term = json.loads(message.data).get("term")
            if term:
                self.terms.append(term)


@pytest.fixture
async def deployment(tmp_path: Path, postgres_url: str) -> AsyncIterator[FencingDeployment]:
    async with running(FencingDeployment(tmp_path, postgres_url)) as deployment:
        try:
            yield deployment
        finally:  # a paused worker cannot stop
            for worker in deployment.workers:
                if worker.process and worker.process.poll() is None:
                    os.kill(worker.process.pid, signal.SIGCONT)


async def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    await support.wait_for(condition, timeout, what, interval=0.05)  # the takeover is watched closely


async def test_a_paused_leader_resumed_after_a_takeover_reaches_no_socket(deployment: FencingDeployment) -> None:
    base = deployment.web_urls[0]
    token = deployment.token_url.split("token=")[1]
    async with aiohttp.ClientSession() as session:
        sockets = [
            TermSocket(
                await session.ws_connect(
                    f"{base.replace('http', 'ws')}/ws/dashboards/d{n}/?token={token}", headers={"Origin": base}
                )
            )
            for n in range(DASHBOARDS)
        ]
        await wait_for(lambda: all(s.terms for s in sockets), 90, "frames of the first term")
        old = sockets[0].terms[-1]
        httpx.post(f"http://127.0.0.1:{deployment.sim_port}/simulator/v1/rate", json={"updates_per_second": 400})
        paused = deployment.leader()
        await wait_for(lambda: sum(len(s.terms) for s in sockets) > 20 * DASHBOARDS, 60, "a busy fan-out")
        os.kill(paused.process.pid, signal.SIGSTOP)  # type: ignore[union-attr]
        await wait_for(lambda: all(s.terms[-1] > old for s in sockets), 90, "the standby's frames on every socket")
        mark = len(paused.log())
        os.kill(paused.process.pid, signal.SIGCONT)  # type: ignore[union-attr]
        # Its fan-out ends before its bridge logs `stopped` (on a busy machine that can
        # take a while: the lease renewal has to time out or be refused first).
        await wait_for(lambda: "bridge state: stopped" in paused.log()[mark:], 180, "the old leader to stop")
        # Whatever it sent before noticing sits ahead of these in each relay's queue.
        marks = [len(s.terms) for s in sockets]
        await wait_for(
            lambda: all(len(s.terms) > m + 1 for s, m in zip(sockets, marks, strict=False)), 60, "frames after that"
        )
        late = {
            n: s.terms[s.terms.index(next(t for t in s.terms if t > old)) :].count(old) for n, s in enumerate(sockets)
        }
        assert not any(late.values()), f"frames of the deposed term {old} after the new one's: {late}"
        for s in sockets:
            await s.ws.close()
