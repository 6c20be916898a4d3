"""Issue 20 (`make run`: command to first value): a starting bridge reads its desired
statistics while the link is still getting its token and handshake, not after them, so
the first subscription goes out as soon as the session is up. Here the upstream never
answers (a loopback port nobody listens on): the desired set must be read all the same,
long before the periodic re-read (set to an hour) would."""

from __future__ import annotations

import asyncio

from statsbridge.bridge import Bridge
from statsbridge.desired import DesiredSet
from tests.statsbridge.conftest import config_for
from tests.support.processes import free_port


class NoSink:
    async def send_updates(self, stats: list[dict], routes: dict) -> None:
        raise AssertionError("no session, no values")

    async def send_status(self, *args: object, **kwargs: object) -> None:
        return None


async def test_desired_statistics_are_read_before_the_session_is_up() -> None:
    read = asyncio.Event()

    async def load_desired() -> DesiredSet:
        read.set()
        return DesiredSet()

    config = config_for(f"http://127.0.0.1:{free_port()}", reload_every=3600.0)
    bridge = Bridge(config, load_desired=load_desired, sink=NoSink())  # type: ignore[arg-type]
    stop = asyncio.Event()
    task = asyncio.create_task(bridge.run(stop))
    try:
        await asyncio.wait_for(read.wait(), timeout=10)
        assert not bridge._session_up  # noqa: SLF001 -- the point: read before any session
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)
