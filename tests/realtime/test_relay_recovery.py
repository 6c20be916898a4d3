"""A relay hub whose layer cannot give it a channel yet (channels-redis' Pub/Sub layer needs
Redis for that) keeps trying, says so, and serves its sockets once the layer is back."""

from __future__ import annotations

import asyncio
from pathlib import Path

from channels_redis.pubsub import RedisPubSubChannelLayer

from dashboard.realtime.local_hub import LocalHub
from dashboard.realtime.local_socket import COUNTERS, LocalSocket
from statsbridge.fanout import FRAME_EVENT
from tests.support.processes import free_port
from tests.support.redis_server import PrivateRedis
from tests.support.relay_frames import to_relays
from tests.support.waiting import async_wait_until


async def test_a_relay_started_while_redis_is_down_serves_its_sockets_once_it_is_back(tmp_path: Path) -> None:
    redis = PrivateRedis(tmp_path, port=free_port())  # not started yet
    layer = RedisPubSubChannelLayer(hosts=[redis.url])
    received: list[str] = []

    async def send_text(text: str) -> None:
        received.append(text)

    sock = LocalSocket(send_text, None)
    sock.ready = True
    failures = COUNTERS["relay_channel_failures"]
    hub = LocalHub(layer)
    joining = asyncio.create_task(hub.join("down", sock, wait_s=120))
    try:
        await async_wait_until(
            lambda: COUNTERS["relay_channel_failures"] > failures, timeout=30, what="a counted failure"
        )
        await asyncio.to_thread(redis.start)
        await asyncio.wait_for(joining, 60)
        await to_relays(layer, "down", {"type": FRAME_EVENT, "text": '{"type":"update","statistics":[]}'})
        await async_wait_until(lambda: received, timeout=30, what="the frame at the socket")
        assert not hub.task.done()
    finally:
        hub.task.cancel()
        hub.sweeper.cancel()
        await layer.flush()
        await asyncio.to_thread(redis.stop)
