"""A hub that writes slower than batches arrive keeps draining its channel and writes
what waited as one batch (dashboard/realtime/hub_channel.py): fewer, larger frames, the
newest values, nothing left to expire in the layer. On the real in-memory layer, and on
channels-redis with a private redis-server, where the hub takes everything waiting in
one round trip (dashboard/realtime/layer_drain.py)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest
from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer

from dashboard.realtime.hub_channel import HubChannel
from statsbridge.fanout import BATCH_EVENT, BROADCAST_GROUP
from statsbridge.messages import encode, update_message
from tests.support.redis_server import PrivateRedis


class SlowRelay:
    """Takes 50 ms per frame, as 2,500 sockets' writes do."""

    id = 1

    def __init__(self) -> None:
        self.sockets = {object()}
        self.frames: list[str] = []

    async def deliver(self, text: str, envelope: dict | None = None) -> None:
        self.frames.append(text)
        await asyncio.sleep(0.05)

    async def snapshot_part(self, message: dict) -> None:
        pass

    def lost(self) -> None:
        pass


class BlockingRelay(SlowRelay):
    """Holds the event loop 30 ms per frame, as socket writes do (they never await)."""

    async def deliver(self, text: str, envelope: dict | None = None) -> None:
        self.frames.append(text)
        time.sleep(0.03)


class OneRelayHub(HubChannel):
    def __init__(self, layer: InMemoryChannelLayer | RedisChannelLayer, relay: SlowRelay) -> None:
        self.relay = relay
        super().__init__(layer, Counter())

    def relay_for(self, dashboard: object) -> SlowRelay | None:
        return self.relay if dashboard == "wall" else None

    def all_relays(self) -> list[SlowRelay]:
        return [self.relay]


def batch(n: int) -> dict:
    stats = [{"id": "calls", "value": n, "timestamp": n}, {"id": f"only-{n}", "value": n, "timestamp": n}]
    return {"type": BATCH_EVENT, "term": 0, "frames": [["wall", encode(update_message(stats)), n]]}


async def test_a_hub_behind_writes_the_waiting_batches_merged() -> None:
    layer, relay = InMemoryChannelLayer(capacity=1000), SlowRelay()
    hub = OneRelayHub(layer, relay)
    try:
        await asyncio.wait_for(hub.joined.wait(), 5)
        for n in range(1, 41):  # 200 batches/s against 20 writes/s
            await layer.group_send(BROADCAST_GROUP, batch(n))
            await asyncio.sleep(0.005)
        await everything_written(hub, relay)
    finally:
        hub.task.cancel()
        await asyncio.gather(hub.task, return_exceptions=True)


@pytest.fixture
def private_redis(tmp_path: Path):  # type: ignore[no-untyped-def]
    server = PrivateRedis(tmp_path).start()
    yield server
    server.stop()


async def test_on_redis_a_hub_behind_takes_all_that_waits_at_once(private_redis: PrivateRedis) -> None:
    """The bridge sends from another process (here: a thread with its own loop) while
    the hub's loop is held by its writes; one message per receive would write 40 frames."""
    hosts = [{"address": private_redis.url, "socket_timeout": 30}]  # as settings.py: over BZPOPMIN's 5 s
    layer, relay = RedisChannelLayer(hosts=hosts, capacity=1000), BlockingRelay()
    hub = OneRelayHub(layer, relay)

    async def bridge() -> None:
        sender = RedisChannelLayer(hosts=hosts, capacity=1000)
        for n in range(1, 41):
            await sender.group_send(BROADCAST_GROUP, batch(n))
            await asyncio.sleep(0.002)
        await sender.close_pools()

    try:
        await asyncio.wait_for(hub.joined.wait(), 5)
        sending = threading.Thread(target=asyncio.run, args=(bridge(),))
        sending.start()
        await asyncio.get_running_loop().run_in_executor(None, sending.join)
        await everything_written(hub, relay)
        assert len(relay.frames) <= 10
    finally:
        hub.task.cancel()
        await asyncio.wait([hub.task], timeout=5)
        await layer.close_pools()


async def everything_written(hub: OneRelayHub, relay: SlowRelay) -> None:
    """Every batch's news reached the relay, newest last, in fewer frames than batches."""
    for _ in range(250):
        if relay.frames and orjson.loads(relay.frames[-1])["statistics"][0]["value"] == 40:
            break
        await asyncio.sleep(0.02)
    shown: dict[str, int] = {}
    for text in relay.frames:
        for stat in orjson.loads(text)["statistics"]:
            assert stat["value"] >= shown.get(stat["id"], 0)  # never an older value after a newer one
            shown[stat["id"]] = stat["value"]
    assert shown == {"calls": 40, **{f"only-{n}": n for n in range(1, 41)}}  # every statistic's news
    assert len(relay.frames) < 20  # written merged, not one frame per batch
    assert hub.counters["layer_batches_merged"] == 40 - len(relay.frames)
    assert hub.counters["layer_messages_in"] == 40
