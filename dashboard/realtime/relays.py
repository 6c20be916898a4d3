"""Delivery of dashboard frames to this process's WebSockets: one relay per dashboard.

Why not one Channels group member per socket: each member costs, per frame, a
channel-layer message, a consumer dispatch and a thread hop (`aclose_old_connections`),
about 0.4 ms of the event loop (docs/performance.md); 200 wallboards made each batch
wait ~85 ms. Instead each process has one relay per dashboard (`Relay`), which writes
every frame to its local sockets itself; and one channel (`LocalHub`,
dashboard/realtime/hub_channel.py) that receives the bridge's batch of every flush,
once per process, and hands each dashboard's frame to that dashboard's relay.

Each socket (`LocalSocket`) is written to only while it can take it: after its
snapshot (so the snapshot comes first) and while its reader keeps up (see
dashboard/realtime/transport.py). Frames that come while a socket waits for its snapshot
are kept as they are (text and encoded bytes shared by every waiting socket: a connect
storm of 1,000 sockets used to copy every value into every socket's own dict, 11% of the
process) and, once the snapshot is there, sent unless the snapshot already holds them
(an update frame at or before the snapshot's `seq`). A socket that falls behind later has
its values coalesced, the newest per statistic, and sent as one update once it can; a
socket behind for SOCKET_BEHIND_CAP_SECONDS is closed and its browser reconnects.
Everything is counted in `COUNTERS` (shown on /metrics).

Fencing: relays drop a deposed leader's late frames by their term (dashboard/realtime/fencing.py).
Each relay also knows the newest frame `seq` after which it misses nothing, which its
snapshot requests carry (statsbridge/snapshots.py). A relay asks for its sockets'
snapshots itself, one request in flight, and one reply serves all the sockets it is
complete for (dashboard/realtime/snapshot_requests.py).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable

import orjson
from django.conf import settings

from dashboard.realtime.fencing import Terms
from dashboard.realtime.hub_channel import HubChannel
from dashboard.realtime.relay_copy import RelayCopy
from dashboard.realtime.snapshot_requests import SnapshotAsker, complete_for
from dashboard.realtime.transport import TransportHandle, text_frame
from statsbridge.messages import update_frames

log = logging.getLogger(__name__)

SNAPSHOT_WAIT_S = 5.0  # a socket whose snapshot never comes gets updates anyway
HIGH_WATER_BYTES = 256 * 1024  # queued for one reader: it is behind
LOW_WATER_BYTES = 16 * 1024  # ... and it has caught up
_UPDATE_START = '{"type":"update"'
COUNTERS: Counter[str] = Counter()  # dashboard/realtime/fencing.py counts `frames_fenced` here too
_relay_ids = itertools.count(1)


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


class LocalHub(HubChannel):
    """The relays of one event loop, their one channel (hub_channel.py) and a sweeper
    that flushes caught-up sockets."""

    def __init__(self, layer: object) -> None:
        self.relays: dict[str, Relay] = {}
        self.terms = Terms(COUNTERS)
        super().__init__(layer, COUNTERS)
        self.sweeper = asyncio.create_task(self._sweep(), name="relay sweeper")

    def relay_for(self, dashboard: object) -> Relay | None:
        return self.relays.get(dashboard) if isinstance(dashboard, str) else None

    def all_relays(self) -> list[Relay]:
        return list(self.relays.values())

    async def join(self, dashboard: str, sock: LocalSocket, wait_s: float = 5.0) -> None:
        """Returns once the relay is in the group, so that a snapshot asked for after
        this misses no update (or after `wait_s` if the layer is down)."""
        relay = self.relays.get(dashboard)
        if relay is None:
            relay = self.relays[dashboard] = Relay(self, dashboard, self.terms)
        relay.sockets.add(sock)
        sock.relay = relay
        sock.joined_seen = relay.seen  # every frame after this one reaches it (its waiting list)
        try:
            await asyncio.wait_for(relay.joined.wait(), wait_s)
        except TimeoutError:
            log.warning("relay for %s not in its group yet; asking for the snapshot anyway", dashboard)

    async def leave(self, dashboard: str, sock: LocalSocket) -> None:
        sock.closed = True
        relay = self.relays.get(dashboard)
        if relay is None:
            return
        relay.sockets.discard(sock)
        if not relay.sockets:
            del self.relays[dashboard]  # the hub skips its frames from now on

    def sockets(self) -> int:
        return sum(len(relay.sockets) for relay in list(self.relays.values()))

    async def _sweep(self, every_s: float = 0.5) -> None:
        while True:
            await asyncio.sleep(every_s)
            now = time.monotonic()
            for relay in list(self.relays.values()):
                try:
                    await relay.refresh_copy()
                except Exception:
                    log.debug("could not ask for a new snapshot base", exc_info=True)
                for sock in list(relay.sockets):
                    if (sock.holding or not sock.ready) and sock.writable(now):
                        try:
                            await sock.flush()
                        except Exception:
                            log.debug("socket gone while flushing", exc_info=True)


def _newer(seen: tuple[int, int] | None, term: int, seq: int) -> tuple[int, int]:
    if seen is None or term > seen[0] or (term == seen[0] and seq > seen[1]):
        return (term, seq)
    return seen


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LocalHub] = weakref.WeakKeyDictionary()


def hub_for(layer: object) -> LocalHub:
    """The hub of the running loop (tests run several loops, one after another)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None or hub.layer is not layer:
        hub = _hubs[loop] = LocalHub(layer)
    return hub


def local_sockets() -> int:
    return sum(hub.sockets() for hub in list(_hubs.values()))
