"""Nothing the bridge has is lost to one failure: a failed fan-out keeps its batch, a
failed token save is retried, and one huge value cannot break a dashboard's sockets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest
import redis.asyncio as aioredis
from channels_redis.core import RedisChannelLayer

from statsbridge.bridge import Bridge
from statsbridge.cometd import UPDATES_CHANNEL
from statsbridge.desired import DesiredSet, descriptor_of
from statsbridge.fanout import ChannelsFanout
from statsbridge.values import MAX_RAW_BYTES
from tests.statsbridge import flaky_token_store
from tests.statsbridge.conftest import config_for
from tests.support.redis_server import PrivateRedis
from tests.support.relay_frames import FrameReader
from tests.support.relay_frames import listener as relay_listener
from tests.support.waiting import async_wait_until

T0 = 1_700_000_000_000


def desired_set() -> tuple[DesiredSet, str]:
    desired = DesiredSet()
    key = desired.add("d", descriptor_of(object_type="Queue", object_id="q", name="CurrentNumberWaitingCalls"))
    return desired, key


def updates(key: str, raw: object, stamp: int) -> dict:
    """A StatisticUpdate notification, as the CometD link hands it over."""
    return {
        "channel": UPDATES_CHANNEL,
        "data": {"statistics": [{"subscriptionId": "sub", "statisticId": key, "value": raw, "timestamp": stamp}]},
    }


async def start_bridge(layer: object, desired: DesiredSet) -> tuple[Bridge, asyncio.Event, asyncio.Task]:
    """A bridge with no upstream (its link keeps retrying a closed port): notifications
    are handed to it as its CometD link would."""

    async def load() -> DesiredSet:
        return desired

    bridge = Bridge(config_for("http://127.0.0.1:9"), load_desired=load, sink=ChannelsFanout(layer))
    bridge.reconciler.open["sub"] = set(desired.statistics)
    bridge.desired = desired
    stop = asyncio.Event()
    return bridge, stop, asyncio.create_task(bridge.run(stop))


async def next_update(layer: object, channel: str, timeout: float = 30.0) -> dict:
    """The next update frame (bridge-state frames skipped)."""

    reader = FrameReader(layer, channel, "d")

    async def read() -> dict:
        while True:
            frame = orjson.loads((await reader.next())["text"])
            if frame["type"] == "update":
                return frame

    return await asyncio.wait_for(read(), timeout)


@pytest.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[PrivateRedis]:
    server = await asyncio.to_thread(PrivateRedis(tmp_path).start)
    yield server
    await asyncio.to_thread(server.stop)


async def test_a_failed_send_goes_again_without_waiting_for_a_new_value(redis_server: PrivateRedis) -> None:
    layer = RedisChannelLayer(hosts=[redis_server.url])
    listener = await relay_listener(layer)
    desired, key = desired_set()
    bridge, stop, task = await start_bridge(layer, desired)
    admin = aioredis.from_url(redis_server.url)
    try:
        await admin.config_set("maxmemory", 1)  # Redis refuses every write (OOM): sends fail
        bridge.handle_message(updates(key, 7, T0 + 1))

        async def refused() -> bool:
            return "errorstat_OOM" in await admin.info("errorstats")

        await async_wait_until(refused, timeout=30, what="Redis refusing the send")
        await admin.config_set("maxmemory", 0)
        frame = await next_update(layer, listener)  # no new value since
        assert [(s["id"], s["value"]) for s in frame["statistics"]] == [(key, 7)]
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await admin.aclose()
        await layer.flush()


async def test_one_huge_value_is_replaced_by_a_marker_and_counted() -> None:
    from channels.layers import InMemoryChannelLayer

    layer = InMemoryChannelLayer()
    listener = await relay_listener(layer)
    desired, key = desired_set()
    bridge, stop, task = await start_bridge(layer, desired)
    try:
        bridge.handle_message(updates(key, {"Agents": ["x" * 1024] * 1100}, T0 + 1))  # over 1 MiB
        frame = await next_update(layer, listener)
        assert len(orjson.dumps(frame)) < MAX_RAW_BYTES
        (stat,) = frame["statistics"]
        assert stat["raw"]["error"] == "value too large to show" and stat["value"] is None
        assert bridge.counters.values_too_large == 1
        bridge.handle_message(updates(key, {"Status": 4}, T0 + 2))  # an ordinary value still passes
        stat = (await next_update(layer, listener))["statistics"][0]
        assert stat["raw"] == {"Status": 4}
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


@pytest.mark.django_db
async def test_a_rotated_refresh_token_is_saved_even_when_the_first_saves_fail(settings) -> None:  # type: ignore[no-untyped-def]
    from statsbridge.service import BridgeService

    settings.STATSBRIDGE_REFRESH_TOKEN_STORE = "tests.statsbridge.flaky_token_store"
    flaky_token_store.failures_left, flaky_token_store.saved[:] = 2, []
    service = BridgeService(config_for("http://127.0.0.1:9"))
    service.bridge.tokens.on_new_refresh_token("rotated-token")  # as the token provider does
    await async_wait_until(
        lambda: flaky_token_store.saved == ["rotated-token"], timeout=30, what="the rotated token saved"
    )
    assert service.token_save_failures == 2
