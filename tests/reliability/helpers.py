"""What the fault tests share: a live bridge against the real simulator (directly or
through the TCP fault proxy), waiting for it to settle, reading its frames, and the
figures they print (`pytest -s` shows the FIGURE lines copied to docs/reliability.md).
The bench soaks (bench/soak_*.py) run the same scenarios for longer.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson

from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState
from tests.statsbridge.conftest import LiveBridge, start_live_bridge
from tests.support.fault_proxy import FaultProxy
from tests.support.waiting import async_wait_until

MIB = 2**20
HOUR_MS = 3_600_000


def figure(name: str, value: object) -> None:
    print(f"FIGURE {name}: {value}")


def rss_mib() -> float:
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


def new_simulator(**options: Any) -> Simulator:
    sim = Simulator(port=0, agents=20, queues=4, seed=3, connect_timeout_ms=2000, max_interval_s=2.0, **options)
    sim.publisher.rate = 20  # every statistic updates often: a missing value is the bridge's doing
    return sim


@asynccontextmanager
async def running(simulator: Simulator, **config: object) -> AsyncIterator[LiveBridge]:
    """A live bridge for the block. Its task is created but has not run when the block
    starts, so the block may still patch the link before the first handshake."""
    live = await start_live_bridge(simulator, **config)
    try:
        yield live
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 20)  # type: ignore[arg-type]


def settled(live: LiveBridge) -> bool:
    return live.bridge.status.state == BridgeState.CONNECTED and sorted(live.upstream_open()) == sorted(
        live.desired.statistics
    )


async def wait_settled(live: LiveBridge, timeout: float = 30.0) -> None:
    await async_wait_until(lambda: settled(live), timeout=timeout, what="connected, every statistic open once")


async def next_frame(live: LiveBridge, deadline: float) -> dict:
    """The next frame for the probe dashboard (not kept: some carry 10 MB)."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise AssertionError("deadline passed waiting for frames")
    return orjson.loads((await asyncio.wait_for(live.reader.next(), left))["text"])


async def read_frames_until(live: LiveBridge, deadline: float) -> None:
    """Keep the dashboard's channel drained while the upstream is simply up."""
    while time.monotonic() < deadline:
        try:
            await next_frame(live, deadline)
        except (TimeoutError, AssertionError):
            return


async def fresh_for_every_key(
    live: LiveBridge, since_ms: int, timeout: float = 30.0, keys: set[str] | None = None
) -> None:
    """Wait until every statistic (or `keys`) had a value stamped in the hour from `since_ms`."""
    deadline, waiting = time.monotonic() + timeout, set(keys or live.desired.statistics)
    while waiting:
        try:
            frame = await next_frame(live, deadline)
        except (TimeoutError, AssertionError):
            raise AssertionError(f"no value newer than {since_ms} for {sorted(waiting)}") from None
        if frame["type"] == "update":
            waiting -= {s["id"] for s in frame["statistics"] if since_ms <= (s["timestamp"] or 0) < since_ms + HOUR_MS}


def held_poll(simulator: Simulator) -> str | None:
    """The id of a client subscribed to both channels whose /meta/connect is being held."""
    return next((c.client_id for c in simulator.bayeux.clients.values() if c.polling and len(c.channels) == 2), None)


def forget_client(simulator: Simulator, client_id: str) -> None:
    """The service forgets the client: its held poll is answered `402::Unknown client`
    (`bayeux.forget()` would also cut the TCP connection: a network failure, row 2)."""
    simulator.bayeux.disconnect({"clientId": client_id})


class _Behind:
    """The simulator as the bridge sees it through the proxy: another base_url."""

    def __init__(self, simulator: Simulator, base_url: str) -> None:
        self._simulator, self.base_url = simulator, base_url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._simulator, name)


@asynccontextmanager
async def through_proxy(simulator: Simulator, **config: object) -> AsyncIterator[tuple[FaultProxy, LiveBridge]]:
    async with FaultProxy("127.0.0.1", simulator.port) as proxy:
        behind = _Behind(simulator, proxy.url)
        async with running(behind, request_timeout=3.0, **config) as live:  # type: ignore[arg-type]
            yield proxy, live
