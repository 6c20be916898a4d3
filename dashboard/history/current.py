"""The current values of a dashboard, asked of the bridge wherever it runs: the same
`snapshot.request` a socket sends (statsbridge/service.py), answered on a channel of
our own. Used by the CSV export, which must show what the screens show.

A snapshot may come in several frames (statsbridge/messages.py `snapshot_frames`): the
`snapshot` first, then `update` frames; after the first, we wait PARTS_WAIT_S for more.
No bridge answering within `timeout`: no values (the export says "unavailable").
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import orjson
from channels.layers import get_channel_layer

from statsbridge.service import REQUEST_CHANNEL

PARTS_WAIT_S = 0.3


@dataclass
class Current:
    answered: bool = False
    bridge_state: str = ""
    stats: dict[str, dict] = field(default_factory=dict)  # key -> STAT


async def current_values(dashboard: str, timeout: float = 3.0) -> Current:
    layer = get_channel_layer()
    found = Current()
    if layer is None:
        return found
    reply = await layer.new_channel("history-export.")
    await layer.send(REQUEST_CHANNEL, {"type": "snapshot.request", "dashboard": dashboard, "reply_channel": reply})
    wait = timeout
    while True:
        try:
            message = await asyncio.wait_for(layer.receive(reply), wait)
        except TimeoutError:
            return found
        frame = orjson.loads(message.get("text") or "{}")
        if frame.get("type") == "snapshot":
            found.answered = True
            found.bridge_state = str((frame.get("bridge") or {}).get("state", ""))
        for stat in frame.get("statistics") or []:
            found.stats[stat["id"]] = stat
        wait = PARTS_WAIT_S
