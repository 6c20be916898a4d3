"""A hub that writes slower than batches arrive keeps draining its channel and writes
what waited as one batch (dashboard/realtime/hub_channel.py): fewer, larger frames, the
newest values, nothing left to expire in the layer. On the real in-memory layer."""

from __future__ import annotations

import asyncio
from collections import Counter

import orjson
from channels.layers import InMemoryChannelLayer

from dashboard.realtime.hub_channel import HubChannel
from statsbridge.fanout import BATCH_EVENT, BROADCAST_GROUP
from statsbridge.messages import encode, update_message


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


class OneRelayHub(HubChannel):
    def __init__(self, layer: InMemoryChannelLayer, relay: SlowRelay) -> None:
        self.relay = relay
        super().__init__(layer, Counter())

    def relay_for(self, dashboard: object) -> SlowRelay | None:
        return self.relay if dashboard == "wall" else None

    def all_relays(self) -> list[SlowRelay]:
        return [self.relay]


async def test_a_hub_behind_writes_the_waiting_batches_merged() -> None:
    layer, relay = InMemoryChannelLayer(capacity=1000), SlowRelay()
    hub = OneRelayHub(layer, relay)
    try:
        await asyncio.wait_for(hub.joined.wait(), 5)
        for n in range(1, 41):  # 200 batches/s against 20 writes/s
            stats = [{"id": "calls", "value": n, "timestamp": n}, {"id": f"only-{n}", "value": n, "timestamp": n}]
            frame = ["wall", encode(update_message(stats)), n]
            await layer.group_send(BROADCAST_GROUP, {"type": BATCH_EVENT, "term": 0, "frames": [frame]})
            await asyncio.sleep(0.005)
        for _ in range(200):
            if relay.frames and orjson.loads(relay.frames[-1])["statistics"][0]["value"] == 40:
                break
            await asyncio.sleep(0.02)
        shown: dict[str, int] = {}
        for text in relay.frames:
            for stat in orjson.loads(text)["statistics"]:
                assert stat["value"] >= shown.get(stat["id"], 0)  # never an older value after a newer one
                shown[stat["id"]] = stat["value"]
        assert shown["calls"] == 40
        assert shown == {"calls": 40, **{f"only-{n}": n for n in range(1, 41)}}  # every statistic's news
        assert len(relay.frames) < 20  # written merged, not one frame per batch
        assert hub.counters["layer_batches_merged"] == 40 - len(relay.frames)
        assert hub.counters["layer_messages_in"] == 40
    finally:
        hub.task.cancel()
        await asyncio.gather(hub.task, return_exceptions=True)
