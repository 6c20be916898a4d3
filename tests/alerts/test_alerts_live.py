"""Alerts through the real server: rundashboard with its simulator, a webhook receiver on
127.0.0.1, a supervisor's socket and a kiosk socket."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import orjson

from tests.alerts.live import add_rule, delete_rule, manage, session_cookie
from tests.alerts.receiver import SECRET, Receiver
from tests.support.processes import ManagedProcess, kiosk_socket_path, start_dashboard
from tests.support.waiting import async_wait_until


class Frames:
    """Reads a socket in the background, keeping every alert frame and reply."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames: list[dict] = []
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                frame = orjson.loads(message.data)
                if frame.get("type") in ("snapshot", "alert", "ack-refused"):
                    self.frames.append(frame)

    def alerts(self, event: str | None = None) -> list[dict]:
        return [f for f in self.frames if f["type"] == "alert" and (event is None or f["event"] == event)]

    def snapshot(self) -> dict | None:
        return next((f for f in self.frames if f["type"] == "snapshot"), None)


async def test_raised_repeated_acknowledged_cleared_reach_page_and_webhook_and_a_kiosk_cannot_ack(
    tmp_path: Path,
) -> None:
    async with Receiver() as hook:
        server: ManagedProcess = await asyncio.to_thread(start_dashboard, tmp_path)
        try:
            base = server.extra["url"]
            cookie = await asyncio.to_thread(session_cookie, server)
            kiosk_path = await asyncio.to_thread(kiosk_socket_path, server)
            async with aiohttp.ClientSession() as session:
                supervisor = Frames(
                    await session.ws_connect(
                        base + "/ws/dashboards/agents/", headers={"Origin": base, "Cookie": cookie}
                    )
                )
                kiosk = Frames(await session.ws_connect(base + kiosk_path, headers={"Origin": base}))
                await async_wait_until(lambda: supervisor.snapshot() and kiosk.snapshot(), what="both snapshots")
                assert supervisor.snapshot()["alerts"] == []
                await asyncio.to_thread(add_rule, server, hook=hook.url, secret=SECRET, repeat=2)
                await async_wait_until(lambda: supervisor.alerts("raised"), timeout=60, what="a raised frame")
                alert = supervisor.alerts("raised")[0]["alert"]
                assert (alert["rule"], alert["dashboard"], alert["widget"], alert["level"]) == (
                    "Everyone busy",
                    "agents",
                    "On calls",
                    "critical",
                )
                assert alert["value"] >= 0 and alert["threshold"] == 0 and alert["acknowledged_by"] is None
                await async_wait_until(lambda: kiosk.alerts("repeated"), timeout=30, what="a repeat, on the kiosk too")

                await kiosk.ws.send_str(orjson.dumps({"type": "ack", "alert": alert["id"]}).decode())
                await async_wait_until(
                    lambda: any(f["type"] == "ack-refused" for f in kiosk.frames), what="the kiosk's ack refused"
                )
                await supervisor.ws.send_str(orjson.dumps({"type": "ack", "alert": alert["id"]}).decode())
                await async_wait_until(lambda: supervisor.alerts("acknowledged"), what="the acknowledged frame")
                assert supervisor.alerts("acknowledged")[0]["alert"]["acknowledged_by"] == "supervisor"
                assert len(kiosk.alerts("acknowledged")) == 1  # only the supervisor's ack counted
                async with session.get(base + "/metrics") as response:
                    assert "dashboard_alert_acks_refused_total 1.0" in await response.text()

                again = Frames(
                    await session.ws_connect(
                        base + "/ws/dashboards/agents/", headers={"Origin": base, "Cookie": cookie}
                    )
                )
                await async_wait_until(again.snapshot, what="a reconnecting page's snapshot")
                assert [(a["id"], a["acknowledged_by"]) for a in again.snapshot()["alerts"]] == [
                    (alert["id"], "supervisor")
                ]

                await asyncio.to_thread(delete_rule, server)
                await async_wait_until(lambda: supervisor.alerts("cleared"), timeout=30, what="the cleared frame")
                await async_wait_until(
                    lambda: hook.bodies and hook.bodies[-1]["event"] == "alert.cleared", what="the cleared webhook"
                )
        finally:
            await asyncio.to_thread(server.stop)
    events = [b["event"] for b in hook.bodies]
    assert hook.bad_signatures == 0
    assert events[0] == "alert.raised" and events[-2:] == ["alert.acknowledged", "alert.cleared"]
    assert set(events[1:-2]) == {"alert.repeated"}
    assert all(b["url"] == server.extra["url"] + "/dashboards/agents/" for b in hook.bodies)
    history = manage(
        server,
        "shell",
        "-c",
        "from dashboard.models import AlertEvent; "
        "print([(e.event, e.by) for e in AlertEvent.objects.order_by('at', 'id')])",
    )
    assert "('raised', '')" in history and "('acknowledged', 'supervisor')" in history and "('cleared', '')" in history


async def test_an_upstream_outage_raises_one_link_alert_not_one_per_tile(tmp_path: Path) -> None:
    async with Receiver() as hook:
        server: ManagedProcess = await asyncio.to_thread(start_dashboard, tmp_path, ALERT_BRIDGE_GRACE_SECONDS="2")
        try:
            base = server.extra["url"]
            cookie = await asyncio.to_thread(session_cookie, server)
            async with aiohttp.ClientSession() as session:
                page = Frames(
                    await session.ws_connect(
                        base + "/ws/dashboards/agents/", headers={"Origin": base, "Cookie": cookie}
                    )
                )
                await async_wait_until(page.snapshot, what="the snapshot")
                await outage_with_rules(server, hook, page, session)
        finally:
            await asyncio.to_thread(server.stop)
    raised = page.alerts("raised")
    assert [a["alert"]["rule"] for a in raised] == ["Everyone busy", "Statistics link down"]
    assert raised[1]["alert"]["dashboard"] is None and raised[1]["alert"]["level"] == "critical"
    assert [a["alert"]["rule"] for a in page.alerts("cleared")] == ["Statistics link down"]
    # one channel, each event once: the value alert, then the link's own alert raised and cleared
    assert [(b["event"], b["alert"]["rule"]) for b in hook.bodies] == [
        ("alert.raised", "Everyone busy"),
        ("alert.raised", "Statistics link down"),
        ("alert.cleared", "Statistics link down"),
    ]


async def outage_with_rules(
    server: ManagedProcess, hook: Receiver, page: Frames, session: aiohttp.ClientSession
) -> None:
    """Two rules on two tiles; an outage once the engine has read them (the first one raised)."""
    second = (
        "AlertRule.objects.create(dashboard=board, name='Breaks', after_seconds=3600, "
        "widget=Widget.objects.get(dashboard=board, title='Not ready')).channels.add(channel)"
    )
    await asyncio.to_thread(add_rule, server, hook=hook.url, secret=SECRET, after=0, also=second)
    await async_wait_until(lambda: page.alerts("raised"), timeout=30, what="the rules read (one raised)")
    simulator = f"http://127.0.0.1:{server.extra['simulator_port']}/simulator/v1/outage"
    async with session.post(simulator, json={"seconds": 15}) as response:
        assert response.status == 200
    await async_wait_until(lambda: len(page.alerts("raised")) == 2, timeout=30, what="the link alert")
    await async_wait_until(lambda: page.alerts("cleared"), timeout=60, what="the link alert cleared")
    await async_wait_until(lambda: len(hook.bodies) >= 3, what="three webhook posts")
