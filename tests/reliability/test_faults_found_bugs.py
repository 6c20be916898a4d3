"""Bugs the fault rows of issue #7 found, each fixed and kept as a plain test."""

from __future__ import annotations

import time

from statsbridge.cometd import UPDATES_CHANNEL
from statsbridge.messages import encode, snapshot_message
from statsbridge.simulator.server import Simulator
from statsbridge.status import now_ms
from statsbridge.values import timestamp_ms
from tests.reliability.garbage_bayeux import GarbageBayeux, link_to, reply
from tests.reliability.helpers import fresh_for_every_key, next_frame, running, wait_settled
from tests.statsbridge.conftest import DASHBOARD
from tests.support.waiting import async_wait_until


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


async def test_a_value_nested_too_deep_to_reencode_costs_no_snapshot_and_no_other_value(simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        subscription, keys = next(iter(live.bridge.reconciler.open.items()))
        deep, other = sorted(keys)[:2]
        stamp = now_ms()
        live.bridge.handle_message(
            {
                "channel": UPDATES_CHANNEL,
                "data": {
                    "statistics": [
                        {"subscriptionId": subscription, "statisticId": k, "value": v, "timestamp": stamp}
                        for k, v in ((deep, nested(300)), (other, 4242))
                    ]
                },
            }
        )
        encode(snapshot_message(DASHBOARD, live.bridge.status, live.bridge.snapshot(DASHBOARD)))
        deadline = time.monotonic() + 5
        while not any(
            s["id"] == other and s["value"] == 4242 for s in (await next_frame(live, deadline)).get("statistics", [])
        ):
            pass


async def test_an_update_with_a_list_for_an_id_is_skipped_without_ending_the_session(simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        subscription, keys = next(iter(live.bridge.reconciler.open.items()))
        key, handshakes = sorted(keys)[0], simulator.bayeux.handshakes
        stale_before = live.bridge.counters.stale_updates
        for record in [
            {"subscriptionId": [subscription], "statisticId": key},
            {"subscriptionId": subscription, "statisticId": {"id": key}},
        ]:
            simulator.bayeux.publish(UPDATES_CHANNEL, {"statistics": [{"timestamp": now_ms(), **record}]})
        await async_wait_until(
            lambda: live.bridge.link.failures or live.bridge.counters.stale_updates >= stale_before + 2,
            what="the two bad updates skipped and counted, or a failure",
        )
        valid_before = live.bridge.counters.updates_in
        await async_wait_until(lambda: live.bridge.counters.updates_in > valid_before, what="valid updates after")
        assert live.bridge.link.failures == {} and simulator.bayeux.handshakes == handshakes


async def test_one_far_future_timestamp_does_not_freeze_a_statistic(simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        subscription, keys = next(iter(live.bridge.reconciler.open.items()))
        key = sorted(keys)[0]
        live.bridge.handle_message(
            {
                "channel": UPDATES_CHANNEL,
                "data": {
                    "statistics": [
                        {"subscriptionId": subscription, "statisticId": key, "value": 1, "timestamp": 10**13}
                    ]
                },
            }
        )
        await fresh_for_every_key(live, now_ms(), timeout=6, keys={key})


def test_a_timestamp_below_one_millisecond_is_not_read_as_the_epoch() -> None:
    assert timestamp_ms(0.5) is None


async def test_an_advised_interval_is_read_as_milliseconds() -> None:
    # Bayeux advises `interval` in ms: 1000 is one second. Read as seconds, it would be
    # cut to half the grace (30 s here), far past the generous wait below; and the grace
    # is long enough that the watchdog cannot end the session and hide the wait.
    advice = {"interval": 1000, "timeout": 2000, "reconnect": "retry"}
    server = GarbageBayeux([("/meta/connect", 200, reply(successful=True, clientId="c1", advice=advice))])
    async with link_to(server, poll_grace=60.0) as (link, numbers, task):
        await async_wait_until(lambda: not server.plan, what="the advice served")
        connects = server.connects
        await async_wait_until(
            lambda: server.connects > connects, timeout=15, what="the next /meta/connect, 1 s later (not 30 s)"
        )
        assert link.failures == {} and link.handshakes == 1


async def test_a_non_object_advice_on_a_held_poll_does_not_wedge_the_link() -> None:
    # Wedged, the session would only come back through the watchdog (a `silent` failure
    # and a second handshake): the same session must simply poll again.
    ok = reply(successful=True, clientId="c1", advice={"interval": 0, "timeout": 2000, "reconnect": "retry"})
    server = GarbageBayeux(
        [
            ("/meta/connect", 200, ok),
            ("/meta/connect", 200, ok),
            ("/meta/connect", 200, reply(successful=True, clientId="c1", advice="retry")),
        ]
    )
    async with link_to(server) as (link, numbers, task):
        await async_wait_until(lambda: not server.plan, what="the odd advice served")
        connects = server.connects
        await async_wait_until(lambda: server.connects > connects, timeout=15, what="another poll")
        assert link.failures == {} and link.handshakes == 1
