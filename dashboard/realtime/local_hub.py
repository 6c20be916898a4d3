"""A process's relays, per event loop (`LocalHub`, `hub_for`): why one hub and not one
Channels group member per socket is in dashboard/realtime/relays.py. The hub is this
loop's one channel (dashboard/realtime/hub_channel.py) that receives the bridge's batch
of every flush, once per process, and hands each dashboard's frame to that dashboard's
relay; it makes and drops the relays as sockets join and leave, and its sweeper
flushes the sockets that have caught up with their readers.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref

from dashboard.realtime.fencing import Terms
from dashboard.realtime.hub_channel import HubChannel
from dashboard.realtime.local_socket import COUNTERS, LocalSocket
from dashboard.realtime.relays import Relay

log = logging.getLogger(__name__)


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
