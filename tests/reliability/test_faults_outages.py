"""Issue #7 row 2: the statistics service flaps UNAVAILABLE / AVAILABLE 50 times, some
flaps shorter than a second. Every UNAVAILABLE drops every subscription in the
simulator (`Simulator.start_outage`), as the real service does; after the last
AVAILABLE every subscription must be re-created, and every statistic fresh, within
5 s, each statistic open exactly once.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from statsbridge.simulator.bayeux import SERVICE_CHANNEL
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState, now_ms
from tests.reliability.helpers import (
    figure,
    forget_client,
    fresh_for_every_key,
    held_poll,
    read_frames_until,
    running,
    settled,
    wait_settled,
)
from tests.support.waiting import async_wait_until

RECREATED_BOUND_S = 5.0


def flap_schedule(count: int, seed: int) -> list[tuple[float, float]]:
    """(down, up) seconds: most outages under a second, some of 1-2.5 s; up 0.05-0.6 s."""
    rng = random.Random(seed)
    return [
        (
            round(rng.uniform(0.1, 0.9) if rng.random() < 0.7 else rng.uniform(1.0, 2.5), 2),
            round(rng.uniform(0.05, 0.6), 2),
        )
        for _ in range(count)
    ]


def stamp_available(simulator: Simulator) -> list[tuple[float, int]]:
    """When each AVAILABLE was published (monotonic s, epoch ms), read where the
    simulator publishes it."""
    stamps: list[tuple[float, int]] = []
    publish = simulator.bayeux.publish

    def stamped(channel: str, data: dict, owners: set[str] | None = None) -> int:
        if channel == SERVICE_CHANNEL and data.get("data", {}).get("serviceState") == "AVAILABLE":
            stamps.append((time.monotonic(), now_ms()))
        return publish(channel, data, owners)

    simulator.bayeux.publish = stamped  # type: ignore[method-assign]
    return stamps


@pytest.mark.slow
async def test_after_fifty_flaps_every_subscription_is_back_within_5_s_of_the_last_available(
    simulator: Simulator,
) -> None:
    schedule = flap_schedule(50, seed=5)
    available = stamp_available(simulator)
    async with running(simulator) as live:
        await wait_settled(live)
        created = simulator.registry.created
        for n, (down, up) in enumerate(schedule, 1):
            simulator.start_outage(down)
            await async_wait_until(
                lambda: len(available) == n, timeout=down + 30, interval=0.01, what=f"AVAILABLE #{n}"
            )
            if n < len(schedule):
                await read_frames_until(live, available[-1][0] + up)
        back, since = available[-1]
        await async_wait_until(lambda: settled(live), timeout=60, interval=0.01, what="every subscription re-created")
        recreated = time.monotonic() - back
        await fresh_for_every_key(live, since, timeout=60)
        fresh = time.monotonic() - back
        figure("row 2: 50 flaps took (s)", round(back - (available[0][0] - schedule[0][0]), 1))
        figure("row 2: flaps under 1 s", sum(down < 1 for down, _ in schedule))
        figure(
            "row 2: after the last AVAILABLE, all re-created / all fresh (s)", (round(recreated, 2), round(fresh, 2))
        )
        figure("row 2: subscriptions created upstream meanwhile", simulator.registry.created - created)
        assert simulator.outages == 50
        assert recreated <= RECREATED_BOUND_S and fresh <= RECREATED_BOUND_S
        assert sorted(live.upstream_open()) == sorted(live.desired.statistics)  # none lost, none twice


async def test_an_unavailable_that_arrives_during_a_resync_is_still_shown_until_available(simulator: Simulator) -> None:
    """The service answers the resync's POST, then goes UNAVAILABLE before the sync ends:
    the end of that sync must not report the service up again."""
    async with running(simulator) as live:
        await wait_settled(live)
        create = live.bridge.rest.create_subscription

        async def create_then_outage(*args: Any, **kwargs: Any) -> dict:
            reply = await create(*args, **kwargs)
            live.bridge.rest.create_subscription = create  # type: ignore[method-assign]
            simulator.start_outage(3.0)
            await async_wait_until(
                lambda: live.bridge.status.state == BridgeState.UPSTREAM_UNAVAILABLE,
                interval=0.01,
                what="the UNAVAILABLE message handled",
            )
            return reply

        live.bridge.rest.create_subscription = create_then_outage  # type: ignore[method-assign]
        available, shown = stamp_available(simulator), []  # shown: (when, state) of each state change
        live.bridge.on_status_change = lambda status: shown.append((time.monotonic(), status.state))
        forget_client(simulator, await async_wait_until(lambda: held_poll(simulator), what="a held poll"))
        await async_wait_until(lambda: available, timeout=30, what="AVAILABLE again")
        await wait_settled(live)
    went_down = next(when for when, state in shown if state == BridgeState.UPSTREAM_UNAVAILABLE)
    assert BridgeState.CONNECTED not in [state for when, state in shown if went_down < when < available[0][0]], shown
