"""What a real tenant does that our first simulator did not (issue 13 items 4 and 7):
partial subscriptions (status code 2), a 404 on DELETE, serviceState in another case,
and 403 for an expired token on CometD. Real bridge, real simulator, loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from statsbridge.desired import descriptor_of
from statsbridge.reconciler import Reconciler
from statsbridge.rest import StatisticsClient
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState
from statsbridge.tokens import TokenProvider
from tests.statsbridge.conftest import DASHBOARD, LiveBridge, config_for, start_live_bridge
from tests.statsbridge.test_bridge_live import all_keys_fresh
from tests.support.waiting import async_wait_until

GHOST = descriptor_of(object_type="Agent", object_id="agent-that-left", name="CurrentAgentState")


async def control(simulator: Simulator, path: str, body: dict) -> None:
    async with httpx.AsyncClient(base_url=simulator.base_url) as http:
        response = await http.post(f"/simulator/v1/{path}", json=body)
        response.raise_for_status()


async def everything_open(live: LiveBridge) -> None:
    await async_wait_until(
        lambda: (
            live.bridge.status.state == BridgeState.CONNECTED
            and sorted(live.upstream_open()) == sorted(live.desired.statistics)
        ),
        what="every statistic open upstream",
    )


@pytest.fixture
async def live_with_ghost(simulator: Simulator) -> AsyncIterator[tuple[LiveBridge, str]]:
    live = await start_live_bridge(simulator)
    ghost = live.desired.add(DASHBOARD, GHOST)
    yield live, ghost
    live.stop.set()
    await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]


# -- status code 2 ------------------------------------------------------------------------


async def test_a_refused_statistic_shows_on_its_tile_and_the_rest_open_in_one_subscription(
    live_with_ghost: tuple[LiveBridge, str], simulator: Simulator
) -> None:
    live, ghost = live_with_ghost
    frame = await live.frames_until(lambda f: f["type"] == "update" and any(s["id"] == ghost for s in f["statistics"]))
    [stat] = [s for s in frame["statistics"] if s["id"] == ghost]
    assert stat["value"] is None and "agent-that-left" in stat["refused"], stat
    good = set(live.desired.statistics) - {ghost}
    await async_wait_until(lambda: sorted(live.upstream_open()) == sorted(good), what="the others open")
    assert len(simulator.registry.all()) == 1  # no bisection: Genesys said which one
    assert live.bridge.reconciler.invalid == {ghost: stat["refused"]}
    snapshot = {s["id"]: s for s in live.bridge.snapshot(DASHBOARD)}
    assert snapshot[ghost]["refused"] == stat["refused"]


async def test_the_bridge_asks_again_after_an_admin_change_not_on_its_periodic_reread(
    live_with_ghost: tuple[LiveBridge, str], simulator: Simulator
) -> None:
    live, ghost = live_with_ghost
    reported: list[dict[str, str]] = []
    live.bridge.on_refusals = reported.append
    syncs = 0

    def count_sync(status: object) -> None:
        nonlocal syncs
        syncs += 1

    await async_wait_until(
        lambda: (
            ghost in live.bridge.reconciler.invalid and len(live.upstream_open()) == len(live.desired.statistics) - 1
        ),
        what="refused",
    )
    live.bridge.on_status_change = count_sync  # called once at the end of every sync
    requests, done = simulator.statistics.requests, syncs
    live.bridge._reload_needed.set()  # what the periodic timer does
    live.bridge._sync_needed.set()
    await async_wait_until(lambda: syncs > done, what="a periodic sync")
    assert simulator.statistics.requests == requests and ghost in live.bridge.reconciler.invalid
    live.bridge.request_reload()  # what an admin save does
    await async_wait_until(
        lambda: simulator.statistics.requests > requests and ghost in live.bridge.reconciler.invalid,
        what="asked again, refused again",
    )
    assert all(set(r) == {ghost} for r in reported)


async def test_refused_statistics_are_asked_for_again_only_after_a_configuration_change(simulator: Simulator) -> None:
    config = config_for(simulator.base_url)
    async with httpx.AsyncClient() as http:
        rest = StatisticsClient(config, http, TokenProvider(config, http))
        reconciler = Reconciler(rest, chunk_size=50, on_values=lambda *_: None)
        good = descriptor_of(object_type="Agent", object_id="agent001", name="TimeInCurrentState")
        reconciler.set_desired({"good": good, "ghost": GHOST})
        await reconciler.reconcile()
        assert set(reconciler.invalid) == {"ghost"} and reconciler.open_keys == {"good"}
        requests = simulator.statistics.requests
        reconciler.set_desired({"good": good, "ghost": GHOST})  # the periodic re-read
        await reconciler.reconcile()
        assert simulator.statistics.requests == requests  # not asked again
        reconciler.retry_refused()  # an admin saved something
        await reconciler.reconcile()
        assert simulator.statistics.requests == requests + 1 and set(reconciler.invalid) == {"ghost"}


# -- small ones ---------------------------------------------------------------------------


async def test_a_404_on_delete_means_already_gone(live: LiveBridge, simulator: Simulator) -> None:
    await everything_open(live)
    await control(simulator, "delete-404", {"enabled": True})
    states: list[str] = []
    live.bridge.on_status_change = lambda status: states.append(status.state.value)
    simulator.restart()  # forgets every subscription: the resync's DELETEs get 404
    restarted_at = int(time.time() * 1000)
    await all_keys_fresh(live, restarted_at, timeout=20.0)
    await everything_open(live)
    assert "error" not in states, states
    assert live.bridge.reconciler.stale == set()


async def test_service_state_is_compared_without_case(live: LiveBridge, simulator: Simulator) -> None:
    await everything_open(live)
    await control(simulator, "service-state-case", {"case": "lower"})
    outage_started = time.time()
    simulator.start_outage(1.0)
    since = int(outage_started * 1000)  # the earlier "connected" reaches this dashboard too (issue 20)
    frame = await live.frames_until(lambda f: f["type"] == "bridge" and f["since"] >= since, timeout=10)
    assert frame["state"] == "upstream-unavailable"
    await all_keys_fresh(live, int(outage_started * 1000), timeout=15.0)
    assert live.bridge.status.state == BridgeState.CONNECTED


async def test_an_expired_token_answered_403_on_cometd_gets_a_new_token(live: LiveBridge, simulator: Simulator) -> None:
    await everything_open(live)
    fetches = live.bridge.tokens.fetches
    await control(simulator, "expire-tokens", {"status": 403})
    expired_at = int(time.time() * 1000)
    await all_keys_fresh(live, expired_at, timeout=30.0)
    assert live.bridge.link.failures.get("forbidden", 0) >= 1  # CometD did answer 403
    assert live.bridge.tokens.fetches > fetches
    await async_wait_until(lambda: live.bridge.status.state == BridgeState.CONNECTED, what="connected")
