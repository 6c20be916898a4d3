"""Issue #7 row 5: a long poll that is accepted and never answered, and other network
faults (connections reset mid-poll, a slow link), injected by the TCP fault proxy
between the bridge and the simulator; and the watchdog for a session that goes
silent while the transport believes it is connected.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from statsbridge.cometd_transport import _GuardedLongPolling
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState, now_ms
from tests.reliability.garbage_bayeux import GarbageBayeux, link_to, reply
from tests.reliability.helpers import figure, fresh_for_every_key, held_poll, running, through_proxy, wait_settled
from tests.statsbridge.conftest import LiveBridge
from tests.support.waiting import async_wait_until


def lost_sessions(live: LiveBridge) -> int:
    return live.bridge.link.failures.get("network", 0) + live.bridge.link.failures.get("silent", 0)


async def test_a_black_holed_long_poll_is_noticed_within_advice_timeout_plus_grace(simulator: Simulator) -> None:
    advice_s, grace_s = simulator.bayeux.timeout_ms / 1000, 3.0
    async with through_proxy(simulator, poll_grace=grace_s) as (proxy, live):
        await wait_settled(live)
        await async_wait_until(lambda: held_poll(simulator), what="a long poll in flight")
        seen = lost_sessions(live)
        proxy.blackhole()
        started = time.monotonic()
        # The request timeout ("network") or the watchdog ("silent"): both run out at advice + grace.
        await async_wait_until(
            lambda: lost_sessions(live) > seen,
            interval=0.02,
            timeout=advice_s + grace_s + 60,
            what="the link noticing the silence",
        )
        noticed = time.monotonic() - started
        assert live.bridge.status.state != BridgeState.CONNECTED
        proxy.pass_through()
        await wait_settled(live, timeout=60)
    figure(f"row 5: black-holed poll noticed after (s, advice {advice_s} + grace {grace_s})", round(noticed, 2))
    assert noticed <= advice_s + grace_s + 5.0


async def test_connections_reset_mid_poll_are_noticed_and_recovered(simulator: Simulator) -> None:
    async with through_proxy(simulator) as (proxy, live):
        await wait_settled(live)
        await async_wait_until(lambda: held_poll(simulator), what="a long poll in flight")
        network = live.bridge.link.failures.get("network", 0)
        proxy.cut_all()
        await async_wait_until(
            lambda: live.bridge.link.failures.get("network", 0) > network, what="the reset seen as a network failure"
        )
        since = now_ms()
        await wait_settled(live, timeout=60)
        await fresh_for_every_key(live, since)
    assert proxy.resets >= 1


async def test_a_slow_link_still_delivers_every_statistic(simulator: Simulator) -> None:
    async with through_proxy(simulator) as (proxy, live):
        proxy.delay(0.2)
        await wait_settled(live, timeout=60)
        await fresh_for_every_key(live, now_ms(), timeout=60)
        assert live.bridge.link.failures == {}


# -- the watchdog: a session that looks connected while nothing moves ------------------


def stop_polling_once(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The library forgets to send the next /meta/connect, once: the transport still says
    CONNECTED, no request is in flight, so no request timeout can fire. Returns when."""
    follow, when = _GuardedLongPolling._follow_advice, []

    def forgetful(transport: _GuardedLongPolling, advice: str, timeout: Any) -> None:
        if when or transport.failure is not None:
            return follow(transport, advice, timeout)
        when.append(time.monotonic())

    monkeypatch.setattr(_GuardedLongPolling, "_follow_advice", forgetful)
    return when


async def test_a_session_that_stops_polling_is_noticed_within_advice_timeout_plus_10_s(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    advice_s, grace_s = simulator.bayeux.timeout_ms / 1000, 3.0
    async with running(simulator, poll_grace=grace_s) as live:
        await wait_settled(live)
        stopped = stop_polling_once(monkeypatch)
        await async_wait_until(
            lambda: live.bridge.link.failures.get("silent"),
            interval=0.02,
            timeout=advice_s + 60,
            what="the watchdog noticing the silent session",
        )
        noticed = time.monotonic() - stopped[0]
        since = now_ms()
        await wait_settled(live, timeout=60)
        await fresh_for_every_key(live, since)
    figure(f"row 5: silent session noticed after (s, advice {advice_s} + grace {grace_s})", round(noticed, 2))
    assert live.bridge.link.failures == {"silent": 1} and live.bridge.link.silences == 1
    assert noticed <= advice_s + 10.0


async def test_a_huge_advised_interval_is_cut_to_half_the_grace_and_is_not_a_silent_session() -> None:
    advice = {"interval": 3_600_000, "timeout": 2000, "reconnect": "retry"}
    server = GarbageBayeux([("/meta/connect", 200, reply(successful=True, advice=advice))])
    async with link_to(server) as (link, numbers, task):  # poll_grace 1 s
        await async_wait_until(lambda: not server.plan, what="the advice served")
        connects = server.connects
        await async_wait_until(
            lambda: server.connects > connects + 3, timeout=20, what="polls going on, half a second apart at most"
        )
        assert link.failures == {} and link.silences == 0
