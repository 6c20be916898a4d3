"""Issue #7 rows 3 and 4: `402::Unknown client` again and again, and advice
`reconnect: none`. A real bridge against the real simulator over loopback.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from statsbridge.backoff import Backoff
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState, now_ms
from tests.reliability.helpers import figure, forget_client, fresh_for_every_key, held_poll, running, wait_settled
from tests.statsbridge.conftest import LiveBridge, config_for
from tests.support.waiting import async_wait_until

# -- row 3: 402::Unknown client, again and again ----------------------------------------


def count_handshakes_in_flight(live: LiveBridge) -> dict[str, int]:
    link, seen = live.bridge.link, {"now": 0, "max": 0}
    open_session = link._open

    async def counted(client: Any) -> None:
        seen["now"] += 1
        seen["max"] = max(seen["max"], seen["now"])
        try:
            await open_session(client)
        finally:
            seen["now"] -= 1

    link._open = counted  # type: ignore[method-assign]
    return seen


@pytest.mark.slow
async def test_a_hundred_unknown_client_replies_are_a_hundred_recoveries_one_handshake_at_a_time(
    simulator: Simulator,
) -> None:
    async with running(simulator) as live:
        link = live.bridge.link
        link.HANDSHAKE_SPACING = 0.05  # the default 1 s has its own test below
        in_flight = count_handshakes_in_flight(live)
        await wait_settled(live)
        started = time.monotonic()
        for n in range(1, 101):
            client_id = await async_wait_until(lambda: held_poll(simulator), interval=0.01, what=f"poll #{n}")
            before = simulator.bayeux.handshakes
            forget_client(simulator, client_id)
            await async_wait_until(
                lambda: simulator.bayeux.handshakes > before, interval=0.01, what=f"the handshake after 402 #{n}"
            )
        await wait_settled(live)
        figure("row 3: 100 recoveries took (s, 50 ms spacing)", round(time.monotonic() - started, 1))
        assert simulator.bayeux.unknown_client_replies == 100
        assert link.failures == {"unknown-client": 100}
        assert link.handshakes == simulator.bayeux.handshakes == 101
        assert in_flight["max"] == 1
        assert len(live.upstream_open()) == len(set(live.upstream_open()))


async def test_with_the_default_spacing_a_burst_of_402s_costs_at_most_one_handshake_per_second(
    simulator: Simulator,
) -> None:
    stamps: list[float] = []
    handshake = simulator.bayeux.handshake

    def stamped(owner: str, message: dict) -> dict:
        stamps.append(time.monotonic())
        return handshake(owner, message)

    simulator.bayeux.handshake = stamped  # type: ignore[method-assign]
    async with running(simulator) as live:
        await wait_settled(live)
        for n in range(1, 11):
            forget_client(
                simulator, await async_wait_until(lambda: held_poll(simulator), interval=0.01, what=f"poll #{n}")
            )
        await async_wait_until(lambda: len(stamps) >= 11 and held_poll(simulator), what="the tenth recovery")
    assert len(stamps) == 11
    gaps = [later - earlier for earlier, later in zip(stamps, stamps[1:], strict=False)]
    figure("row 3: handshake gaps at default spacing (s)", [round(g, 2) for g in gaps])
    # Arrival times at the server: transit jitter may shave a little off a 1 s gap.
    assert min(gaps) >= 0.75
    assert (stamps[-1] - stamps[1]) / 9 >= 0.95


# -- row 4: advice reconnect none ----------------------------------------------------


@pytest.mark.slow
async def test_advice_none_shows_the_state_and_retries_below_one_request_per_second(simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        simulator.bayeux.reconnect_advice = "none"
        frame = await live.frames_until(lambda f: f["type"] == "bridge" and f["state"] != "connected", 30)
        assert frame["state"] == "connecting" and "advised-none" in frame["detail"]
        await async_wait_until(
            lambda: live.bridge.link.failures.get("advised-none", 0) >= 3, timeout=60, what="the first few refusals"
        )
        requests, rest, states = simulator.cometd.requests, simulator.statistics.requests, set()
        started = time.monotonic()
        while time.monotonic() - started < 15.0:  # a measuring window, sampled
            states.add(live.bridge.status.state)
            await asyncio.sleep(0.1)
        rate = (simulator.cometd.requests - requests) / (time.monotonic() - started)
        figure("row 4: CometD requests/s under advice none, after 3 refusals", round(rate, 2))
        assert rate < 1.0
        assert BridgeState.CONNECTED not in states
        assert simulator.statistics.requests == rest  # no resubscribing while refused
        assert live.bridge.link.backoff.cap == 60.0


def test_the_backoff_is_jittered_and_capped_at_60_s() -> None:
    backoff = Backoff(base=0.5, cap=config_for("http://127.0.0.1:9").backoff_cap)
    delays = [backoff.next_delay() for _ in range(300)]
    assert 0.25 <= min(delays) and max(delays) <= 60.0
    late = delays[50:]
    assert max(late) - min(late) > 30.0  # drawn, not fixed: many clients do not march in step
    assert max(late) > 50.0  # and the cap is reached


async def test_after_advice_none_the_bridge_recovers_once_advice_is_retry(simulator: Simulator) -> None:
    async with running(simulator, backoff_cap=4.0) as live:
        await wait_settled(live)
        simulator.bayeux.reconnect_advice = "none"
        await async_wait_until(
            lambda: live.bridge.link.failures.get("advised-none", 0) >= 2, timeout=60, what="refusals"
        )
        assert live.bridge.status.state != BridgeState.CONNECTED
        simulator.bayeux.reconnect_advice = "retry"
        since = now_ms()
        await wait_settled(live, timeout=60)
        await fresh_for_every_key(live, since)
