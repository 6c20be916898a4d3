"""What every service that follows the bridge shares (the alert engine, messages to the
floor, the history writer): hosted from start-up, but its work runs only while a bridge
runs in this process (with Redis: while this process leads), as that bridge's watcher
(statsbridge/bridge.py Watcher). One place for the attach/detach lifecycle, so the
three cannot drift apart in how they hand over on a leader change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

STOP_WAIT_S = 2.0


class BridgeFollower:
    def __init__(self) -> None:
        self.bridge_service: Any = None
        self._tasks: list[asyncio.Task] = []

    # -- hosted service (dashboard/project/hosting.py) ---------------------------------

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        if self.bridge_service is not None:
            await self.detached(self.bridge_service)

    async def detached(self, service: Any) -> None:  # subclasses add what their term keeps
        await self.end_tasks(service)

    # -- for subclasses' attached()/detached() ---------------------------------------

    def run_tasks(self, service: Any, tasks: dict[str, Coroutine[Any, Any, Any]]) -> None:
        """Follow `service`: start this term's tasks (name: coroutine)."""
        self.bridge_service = service
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(work, name=name) for name, work in tasks.items()]

    async def end_tasks(self, service: Any) -> bool:
        """Stop following `service`; False when it is not the one followed. Bounded: a
        cancelled channels-redis `receive` was seen to hang after the process had been
        paused past its lease, and this wait holds up the hand-over."""
        if service is not self.bridge_service:
            return False
        self.bridge_service = None
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=STOP_WAIT_S)
        self._tasks = []
        return True
