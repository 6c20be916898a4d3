"""Scaled out (PostgreSQL, a private Redis, two web processes, two bridge workers, one
elected): each alert fires exactly once, at the webhook and on every web process's sockets."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
import pytest

from tests.alerts.receiver import SECRET, Receiver
from tests.deployment.support import DASHBOARDS, Deployment
from tests.support.processes import manage
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.slow


def alerting_file(hook: str) -> dict:
    data = json.loads(json.dumps(DASHBOARDS))
    live = data["dashboards"][0]
    live["widgets"].append(
        {
            "type": "kpi",
            "title": "On calls",
            "statistics": [{"name": "CurrentNumberBusyAgents", "objectType": "Tenant", "objectId": "Environment"}],
            "thresholds": {"warning": 0, "critical": 0, "direction": "above"},
        }
    )
    live["alerts"] = [
        {
            "name": "Everyone busy",
            "widget": "On calls",
            "level": "critical",
            "after_seconds": 0,
            "repeat_seconds": 2,
            "channels": ["ops"],
            "sound": True,
        }
    ]
    data["channels"] = [{"name": "ops", "kind": "webhook", "url": hook, "secret": SECRET}]
    return data


async def test_with_two_bridge_workers_each_alert_fires_once(tmp_path: Path, postgres_url: str) -> None:
    async with Receiver() as hook:
        deployment = Deployment(tmp_path, postgres_url)
        try:
            await asyncio.to_thread(deployment.start)
            await asyncio.to_thread(
                manage, deployment.env, "import_dashboards", "-", stdin=json.dumps(alerting_file(hook.url))
            )
            token = deployment.token_url.split("token=")[1]
            async with aiohttp.ClientSession() as session:
                frames: list[list[dict]] = [[], []]
                readers = []
                for index, base in enumerate(deployment.web_urls):
                    ws = await session.ws_connect(f"{base}/ws/dashboards/live/?token={token}", headers={"Origin": base})
                    readers.append(asyncio.create_task(_read(ws, frames[index])))
                await async_wait_until(
                    lambda: sum(b["event"] == "alert.repeated" for b in hook.bodies) >= 3,
                    timeout=90,
                    what="three repeats at the webhook",
                )
                await async_wait_until(
                    lambda: all(any(f["event"] == "repeated" for f in fs) for fs in frames),
                    what="repeats on both web processes' sockets",
                )
                for reader in readers:
                    reader.cancel()
                # Before the stop: a leader stopping cleanly releases its lease, the other
                # worker takes it and raises what is open once more (docs/reliability.md:
                # a leader change costs at most one new `raised` per open alert).
                bodies = list(hook.bodies)
        finally:
            await asyncio.to_thread(deployment.stop)
    raised = [b for b in bodies if b["event"] == "alert.raised"]
    assert len(raised) == 1, [b["event"] for b in bodies]
    assert hook.bad_signatures == 0
    for seen in frames:  # the raise came before the sockets or after: once at most, never twice
        assert sum(f["event"] == "raised" for f in seen) <= 1
        assert {f["alert"]["id"] for f in seen} == {raised[0]["alert"]["id"]}


async def _read(ws: aiohttp.ClientWebSocketResponse, into: list[dict]) -> None:
    async for message in ws:
        frame = json.loads(message.data)
        if frame["type"] == "alert":
            into.append(frame)
