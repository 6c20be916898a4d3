"""Issue 7, row 9: a wallboard that stops reading must not slow the others.

Real `rundashboard` (embedded simulator at 10,000 updates/s), four fast kiosk sockets
(aiohttp, reading everything) and one that reads one frame a second with a tiny
receive buffer. The slow one must be coalesced (its values merged, counted), then
closed at its cap; the fast ones keep getting every frame.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Iterator

import aiohttp
import httpx
import orjson
import pytest

from tests.support.processes import ManagedProcess, kiosk_socket_path, set_simulator_rate, start_dashboard
from tests.support.slow_websocket import SlowWebSocket
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.slow
CAP_SECONDS = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    proc = start_dashboard(tmp_path_factory.mktemp("slow-sockets"), SOCKET_BEHIND_CAP_SECONDS=str(CAP_SECONDS))
    yield proc
    proc.stop()


def metric(server: ManagedProcess, name: str) -> float:
    text = httpx.get(server.extra["url"] + "/metrics", timeout=10).text
    line = next(line for line in text.splitlines() if line.startswith(name + " "))
    return float(line.split()[1])


def set_rate(server: ManagedProcess, rate: float) -> None:
    set_simulator_rate(server.extra["simulator_port"], rate)


class FastReader:
    """Reads every frame; keeps frame counts and latencies (receipt - upstream time)."""

    def __init__(self) -> None:
        self.frames = 0
        self.latencies_ms: list[tuple[float, float]] = []  # (received at, latency)
        self.closed = False

    async def run(self, session: aiohttp.ClientSession, url: str, origin: str) -> None:
        async with session.ws_connect(url, headers={"Origin": origin}, max_msg_size=0) as ws:
            async for message in ws:
                now = time.time()
                frame = orjson.loads(message.data)
                if frame["type"] == "update":
                    self.frames += 1
                    self.latencies_ms += [
                        (now, now * 1000 - s["timestamp"])
                        for s in frame["statistics"]
                        if isinstance(s.get("timestamp"), int)
                    ]
        self.closed = True

    def p99(self, start: float, end: float) -> float:
        window = sorted(lat for at, lat in self.latencies_ms if start <= at < end)
        return window[int(0.99 * (len(window) - 1))] if window else float("nan")


@pytest.fixture
async def fast_readers(server: ManagedProcess) -> AsyncIterator[list[FastReader]]:
    readers = [FastReader() for _ in range(4)]
    url = server.extra["url"].replace("http", "ws") + kiosk_socket_path(server)
    async with aiohttp.ClientSession() as session:
        tasks = [asyncio.create_task(r.run(session, url, server.extra["url"])) for r in readers]
        yield readers
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def read_slowly(sock: SlowWebSocket, sizes: list[int]) -> None:
    """One frame a second until the server closes the connection."""
    try:
        while True:
            _, payload = await sock.read_frame()
            sizes.append(payload.count(b'"timestamp":'))
            await asyncio.sleep(1.0)
    except (asyncio.IncompleteReadError, ConnectionError):
        return


async def test_a_socket_that_stops_reading_is_coalesced_then_closed_and_the_others_keep_up(
    server: ManagedProcess, fast_readers: list[FastReader]
) -> None:
    set_rate(server, 10_000)
    try:
        await async_wait_until(lambda: all(r.frames > 20 for r in fast_readers), timeout=60)
        before = time.time()
        await asyncio.sleep(3)
        slow = await SlowWebSocket.open(
            "127.0.0.1", server.extra["port"], kiosk_socket_path(server), server.extra["url"]
        )
        slow_joined, sizes = time.time(), []
        reading = asyncio.create_task(read_slowly(slow, sizes))
        await asyncio.wait_for(reading, timeout=CAP_SECONDS + 60)
        slow_closed = time.time()
        frames_before = [r.frames for r in fast_readers]
        await async_wait_until(
            lambda: all(r.frames > n + 10 for r, n in zip(fast_readers, frames_before, strict=False)), timeout=30
        )
    finally:
        set_rate(server, 0)
    assert metric(server, "dashboard_socket_sockets_fell_behind_total") >= 1
    assert metric(server, "dashboard_socket_sockets_closed_behind_total") >= 1
    coalesced = metric(server, "dashboard_socket_values_coalesced_total")
    assert coalesced > 0
    assert not any(r.closed for r in fast_readers)
    counts = [r.frames for r in fast_readers]
    assert max(counts) - min(counts) <= 3, f"fast sockets missed frames: {counts}"
    p99_before = statistics.median(r.p99(before, slow_joined) for r in fast_readers)
    p99_during = statistics.median(r.p99(slow_joined, slow_closed) for r in fast_readers)
    print(
        f"\nFIGURE row 9: slow socket closed {slow_closed - slow_joined:.1f} s after joining "
        f"(cap {CAP_SECONDS} s behind); it read {len(sizes)} frames; values coalesced {coalesced:.0f}; "
        f"fast sockets' p99 {p99_before:.0f} ms before, {p99_during:.0f} ms while it lagged; "
        f"frames per fast socket {counts}"
    )
