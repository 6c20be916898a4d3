"""One WebSocket as its relay sees it (`LocalSocket`): can it take a frame now, and what
waits for it. Apart from the relay (dashboard/realtime/relays.py), which writes each
dashboard frame to all its sockets, because what one socket holds and when it is
written to is its own state machine.

Each socket is written to only while it can take it: after its snapshot (so the
snapshot comes first) and while its reader keeps up (see dashboard/realtime/transport.py).
Frames that come while a socket waits for its snapshot are kept as they are (text and
encoded bytes shared by every waiting socket: a connect storm of 1,000 sockets used to
copy every value into every socket's own dict, 11% of the process) and, once the snapshot
is there, sent unless the snapshot already holds them (an update frame at or before the
snapshot's `seq`). A socket that falls behind later has its values coalesced, the newest
per statistic, and sent as one update once it can; a socket behind for
SOCKET_BEHIND_CAP_SECONDS is closed and its browser reconnects. Everything the local
fan-out does (sockets, relays, hub) is counted in `COUNTERS` (shown on /metrics).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from django.conf import settings

from dashboard.realtime.transport import TransportHandle
from statsbridge.messages import update_frames

if TYPE_CHECKING:
    from dashboard.realtime.relays import Relay

SNAPSHOT_WAIT_S = 5.0  # a socket whose snapshot never comes gets updates anyway
HIGH_WATER_BYTES = 256 * 1024  # queued for one reader: it is behind
LOW_WATER_BYTES = 16 * 1024  # ... and it has caught up
_UPDATE_START = '{"type":"update"'
COUNTERS: Counter[str] = Counter()  # dashboard/realtime/fencing.py counts `frames_fenced` here too


class LocalSocket:
    """One WebSocket as the relay sees it: can it take a frame now, and what waits."""

    def __init__(self, send_text: Callable[[str], Awaitable[None]], handle: TransportHandle | None) -> None:
        self.send_text = send_text
        self.handle = handle
        self.joined_at = time.monotonic()
        self.ready = False
        self.behind_since: float | None = None
        self.pending: dict[str, dict] = {}
        self.pending_bridge: str | None = None  # the newest link state is all that matters
        self.pending_other: list[str] = []  # config (reload) and any other kind: each kept
        self.closed = False
        self.relay: Relay | None = None
        self.asked_when_joined = False  # its relay was in the group when it asked
        self.waiting: list[tuple[object, object, str, bytes]] = []  # (term, seq, text, bytes) before its snapshot
        self.snapshot_at: tuple[object, int] | None = None  # (term, seq) its snapshot was built at
        self.joined_seen: tuple[int, int] | None = None  # its relay's newest frame when it joined
        self.has_snapshot = False

    @property
    def holding(self) -> bool:
        return bool(self.waiting or self.pending or self.pending_bridge or self.pending_other)

    def waits_for_snapshot(self, now: float) -> bool:
        return not self.ready and not self.closed and now - self.joined_at < SNAPSHOT_WAIT_S

    def writable(self, now: float) -> bool:
        if self.closed:
            return False
        if not self.ready and now - self.joined_at < SNAPSHOT_WAIT_S:
            return False
        self.ready = True
        backlog = self.handle.backlog() if self.handle is not None else 0
        if backlog <= LOW_WATER_BYTES or (backlog < HIGH_WATER_BYTES and self.behind_since is None):
            self.behind_since = None
            return True
        if self.behind_since is None:
            self.behind_since = now
            COUNTERS["sockets_fell_behind"] += 1
        elif now - self.behind_since > settings.SOCKET_BEHIND_CAP_SECONDS:
            self._abort()
        return False

    def _abort(self) -> None:
        self.closed = True
        COUNTERS["sockets_closed_behind"] += 1
        if self.handle is not None:
            self.handle.abort()

    def hold(self, message: dict, text: str) -> None:
        """Keep a frame's news for later: the newest value per statistic, the newest
        link state, and every other frame (a `config` frame must survive a `bridge`)."""
        kind = message.get("type")
        if kind == "bridge":
            self.pending_bridge = text
            return
        if kind != "update":
            if text not in self.pending_other:
                self.pending_other.append(text)
            return
        for stat in message.get("statistics", ()):
            if stat["id"] in self.pending:
                COUNTERS["values_coalesced"] += 1
            self.pending[stat["id"]] = stat
        COUNTERS["frames_held"] += 1

    def clear_to_write(self, framed: bytes) -> bool:
        """Written at once: this socket has its snapshot, holds nothing, and nothing is
        queued for its reader (so it is `writable`); else False and nothing happened."""
        if self.closed or self.handle is None or self.holding:
            return False
        return self.handle.write_now(framed)

    async def send(self, text: str, payload: bytes | None = None, framed: bytes | None = None) -> None:
        if self.handle is not None:
            self.handle.send_frame(payload if payload is not None else text.encode(), framed)
        else:
            await self.send_text(text)
        COUNTERS["frames_out"] += 1

    async def flush(self) -> None:
        if self.waiting:
            await self._send_waiting()
        if self.pending_bridge is not None:
            text, self.pending_bridge = self.pending_bridge, None
            await self.send(text)
        others, self.pending_other = self.pending_other, []
        for text in others:
            await self.send(text)
        if self.pending:
            stats, self.pending = list(self.pending.values()), {}
            for text in update_frames(stats):
                await self.send(text)

    async def _send_waiting(self) -> None:
        """The frames that came before the snapshot, oldest first, less the updates
        it already holds (same term, `seq` at or before the one it was built at)."""
        waiting, self.waiting = self.waiting, []
        built = self.snapshot_at
        for term, seq, text, payload in waiting:
            if (
                built is not None
                and term == built[0]
                and isinstance(seq, int)
                and seq <= built[1]
                and text.startswith(_UPDATE_START)
            ):
                COUNTERS["frames_in_snapshot"] += 1
                continue
            await self.send(text, payload)

    async def snapshot_delivered(self, term: object = None, seq: object = None, sender: object = None) -> None:
        """The relay was in its group before the request, so before the build: it
        misses no frame after the snapshot's `seq`."""
        self.ready = self.has_snapshot = True
        if isinstance(seq, int) and not isinstance(seq, bool):
            self.snapshot_at = (term, seq)  # it holds every value of the frames up to seq
        if self.relay is not None and self.asked_when_joined:
            self.relay.note_seen(term, seq, sender)
        if self.writable(time.monotonic()):
            await self.flush()

    def connection_snapshot_delivered(self, term: object, seq: object, connection: str) -> None:
        """A snapshot of another connection's bridge reached this socket alone (issue 22).
        It is not the snapshot this socket waits for (`default`'s, through the relay):
        only the relay learns how far that bridge's frames reach it."""
        if self.relay is not None and self.relay.joined.is_set():
            self.relay.note_seen(term, seq, connection)
