"""The hub's channel, and everything waiting on it taken in one Redis round trip.

Why: channels-redis receives one message per call, and each call is four Redis round
trips in a row (a clean-up script, BZPOPMIN, a backup ZADD, a clean-up ZPOPMIN); on a
process-specific channel it also hands a lock along every consumer's pending receive
(2,500 per web process with 5,000 wallboards). A web process writing each batch to
2,500 sockets took batches off its channel about as fast as the bridge sent them, no
faster: the channel stayed at its capacity of 200, batches waited 20-30 s, and those
over capacity or past the layer's expiry were lost (docs/performance.md, "5,000
sockets, steady state"). So on channels-redis' core layer the hub receives on a plain
channel of its own (not process-specific: no lock shared with the consumers) and,
after each blocking receive, takes up to DRAIN_LIMIT more that already wait with one
ZPOPMIN (`waiting`); the hub merges them (dashboard/realtime/batch_merge.py).

What this gives up: channels-redis keeps a received message in a backup queue until
it is handled, so a receive cancelled half-way loses nothing; these are popped for
good (a hub cancelled between the pop and its writes is a process shutting down).
Other layers (in-memory, Redis Pub/Sub) receive one message at a time, as before.

It reads channels-redis' private names (PRIVATE_NAMES), checked at start-up with
the transport's (dashboard/realtime/transport.py `check_private_names`).
"""

from __future__ import annotations

import uuid
from typing import Any

from statsbridge.private_names import Reach

DRAIN_LIMIT = 64  # messages taken at once after a receive


def _sample_layer(cls: type) -> object:
    return cls(hosts=[{"address": "redis://127.0.0.1:1"}])  # builds no connection


PRIVATE_NAMES = (
    Reach(
        "channels_redis.core:RedisChannelLayer",
        ("prefix", "consistent_hash(value)", "connection(index)", "deserialize(message)"),
        sample=_sample_layer,
    ),
)


def drains(layer: Any) -> bool:
    """channels-redis' core layer (the one with per-channel sorted sets)."""
    try:
        from channels_redis.core import RedisChannelLayer
    except ImportError:
        return False
    return isinstance(layer, RedisChannelLayer)


async def hub_channel(layer: Any) -> str:
    """A plain channel on the core Redis layer, else the layer's process-specific one."""
    if drains(layer):
        return f"dashboards-hub.{uuid.uuid4().hex}"
    name: str = await layer.new_channel()
    return name


async def waiting(layer: Any, channel: str, limit: int = DRAIN_LIMIT) -> list[dict]:
    """Up to `limit` messages already on `channel`, oldest first, in one ZPOPMIN."""
    if not drains(layer):
        return []
    connection = layer.connection(layer.consistent_hash(channel))
    messages = []
    for member, _score in await connection.zpopmin(layer.prefix + channel, limit):
        message = layer.deserialize(member)
        message.pop("__asgi_channel__", None)  # group sends name their channels
        messages.append(message)
    return messages
