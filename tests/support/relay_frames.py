"""The bridge's side of the channel layer, for tests that play it or listen to it:
frames travel in one batch per flush to BROADCAST_GROUP (statsbridge/fanout.py)."""

from __future__ import annotations

from typing import Any

from statsbridge.fanout import BATCH_EVENT, BROADCAST_GROUP, frames_of


async def to_relays(layer: Any, dashboard: str, envelope: dict) -> None:
    """Send one frame envelope ({"text", "term"?, "seq"?, "conn"?}) as a batch of one."""
    batch = {"type": BATCH_EVENT, "frames": [[dashboard, envelope["text"], envelope.get("seq")]]}
    batch.update({key: envelope[key] for key in ("term", "conn") if key in envelope})
    await layer.group_send(BROADCAST_GROUP, batch)


async def listener(layer: Any) -> str:
    """A channel that receives every batch, as a web process's hub does."""
    channel = await layer.new_channel()
    await layer.group_add(BROADCAST_GROUP, channel)
    return channel


class FrameReader:
    """A listener's frames of one dashboard, one envelope at a time (other dashboards skipped)."""

    def __init__(self, layer: Any, channel: str, dashboard: str) -> None:
        self.layer, self.channel, self.dashboard = layer, channel, dashboard
        self.queued: list[dict] = []

    async def next(self) -> dict:
        while not self.queued:
            message = await self.layer.receive(self.channel)
            if message.get("type") == BATCH_EVENT:
                self.queued += [frame for board, frame in frames_of(message) if board == self.dashboard]
            elif "text" in message:
                self.queued.append(message)
        return self.queued.pop(0)
