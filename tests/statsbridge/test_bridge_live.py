"""The bridge against the real simulator: values, outages, restarts, tokens."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from statsbridge.desired import descriptor_of
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState
from tests.statsbridge.conftest import DASHBOARD, LiveBridge, start_live_bridge
from tests.support.waiting import async_wait_until


def is_update(frame: dict) -> bool:
    return frame["type"] == "update"


async def all_keys_fresh(live: LiveBridge, since_ms: int, timeout: float) -> float:
    """Seconds until every desired statistic has had an update stamped after `since_ms`."""
    started = time.monotonic()
    waiting = set(live.desired.statistics)
    while waiting:
        frame = await live.frames_until(is_update, timeout=timeout - (time.monotonic() - started))
        waiting -= {s["id"] for s in frame["statistics"] if s["timestamp"] and s["timestamp"] >= since_ms}
    return time.monotonic() - started


async def test_values_reach_the_group_with_upstream_timestamps(live: LiveBridge) -> None:
    frame = await live.frames_until(is_update)
    stat = frame["statistics"][0]
    assert set(stat) >= {"id", "value", "raw", "timestamp"}
    assert stat["id"] in live.desired.statistics
    assert abs(stat["timestamp"] - time.time() * 1000) < 60_000
    await async_wait_until(
        lambda: len(live.bridge.snapshot(DASHBOARD)) == len(live.desired.statistics),
        what="a snapshot holding every statistic",
    )
    agent_states = [s for s in live.bridge.snapshot(DASHBOARD) if "state" in s]
    assert agent_states and all(
        s["state"] in {"Ready", "Busy", "NotReady", "AfterCallWork", "LoggedOut"} for s in agent_states
    )


async def test_opens_each_statistic_once_upstream(live: LiveBridge) -> None:
    await async_wait_until(
        lambda: len(live.upstream_open()) == len(live.desired.statistics), what="every statistic open upstream"
    )
    assert not [k for k, n in Counter(live.upstream_open()).items() if n > 1]
    assert set(live.upstream_open()) == set(live.desired.statistics)


async def test_resubscribes_after_service_outage(live: LiveBridge, simulator: Simulator) -> None:
    await async_wait_until(
        lambda: (
            live.bridge.status.state == BridgeState.CONNECTED
            and len(live.upstream_open()) == len(live.desired.statistics)
        ),
        what="connected",
    )
    outage_started = time.time()
    simulator.start_outage(1.0)
    # The first state entered since the outage (the desired set is read before the session
    # now, so this dashboard also heard the earlier "connected": issue 20).
    since = int(outage_started * 1000)
    frame = await live.frames_until(lambda f: f["type"] == "bridge" and f["since"] >= since)
    assert frame["state"] == "upstream-unavailable"
    # Nothing flows during the outage, so any value stamped after it began is new.
    await all_keys_fresh(live, int(outage_started * 1000), timeout=15.0)
    assert time.time() - (outage_started + 1.0) <= 5.0
    assert sorted(live.upstream_open()) == sorted(live.desired.statistics)


async def test_rehandshakes_and_resubscribes_after_upstream_restart(live: LiveBridge, simulator: Simulator) -> None:
    await async_wait_until(lambda: len(live.upstream_open()) == len(live.desired.statistics), what="open")
    handshakes = simulator.bayeux.handshakes
    states: list[str] = []
    live.bridge.on_status_change = lambda status: states.append(status.state.value)
    simulator.restart()
    restarted_at = int(time.time() * 1000)
    assert await all_keys_fresh(live, restarted_at, timeout=10.0) <= 10.0
    assert simulator.bayeux.handshakes > handshakes
    assert sorted(live.upstream_open()) == sorted(live.desired.statistics)
    # The forgotten token costs one quick retry: screens say "connecting", never "unauthorized".
    assert "unauthorized" not in states, states


async def test_expired_tokens_are_replaced_with_few_401s(live: LiveBridge, simulator: Simulator) -> None:
    await async_wait_until(lambda: len(live.upstream_open()) == len(live.desired.statistics), what="open")
    fetches = live.bridge.tokens.fetches
    simulator.tokens.expire_all()
    live.bridge.request_reload()  # forces REST calls with the dead token too
    expired_at = int(time.time() * 1000)
    await all_keys_fresh(live, expired_at, timeout=30.0)
    assert live.bridge.tokens.fetches - fetches <= 2
    assert live.bridge.rest.unauthorized <= 3
    assert live.bridge.link.failures.get("unauthorized", 0) <= 3


async def test_recovers_when_upstream_is_down_at_start() -> None:
    sim = Simulator(port=0, agents=10, queues=2, seed=5, connect_timeout_ms=2000)
    await sim.start()
    port = sim.port
    await sim.stop()  # the port is now closed: the bridge starts against nothing
    later = Simulator(port=port, agents=10, queues=2, seed=5, connect_timeout_ms=2000)
    live = await start_live_bridge(later, backoff_cap=2.0)
    try:
        await async_wait_until(
            lambda: live.bridge.link.failures.get("network", 0) >= 2,
            timeout=20,
            what="connection attempts with backoff",
        )
        assert live.bridge.status.state == BridgeState.CONNECTING
        await later.start()
        await async_wait_until(
            lambda: (
                live.bridge.status.state == BridgeState.CONNECTED
                and len(live.upstream_open()) == len(live.desired.statistics)
            ),
            timeout=20,
            what="recovered",
        )
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]
        await later.stop()


async def test_configuration_changes_apply_by_diff(live: LiveBridge, simulator: Simulator) -> None:
    await async_wait_until(lambda: len(live.upstream_open()) == len(live.desired.statistics), what="open")
    removed = next(iter(live.desired.statistics))
    del live.desired.statistics[removed]
    live.desired.routes.pop(removed)
    queue = [o for o in simulator.center.objects() if o["objectType"] == "Queue"][1]
    added = live.desired.add(
        DASHBOARD, descriptor_of(object_type="Queue", object_id=queue["objectId"], name="TotalNumberInboundCalls")
    )
    live.bridge.request_reload()
    await async_wait_until(
        lambda: sorted(live.upstream_open()) == sorted(live.desired.statistics),
        what="upstream equal to the new desired set",
    )
    assert added in live.upstream_open() and removed not in live.upstream_open()


async def test_malformed_frames_are_skipped_and_counted(live: LiveBridge) -> None:
    await live.frames_until(is_update)
    garbage = [
        None,
        42,
        "text",
        {},
        {"channel": "/statistics/v3/updates"},
        {"channel": "/statistics/v3/updates", "data": {"statistics": "nope"}},
        {"channel": "/statistics/v3/updates", "data": {"data": {"statistics": [1, None, {}]}}},
        {"channel": "/statistics/v3/service", "data": {"serviceState": "MAYBE"}},
        {"channel": "/elsewhere", "data": {}},
    ]
    before = live.bridge.counters.malformed + live.bridge.counters.stale_updates
    for message in garbage:
        live.bridge.handle_message(message)  # type: ignore[arg-type]
    assert live.bridge.counters.malformed + live.bridge.counters.stale_updates - before >= 8
    await live.frames_until(is_update)  # still flowing


async def test_rest_and_cometd_share_the_session_cookie(live: LiveBridge, simulator: Simulator) -> None:
    await async_wait_until(lambda: len(live.upstream_open()) == len(live.desired.statistics), what="open")
    await live.frames_until(is_update)
    # Only the very first answer had to issue STATISTICS_SESSIONID: every later request,
    # REST or CometD, carried it back.
    assert simulator.cookies.issued == 1
    assert simulator.cometd.requests >= 3 and simulator.statistics.requests >= 1
    assert "STATISTICS_SESSIONID" in live.bridge.cookies.names()


async def test_without_credentials_the_bridge_says_so_then_uses_an_admins_refresh_token(simulator: Simulator) -> None:
    import httpx

    from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS

    live = await start_live_bridge(simulator, username="", password="", backoff_cap=1.0)
    try:
        await async_wait_until(
            lambda: live.bridge.status.state == BridgeState.UNAUTHORIZED, timeout=15, what="unauthorized state"
        )
        assert "/admin/connect-genesys/" in live.bridge.status.detail
        async with httpx.AsyncClient(base_url=simulator.base_url) as client:
            grant = (
                await client.post(
                    "/auth/v3/oauth/token",
                    auth=(CREDS.client_id, CREDS.client_secret),
                    headers={"x-api-key": CREDS.api_key},
                    data={"grant_type": "password", "username": CREDS.username, "password": CREDS.password},
                )
            ).json()
        live.bridge.tokens.use_refresh_token(grant["refresh_token"])
        live.bridge.link.retry_now()
        await async_wait_until(
            lambda: len(live.upstream_open()) == len(live.desired.statistics),
            timeout=15,
            what="subscriptions open with the admin's authorization",
        )
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]
