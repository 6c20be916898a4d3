"""A restart keeps the trend: `rundashboard` (bridge + simulator) writes buckets, is
stopped (its last flush on the way out), started again on the same database, and the
first snapshot's history of a drawn statistic starts from the stored buckets."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import aiohttp

from tests.support.live_server import LOCAL_ORIGIN, run_in_server, ws_url
from tests.support.processes import ManagedProcess, kiosk_socket_path, start_dashboard
from tests.support.waiting import wait_until

DRAWN = """
import json
from dashboard.models import HistoryBucket, WidgetStatistic
stat = WidgetStatistic.objects.filter(widget__dashboard__slug="queues", widget__kind="line").first().statistic
rows = HistoryBucket.objects.filter(statistic=stat, interval=300).order_by("start")
print(json.dumps({"key": stat.key, "buckets": [[int(b.start.timestamp() * 1000), b.last, b.count] for b in rows]}))
"""


async def _snapshot(server: ManagedProcess, path: str) -> dict:
    async with aiohttp.ClientSession() as client:
        async with client.ws_connect(ws_url(server, path), headers={"Origin": LOCAL_ORIGIN}, max_msg_size=0) as ws:
            async with asyncio.timeout(30):
                while True:
                    frame = json.loads((await ws.receive()).data)
                    if frame.get("type") == "snapshot":
                        return {stat["id"]: stat for stat in frame["statistics"]}


def _snapshot_with_values(server: ManagedProcess, key: str) -> dict:
    def ready() -> dict | None:
        stats = asyncio.run(_snapshot(server, kiosk_socket_path(server, "queues", "floor")))
        return stats if stats.get(key, {}).get("history") else None

    return wait_until(ready, timeout=60, interval=0.5, what="a snapshot with the drawn statistic's history")


def test_trend_survives_a_restart(tmp_path: Path) -> None:
    first = start_dashboard(tmp_path, HISTORY_FLUSH_SECONDS="1")
    try:
        wait_until(lambda: run_in_server(first, DRAWN)["buckets"], timeout=60, what="stored buckets")
    finally:
        assert first.stop() == 0
    before = run_in_server(first, DRAWN)
    stored_starts = {start for start, _, _ in before["buckets"]}
    restarted_at = time.time() * 1000
    second = start_dashboard(tmp_path, HISTORY_FLUSH_SECONDS="1")
    try:
        history = _snapshot_with_values(second, before["key"])[before["key"]]["history"]
        seeded = [ms for ms, _ in history if ms in stored_starts]
        assert seeded, f"no stored bucket in the history after the restart: {history[:5]}"
        assert history[0][0] < restarted_at  # the trend starts before this process did
        assert min(seeded) == min(stored_starts)
    finally:
        second.stop()
