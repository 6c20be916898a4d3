"""A socket joining a warm relay gets its snapshot from the relay's own copy
(dashboard/realtime/relay_copy.py): no request to the bridge, and the same statistics,
values and trend history a page that was already connected holds.

Real `rundashboard` (daphne, the embedded bridge and simulator), real kiosk sockets,
the counters read from /metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import aiohttp
import httpx
import orjson
import pytest

from dashboard.realtime import relay_copy
from statsbridge.config import HISTORY_POINTS
from tests.support.processes import ManagedProcess, kiosk_socket_path, set_simulator_rate, start_dashboard
from tests.support.waiting import async_wait_until

BRIDGE_REQUESTS = ("statsbridge_snapshots_built_total", "statsbridge_snapshots_reused_total")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    proc = start_dashboard(tmp_path_factory.mktemp("relay-copy"))
    yield proc
    proc.stop()


def metrics(server: ManagedProcess) -> dict[str, float]:
    text = httpx.get(server.extra["url"] + "/metrics", timeout=10).text
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            found[name] = float(value)
    return found


def set_rate(server: ManagedProcess, rate: float) -> None:
    set_simulator_rate(server.extra["simulator_port"], rate)


class Page:
    """What a page holds: static/js/values.js mergeStat, folded over every frame."""

    def __init__(self) -> None:
        self.values: dict[str, dict] = {}
        self.first: dict | None = None
        self.updates = 0
        self.breaking_at = 0.0  # when a frame the relay's copy cannot replay last came (it drops the copy)

    def fold(self, frame: dict) -> None:
        if self.first is None:
            self.first = frame
        if frame["type"] in ("alert", "config", "message"):
            self.breaking_at = asyncio.get_running_loop().time()
        if frame["type"] not in ("snapshot", "update"):
            return
        self.updates += frame["type"] == "update"
        for stat in frame["statistics"]:
            old = self.values.get(stat["id"])
            if old and stat.get("timestamp") is not None and old.get("timestamp") is not None:
                if stat["timestamp"] < old["timestamp"]:
                    continue
            history = stat.get("history") or (old or {}).get("history") or []
            if "history" not in stat and isinstance(stat.get("value"), (int, float)) and stat.get("timestamp"):
                history = [*history, [stat["timestamp"], stat["value"]]][-HISTORY_POINTS:]
            self.values[stat["id"]] = {**stat, "history": history}

    async def read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            self.fold(orjson.loads(message.data))


async def quiet(page: Page, still_s: float = 2.0, timeout: float = 60.0) -> None:
    """Until no update came for `still_s` (a loaded machine delivers late), and no
    frame that drops the relay's copy (a demo alert) for long enough that the relay
    has asked for a new one (relay_copy.RETRY_S) and got it."""
    loop = asyncio.get_running_loop()
    deadline, seen, since = loop.time() + timeout, page.updates, loop.time()
    while loop.time() < deadline and (
        loop.time() - since < still_s or loop.time() - page.breaking_at < relay_copy.RETRY_S + 3
    ):
        await asyncio.sleep(0.2)
        if page.updates != seen:
            seen, since = page.updates, loop.time()


async def test_a_socket_joining_a_warm_relay_gets_a_complete_snapshot_without_asking_the_bridge(
    server: ManagedProcess,
) -> None:
    url = server.extra["url"].replace("http", "ws", 1) + kiosk_socket_path(server, "queues")
    origin = {"Origin": server.extra["url"]}
    resident, joiner = Page(), Page()
    async with aiohttp.ClientSession() as session:
        first = await session.ws_connect(url, headers=origin, max_msg_size=0)
        reading = asyncio.create_task(resident.read(first))
        set_rate(server, 200)
        try:
            await async_wait_until(lambda: resident.updates >= 20, timeout=90, what="updates at the resident")
        finally:
            set_rate(server, 0)
        await quiet(resident)  # the last frames in flight reach the resident
        before = metrics(server)
        second = await session.ws_connect(url, headers=origin, max_msg_size=0)
        snapshot = orjson.loads((await second.receive(timeout=30)).data)
        joiner.fold(snapshot)
        after = metrics(server)
        # Both keep reading a moment: an update that reaches the resident after the
        # joiner's snapshot reaches the joiner as a frame too (it is compared after both).
        joining = asyncio.create_task(joiner.read(second))
        await asyncio.sleep(1.0)
        reading.cancel()
        joining.cancel()
        await first.close()
        await second.close()

    def moved(name: str) -> float:
        return after.get(name, 0.0) - before.get(name, 0.0)

    assert resident.first is not None and resident.first["type"] == "snapshot"
    assert snapshot["type"] == "snapshot" and snapshot["dashboard"] == "queues"
    counters = {name: moved(name) for name in after if "snapshot" in name and moved(name)}
    assert moved("dashboard_socket_snapshots_local_total") == 1, f"not the relay's own snapshot: {counters}"
    # A refresh of the copy (every 30 s) is a bridge request too, and builds a copy; the joiner asked none.
    requests = sum(moved(name) for name in BRIDGE_REQUESTS)
    assert requests == moved("dashboard_socket_snapshot_copies_built_total"), "the joiner asked the bridge"
    assert snapshot["bridge"]["state"] == "connected"
    sent = {stat["id"]: stat for stat in snapshot["statistics"]}
    assert set(joiner.values) == set(resident.values), "statistics missing from the relay's snapshot"
    for key, held in resident.values.items():
        got = joiner.values[key]
        assert (got["value"], got["timestamp"], got.get("state")) == (
            held["value"],
            held["timestamp"],
            held.get("state"),
        ), key
        if "history" in sent[key]:  # a statistic some widget draws over time (others have none, as from the bridge)
            n = len(got["history"])
            assert n >= min(len(held["history"]), 12), f"{key}: history cut short"
            assert got["history"] == held["history"][len(held["history"]) - n :], f"{key}: history differs"
    assert any(len(s.get("history", ())) > 1 for s in snapshot["statistics"]), "no trend history in the snapshot"
