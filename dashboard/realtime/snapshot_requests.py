"""Snapshots asked for per relay, not per socket: one reply serves every socket of a
web process that waits for that dashboard.

Why: each socket used to ask the bridge itself, and each got its own copy of the
snapshot through the channel layer, its consumer and Channels' send path. When 1,000
wallboards reconnected together that was 1,000 requests and 1,000 copies (~120 KB each
for the 602-statistic bench dashboard; through Redis in the scaled-out mode, where a
process's whole inbox holds `CHANNEL_CAPACITY` messages), and they queued behind each
other (docs/performance.md "Round two").

Here a relay sends the request, with its process's hub channel as the reply address
and its own id (echoed in the reply), and at most one is in flight. A reply built when the bridge had sent frame S serves every socket
still without a snapshot that it is complete for (`complete_for`): one that joined
when the relay's newest frame was at or before S, since every later frame is in that
socket's waiting list (dashboard/realtime/local_socket.py). Sockets that joined after a newer
frame are asked for again at once. The text is encoded once and written to each
socket straight through daphne.
"""

from __future__ import annotations

import logging
import time

from channels.exceptions import ChannelFull

from statsbridge.service import REQUEST_CHANNEL

log = logging.getLogger(__name__)
REQUEST_LOST_S = 5.0  # no reply by then (no bridge, or it was full): the next joiner asks again


def complete_for(joined_seen: tuple[int, int] | None, term: object, seq: object) -> bool:
    """Is a snapshot built at (term, seq) complete for a socket that joined its relay
    when the relay's newest frame was `joined_seen` (None: it had received none)?"""
    if joined_seen is None:
        return True  # every frame the relay received came after the socket joined
    if not isinstance(term, int) or not isinstance(seq, int) or isinstance(seq, bool):
        return False
    return joined_seen[0] < term or (joined_seen[0] == term and joined_seen[1] <= seq)


class SnapshotAsker:
    """One relay's snapshot request in flight."""

    def __init__(self, layer: object, dashboard: str) -> None:
        self.layer, self.dashboard = layer, dashboard
        self.asked_at: float | None = None  # monotonic time of the request in flight
        self.requests = 0

    def in_flight(self) -> bool:
        return self.asked_at is not None and time.monotonic() - self.asked_at < REQUEST_LOST_S

    def answered(self) -> None:
        self.asked_at = None

    async def ask(
        self, reply_channel: str, seen: list[int] | None, attempts: int = 2, relay: int | None = None
    ) -> None:
        """`relay`: the asking relay's id, echoed in the reply (its hub's channel is
        every relay's reply address: dashboard/realtime/hub_channel.py)."""
        self.asked_at = time.monotonic()
        self.requests += 1
        request = {
            "type": "snapshot.request",
            "dashboard": self.dashboard,
            "reply_channel": reply_channel,
            "seen": seen,
        }
        if relay is not None:
            request["relay"] = relay
        for attempt in range(attempts):
            try:
                await self.layer.send(REQUEST_CHANNEL, request)  # type: ignore[attr-defined]
                return
            except ChannelFull:
                return  # no bridge is draining requests; updates come after SNAPSHOT_WAIT_S
            except Exception:
                # After a Redis restart the first command on a pooled connection fails;
                # the retry gets a fresh one. If Redis is still away, updates come later.
                if attempt == attempts - 1:
                    log.warning("could not ask the bridge for a snapshot of %s", self.dashboard, exc_info=True)
