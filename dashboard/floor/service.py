"""Messages to the floor as a watcher of the bridge (like the alert engine,
dashboard/alerts/service.py): it runs in the process whose bridge runs (with Redis, the
leader's), so every frame leaves through the one door, statsbridge/fanout.py, and a
multi-process deployment sends each message once.

The database is the truth. A post, an edit or a withdrawal anywhere sends
`{"type": "floor.changed"}` on the channel FLOOR_CHANNEL (dashboard/floor/notify.py);
this service then re-reads the active messages and sends what changed: a `message`
frame for a new or edited one, a `withdrawn` frame for one withdrawn or expired (so a
wallboard whose clock is wrong still drops it). It also re-reads at every expiry, every
RELOAD_S (a lost notification), when attached (a new leader) and when the bridge re-reads
its configuration (a wallboard's pages changed). Snapshots carry the active messages
(`"messages": [...]`), so a wallboard that reconnects shows them again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from dashboard.floor.routes import ActiveMessage, load_active
from dashboard.project.bridge_follower import BridgeFollower
from dashboard.project.db_thread import in_db_thread

log = logging.getLogger(__name__)
FLOOR_CHANNEL = "floor-messages"
RELOAD_S = 30.0


class FloorMessageService(BridgeFollower):
    name = "floor messages"

    def __init__(self, reload_s: float = RELOAD_S) -> None:
        super().__init__()
        self.reload_s = reload_s
        self.active: dict[str, ActiveMessage] = {}
        self.changed = asyncio.Event()
        self.frames_sent = 0

    # -- bridge watcher (statsbridge/bridge.py Watcher) -------------------------------

    def attached(self, service: Any) -> None:
        self.active = {}  # a new term: tell every screen what is active now
        self.changed.set()
        self.run_tasks(service, {"floor-messages": self._run(), "floor-messages-listen": self._listen()})

    def values(self, stats: list[dict]) -> None:
        return None

    def status(self, status: Any) -> None:
        return None

    def reloaded(self) -> None:
        self.changed.set()  # a wallboard's pages may have changed: re-route

    def snapshot_extra(self, dashboard: str) -> dict:
        now = time.time() * 1000
        shown = [m.frame for m in self.active.values() if dashboard in m.dashboards and m.frame["until"] > now]
        return {"messages": shown}

    # -- the loop ---------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            self.changed.clear()
            await self.refresh()
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=self._wait_s())
            except TimeoutError:
                pass

    def _wait_s(self) -> float:
        """Until the next expiry (a little after, so it is past), at most reload_s."""
        if not self.active:
            return self.reload_s
        soonest = min(m.frame["until"] for m in self.active.values()) / 1000 - time.time()
        return max(0.05, min(self.reload_s, soonest + 0.05))

    async def refresh(self) -> None:
        try:
            current = await in_db_thread(load_active)
        except Exception:
            log.exception("could not read the floor messages; keeping the previous ones")
            return
        previous, self.active = self.active, current
        for key, gone in previous.items():
            if key not in current:
                await self._send(
                    {"id": key, "withdrawn": True, "wallboards": gone.frame["wallboards"]}, gone.dashboards
                )
        for key, message in current.items():
            before = previous.get(key)
            if before is None or before.frame != message.frame:
                # dashboards that no longer show it (a wallboard dropped): withdrawn there
                stale = before.dashboards - message.dashboards if before is not None else set()
                if stale:
                    await self._send({"id": key, "withdrawn": True, "wallboards": before.frame["wallboards"]}, stale)
                await self._send(message.frame, message.dashboards)

    async def _send(self, message: dict, dashboards: set[str]) -> None:
        if not dashboards or self.bridge_service is None:
            return
        try:
            await self.bridge_service.fanout.send_floor_message(message, dashboards)
            self.frames_sent += 1
        except Exception:
            log.exception("could not send a floor message frame")

    async def _listen(self) -> None:
        layer = self.bridge_service.layer
        while True:
            try:
                await layer.receive(FLOOR_CHANNEL)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("floor messages: could not read notifications", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            self.changed.set()
