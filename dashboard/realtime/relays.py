"""Delivery of dashboard frames to this process's WebSockets: one relay per dashboard.

Why not one Channels group member per socket: each member costs, per frame, a
channel-layer message, a consumer dispatch and a thread hop (`aclose_old_connections`),
about 0.4 ms of the event loop (docs/performance.md); 200 wallboards made each batch
wait ~85 ms. Instead each process has one relay per dashboard (`Relay`), which writes
every frame to its local sockets itself; and one channel (`LocalHub`,
dashboard/realtime/local_hub.py) that receives the bridge's batch of every flush,
once per process, and hands each dashboard's frame to that dashboard's relay.

Each socket (`LocalSocket`, dashboard/realtime/local_socket.py) is written to only
while it can take it: after its snapshot, and while its reader keeps up; else it holds
the frames for later. Everything is counted in `COUNTERS` (local_socket.py, shown on
/metrics).

Fencing: relays drop a deposed leader's late frames by their term (dashboard/realtime/fencing.py).
Each relay also knows the newest frame `seq` after which it misses nothing, which its
snapshot requests carry (statsbridge/snapshots.py). A relay asks for its sockets'
snapshots itself, one request in flight, and one reply serves all the sockets it is
complete for (dashboard/realtime/snapshot_requests.py).
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import TYPE_CHECKING

import orjson

from dashboard.realtime.fencing import Terms
from dashboard.realtime.local_socket import COUNTERS, LocalSocket
from dashboard.realtime.relay_copy import RelayCopy
from dashboard.realtime.snapshot_requests import SnapshotAsker, complete_for
from dashboard.realtime.transport import text_frame

if TYPE_CHECKING:
    from dashboard.realtime.local_hub import LocalHub

log = logging.getLogger(__name__)

_relay_ids = itertools.count(1)


class Relay:
    """This process's delivery of one dashboard's frames to its local sockets. The
    frames come through the hub (LocalHub), which is in the bridge's group for them."""

    def __init__(self, hub: LocalHub, dashboard: str, terms: Terms | None = None) -> None:
        self.hub = hub
        self.layer = hub.layer
        self.dashboard = dashboard
        self.id = next(_relay_ids)  # echoed in its snapshot replies: a closed relay's are dropped
        self.terms = terms or Terms(COUNTERS)
        self.sockets: set[LocalSocket] = set()
        self.joined = hub.joined  # the hub is in the group: frames sent from now on reach us
        self.seen: tuple[int, int] | None = None  # (term, seq): every later frame reaches us
        self.asker = SnapshotAsker(self.layer, dashboard)
        self.asked_when_joined = False  # the request in flight was sent while in the group
        self.serving: list[LocalSocket] = []  # got the first part of the snapshot being delivered
        self.seen_by: dict[str, tuple[int, int]] = {}  # the same per connection but `default`
        self.copy = RelayCopy(COUNTERS)  # `default`'s snapshot as this relay keeps it (relay_copy.py)

    def lost(self) -> None:
        """The layer blinked: a restarted Redis has forgotten the group (and so what we had seen)."""
        self.seen = None
        self.seen_by.clear()
        self.copy.lost()

    def note_seen(self, term: object, seq: object, sender: object = None) -> None:
        """Every frame of `term` after `seq` reaches this relay (it is in the group).
        `sender`: the envelope's `conn`, a connection's bridge counting its own `seq`."""
        if not isinstance(seq, int) or not isinstance(term, int) or not self.joined.is_set():
            return
        if isinstance(sender, str) and sender:
            self.seen_by[sender] = _newer(self.seen_by.get(sender), term, seq)
        else:
            self.seen = _newer(self.seen, term, seq)

    async def want_snapshot(self, sock: LocalSocket) -> None:
        """`sock` has joined and waits for its snapshot: from the relay's own copy if it
        has a complete one (relay_copy.py), else ask, unless a request is in flight
        (its reply serves `sock` if complete for it, else `sock` is asked for then)."""
        if await self._serve_from_copy(sock):
            return
        if not self.asker.in_flight():
            await self._ask()

    async def _serve_from_copy(self, sock: LocalSocket) -> bool:
        """The copy holds every frame this relay received, so every frame `sock` has
        waiting: it is complete for `sock`, which then skips the updates it holds."""
        built = self.copy.snapshot() if self.joined.is_set() and not sock.closed else None
        if built is None:
            return False
        texts, payloads, term, seq = built
        sock.has_snapshot = True
        COUNTERS["snapshots_local"] += 1
        for text, payload in zip(texts, payloads, strict=True):
            if not await self._write_part(sock, text, payload):
                return True
        await sock.snapshot_delivered(term, seq)
        return True

    async def refresh_copy(self) -> None:
        """A new base for the copy now and then (relay_copy.REFRESH_S), one request."""
        if self.sockets and self.joined.is_set() and not self.asker.in_flight() and self.copy.wants_refresh():
            await self._ask()

    async def _ask(self) -> None:
        if self.hub.channel is not None:
            self.asked_when_joined = self.joined.is_set()
            self.copy.asked(self.asked_when_joined)
            await self.asker.ask(self.hub.channel, self.seen_for_request(), relay=self.id)

    async def snapshot_part(self, message: dict) -> None:
        """A part of a snapshot this relay asked for (the first has `snapshot` true)."""
        term, seq, text = message.get("term"), message.get("seq"), message.get("text", "")
        if not self.terms.admit(term):
            return  # a deposed leader's reply
        payload = text.encode()
        self.copy.reply_part(message, text)
        if not message.get("snapshot"):
            for sock in list(self.serving):
                await self._write_part(sock, text, payload)
            return
        self.asker.answered()
        if self.asked_when_joined:
            self.note_seen(term, seq)  # in the group before the build: every later frame reaches us
        waiting = [sock for sock in self.sockets if not sock.has_snapshot and not sock.closed]
        self.serving = [sock for sock in waiting if complete_for(sock.joined_seen, term, seq)]
        for sock in self.serving:
            sock.has_snapshot = True
            if await self._write_part(sock, text, payload):
                await sock.snapshot_delivered(term, seq)
        served = set(self.serving)
        left = [sock for sock in waiting if sock not in served]
        if left and self.copy.snapshot() is not None:
            for sock in left:  # joined after a newer frame, which the copy has applied
                await self._serve_from_copy(sock)
        elif left:
            await self._ask()  # for those who joined after a newer frame

    async def _write_part(self, sock: LocalSocket, text: str, payload: bytes) -> bool:
        try:
            await sock.send(text, payload)
            return True
        except Exception:
            log.debug("socket gone while sending its snapshot", exc_info=True)
            return False

    def seen_for_request(self) -> list[int] | None:
        """What a snapshot request may claim (None while not in the group)."""
        return list(self.seen) if self.seen is not None and self.joined.is_set() else None

    def seen_by_for_request(self) -> dict[str, list[int]]:
        """`seen_for_request` of each connection's bridge but `default`'s."""
        return {name: list(seen) for name, seen in self.seen_by.items()} if self.joined.is_set() else {}

    async def deliver(self, text: str, envelope: dict | None = None) -> None:
        if envelope is not None:
            if not self.terms.admit(envelope.get("term"), envelope.get("conn")):
                return  # a deposed leader's late frame
            self.note_seen(envelope.get("term"), envelope.get("seq"), envelope.get("conn"))
        term, seq = (envelope.get("term"), envelope.get("seq")) if envelope is not None else (None, None)
        conn = envelope.get("conn") if envelope is not None else None
        message = self.copy.frame(text, term, seq, conn)  # decoded only while a copy is kept
        now, payload = time.monotonic(), text.encode()
        framed = text_frame(payload)  # once for every socket (transport.py)
        written = 0
        for sock in list(self.sockets):
            try:
                if sock.ready and sock.behind_since is None and sock.clear_to_write(framed):
                    written += 1  # the common case, in one call (LocalSocket.clear_to_write)
                elif sock.waits_for_snapshot(now):
                    sock.waiting.append((term, seq, text, payload))
                    COUNTERS["frames_held"] += 1
                elif sock.writable(now):
                    if sock.holding:
                        await sock.flush()
                    await sock.send(text, payload, framed)
                else:
                    message = message or orjson.loads(text)
                    sock.hold(message, text)
            except Exception:
                log.debug("socket gone while sending", exc_info=True)
        COUNTERS["frames_out"] += written


def _newer(seen: tuple[int, int] | None, term: int, seq: int) -> tuple[int, int]:
    if seen is None or term > seen[0] or (term == seen[0] and seq > seen[1]):
        return (term, seq)
    return seen
