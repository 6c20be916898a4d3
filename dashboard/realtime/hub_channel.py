"""A web process's one channel: every dashboard's frames, one layer message per flush.

Why one channel and not one group per dashboard: channels-redis reads a process's inbox
one message per Redis round trip. With a group per dashboard each web process received
(dashboards x flushes/s) messages, and at 100 dashboards and 2,000 updates/s frames
waited ~30 s in each inbox while the process itself was two-thirds idle
(docs/performance.md, "5,000 sockets over two web processes with Redis"). The bridge
now sends each flush's frames as one batch to BROADCAST_GROUP (statsbridge/fanout.py);
this channel is in that group once, hands each frame to the relay of its dashboard
and skips dashboards this process has no socket for.

The channel is drained into a local inbox while the hub writes (on channels-redis, all
that waits in one round trip: dashboard/realtime/layer_drain.py), and the batches that
waited there are merged into one (dashboard/realtime/batch_merge.py): a process that
falls behind writes fewer, larger frames instead of leaving batches to expire in Redis.
Writing one batch yields to the event loop every YIELD_EVERY_SOCKETS socket writes, so
the inbox keeps draining and handshakes and pings are answered meanwhile.

Snapshot replies to the relays' requests come here too, tagged with the dashboard and
the asking relay's id (the bridge echoes it; a reply to a relay since closed is
dropped, as its own channel's would have been): on one channel they arrive in the order the bridge sent them,
after every frame sent before the snapshot was built, as when each relay had its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, deque
from typing import Any, Protocol

from dashboard.realtime.batch_merge import merge, runs
from dashboard.realtime.layer_drain import hub_channel, waiting
from statsbridge.backoff import Backoff
from statsbridge.fanout import BATCH_EVENT, BROADCAST_GROUP, frames_of

log = logging.getLogger(__name__)
GROUP_REFRESH_S = 60.0  # re-join before the layer's group_expiry forgets us
YIELD_EVERY_SOCKETS = 64  # socket writes between two yields to the loop while writing a batch
_LOST = {"type": "hub.lost"}  # in the inbox: the layer blinked after the messages before it


class Receiver(Protocol):
    id: int
    sockets: Any  # sized: its local sockets (how much writing one frame costs)

    async def deliver(self, text: str, envelope: dict | None = None) -> None: ...
    async def snapshot_part(self, message: dict) -> None: ...
    def lost(self) -> None: ...


class HubChannel:
    """Receives on one channel in BROADCAST_GROUP and dispatches to `relay_for(dashboard)`."""

    def __init__(self, layer: Any, counters: Counter[str]) -> None:
        self.layer = layer
        self.counters = counters
        self.channel: str | None = None
        self.joined = asyncio.Event()  # in the group: frames sent from now on reach us
        self.inbox: deque[dict] = deque()  # received, not yet written
        self.arrived = asyncio.Event()
        self.task = asyncio.create_task(self._run(), name="relay hub")

    def relay_for(self, dashboard: object) -> Receiver | None:
        raise NotImplementedError

    def all_relays(self) -> list[Any]:
        raise NotImplementedError

    async def dispatch(self, message: dict) -> None:
        if message is _LOST:
            for relay in self.all_relays():
                relay.lost()
        elif message.get("type") == BATCH_EVENT:
            written = 0
            for dashboard, frame in frames_of(message):
                self.counters["layer_frames_in"] += 1
                relay = self.relay_for(dashboard)
                if relay is not None:  # no socket here for that dashboard: skipped
                    await relay.deliver(frame["text"], frame)
                    written += len(relay.sockets)
                    if written >= YIELD_EVERY_SOCKETS:
                        written = 0
                        await asyncio.sleep(0)  # the receiver drains the channel meanwhile
        elif "snapshot" in message:
            relay, tag = self.relay_for(message.get("dashboard")), message.get("relay")
            if relay is not None and (tag is None or tag == relay.id):
                await relay.snapshot_part(message)  # else a reply to a relay since closed

    async def _run(self) -> None:
        """Receives into the inbox; `_write` empties it."""
        self.channel = await self._new_channel()
        refresher = asyncio.create_task(self._keep_joined(), name="relay hub join")
        writer = asyncio.create_task(self._write(), name="relay hub writer")
        try:
            while True:
                try:
                    messages = [await self.layer.receive(self.channel)]
                    messages += await waiting(self.layer, self.channel)  # what else waits (layer_drain.py)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    # The layer blinked (Redis restarting): wait and join again, since
                    # a restarted Redis has forgotten the group (and what we had seen).
                    log.warning("relay hub lost the channel layer; retrying", exc_info=True)
                    self._arrive(_LOST)
                    await asyncio.sleep(1.0)
                    await self._join()
                    continue
                self.counters["layer_messages_in"] += len(messages)
                for message in messages:
                    self._arrive(message)
        finally:
            refresher.cancel()
            writer.cancel()

    def _arrive(self, message: dict) -> None:
        self.inbox.append(message)
        self.arrived.set()

    async def _write(self) -> None:
        """Writes what waited in the inbox, consecutive batches merged (batch_merge.py)."""
        while True:
            await self.arrived.wait()
            self.arrived.clear()
            waiting = list(self.inbox)
            self.inbox.clear()
            for run in runs(waiting):
                try:
                    await self.dispatch(merge(run, self.counters))
                    await asyncio.sleep(0)  # a run of snapshot replies must not hold the loop either
                except asyncio.CancelledError:
                    raise
                except Exception:
                    self.counters["layer_messages_failed"] += 1
                    log.exception("relay hub could not write a message; skipped")

    async def _new_channel(self) -> str:
        """A channel, however long the layer takes to give one (the Pub/Sub layer
        needs Redis for it): a hub that gave up would leave every socket silent."""
        backoff = Backoff(base=0.5, cap=10.0)
        while True:
            try:
                return await hub_channel(self.layer)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.counters["relay_channel_failures"] += 1
                log.warning("relay hub could not get a channel (%s); retrying", type(error).__name__)
                await backoff.sleep()

    async def _keep_joined(self) -> None:
        """Re-join every GROUP_REFRESH_S, before the layer's group expiry forgets us.
        Never by timing out a receive: the Pub/Sub layer drops a channel whose
        receive is cancelled, and the hub would hear nothing again."""
        while True:
            await self._join()
            await asyncio.sleep(GROUP_REFRESH_S)

    async def _join(self) -> None:
        try:
            await self.layer.group_add(BROADCAST_GROUP, self.channel)
            self.joined.set()
        except Exception:
            log.warning("relay hub could not join %s; retrying", BROADCAST_GROUP, exc_info=True)
