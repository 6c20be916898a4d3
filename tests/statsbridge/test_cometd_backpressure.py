"""A bridge that falls behind holds at most `NotificationLink.PREFETCH` parsed messages:
the CometD transport waits for room and polls no more, so the backlog waits upstream
(issue 20: a lag episode used to pile up to 10,000 replies in our memory). Against the
real simulator: nothing is lost or reordered, the wait is not taken for a dead session,
and it is counted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from statsbridge.cometd import UPDATES_CHANNEL, NotificationLink
from statsbridge.cookies import SharedCookies
from statsbridge.simulator.server import Simulator
from statsbridge.tokens import TokenProvider
from tests.statsbridge.conftest import config_for
from tests.support.waiting import async_wait_until

EVENTS = 400
CONSUME_SECONDS = 0.015  # per event, blocking the loop as the bridge's own work does


@pytest.fixture
async def quick_simulator() -> AsyncIterator[Simulator]:
    """Polls held 1 s; clients that stop polling are kept 60 s (the waits below are
    shorter: a session the upstream forgets is another test's matter)."""
    sim = Simulator(port=0, agents=4, queues=1, seed=3, connect_timeout_ms=1000, max_interval_s=60.0)
    await sim.start()
    yield sim
    await sim.stop()


async def test_a_slow_consumer_gets_every_event_in_order_without_a_new_handshake(
    quick_simulator: Simulator,
) -> None:
    config = config_for(quick_simulator.base_url, poll_grace=1.0, request_timeout=3.0, backoff_cap=0.5)
    received: list[int] = []
    states: list[str] = []

    def consume(event: dict) -> None:
        time.sleep(CONSUME_SECONDS)
        received.append(event["data"]["n"])

    async with httpx.AsyncClient() as http:
        link = NotificationLink(
            config,
            TokenProvider(config, http),
            SharedCookies(),
            on_event=consume,
            on_session=lambda: None,
            on_state=lambda state, detail: states.append(state),
        )
        stop = asyncio.Event()
        task = asyncio.create_task(link.run(stop))
        try:
            await async_wait_until(lambda: "connected" in states, timeout=15)
            for n in range(EVENTS):
                assert quick_simulator.bayeux.publish(UPDATES_CHANNEL, {"n": n}) == 1
            # The silence limit is 2 s (1 s held + 1 s grace); draining takes ~6 s.
            await async_wait_until(lambda: len(received) >= EVENTS, timeout=60)
            await asyncio.sleep(2.5)  # past one more silence limit after the wait
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)

    assert received == list(range(EVENTS))
    assert (link.handshakes, link.silences, link.failures) == (1, 0, {})
    assert quick_simulator.bayeux.handshakes == 1
    # The transport waited for room (the queue is PREFETCH, not the whole reply), for
    # longer than the silence limit, and said so.
    assert link.pressure.waits > 0
    assert link.pressure.total() > 2.0
    assert not link.pressure.waiting
