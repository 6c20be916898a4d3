"""The scaled-out deployment the tests here (and the floor and alerts ones) start for
real: a private Redis, PostgreSQL, the simulator, `rundashboard --no-bridge` web
processes and `runworker statsbridge` workers, each a process with its own log. The
set-up lives here once; each test module says only what differs (its dashboards, how
many web processes)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from tests.support.processes import ManagedProcess, free_port, manage, upstream_env
from tests.support.redis_server import PrivateRedis
from tests.support.waiting import async_wait_until

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
    """`dashboards` imported, `webs` web processes started together (as a service manager
    does) and two bridge workers (one elected), then a wallboard URL for `wall`."""

    dashboards: dict = DASHBOARDS
    webs = 2

    def __init__(self, tmp: Path, database_url: str, **env: str) -> None:
        self.tmp = tmp
        self.redis = PrivateRedis(tmp).start()
        self.sim_port = free_port()
        self.env = upstream_env(tmp, self.sim_port, DATABASE_URL=database_url, REDIS_URL=self.redis.url, **env)
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
        manage(self.env, "import_dashboards", "-", stdin=json.dumps(self.dashboards))
        webs = []
        for n in range(self.webs):
            port = free_port()
            self.web_urls.append(f"http://127.0.0.1:{port}")
            webs.append(self.spawn(f"web{n}", "rundashboard", "--no-bridge", "--port", str(port)))
        for web, url in zip(webs, self.web_urls, strict=True):
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


D = TypeVar("D", bound=Deployment)


@asynccontextmanager
async def running(deployment: D) -> AsyncIterator[D]:
    """Started for the block and stopped after it, off the event loop (the start waits
    on processes and the test's sockets share the loop)."""
    try:
        await asyncio.to_thread(deployment.start)
        yield deployment
    finally:
        await asyncio.to_thread(deployment.stop)


async def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.1) -> None:
    """The deployment tests' positional spelling of tests/support/waiting.py's wait."""
    await async_wait_until(condition, timeout=timeout, interval=interval, what=what)
