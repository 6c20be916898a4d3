"""One watcher per process re-checks every open dashboard socket's access together.

Why one, not a task per socket: a per-socket check every 10 s was a database query
and a thread hop per socket; at 5,000 wallboards that was 500 queries a second on
the one database thread, and new sockets timed out waiting for their own check.
Now it is a handful of queries every RECHECK_SECONDS (dashboard/access/policy.py).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Protocol

from channels.db import database_sync_to_async

from dashboard.access.policy import Access, allowed_sockets
from dashboard.realtime.close_codes import ACCESS_ENDED

log = logging.getLogger(__name__)
RECHECK_SECONDS = 10.0  # sign-out, password changes, disabled users, revoked tokens end sockets this fast
REFUSED = ACCESS_ENDED  # dashboard/realtime/close_codes.py


class Watched(Protocol):
    access: Access
    session_key: str | None
    token: str | None

    async def close(self, code: int | None = None) -> None: ...


class AccessWatcher:
    def __init__(self) -> None:
        self.sockets: dict[Watched, None] = {}
        self.task: asyncio.Task | None = None

    def watch(self, socket: Watched) -> None:
        self.sockets[socket] = None
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run(), name="access watcher")

    def forget(self, socket: Watched) -> None:
        self.sockets.pop(socket, None)

    async def _run(self) -> None:
        while self.sockets:
            await asyncio.sleep(RECHECK_SECONDS)
            sockets = list(self.sockets)
            checks = [(s.access, s.session_key, s.token) for s in sockets]
            try:
                verdicts = await database_sync_to_async(allowed_sockets)(checks)
            except Exception:
                log.warning("could not re-check dashboard access; trying again", exc_info=True)
                continue
            for socket, allowed in zip(sockets, verdicts, strict=False):
                if not allowed and socket in self.sockets:
                    self.forget(socket)
                    await socket.close(code=REFUSED)


_watchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AccessWatcher] = weakref.WeakKeyDictionary()


def watcher() -> AccessWatcher:
    loop = asyncio.get_running_loop()
    found = _watchers.get(loop)
    if found is None:
        found = _watchers[loop] = AccessWatcher()
    return found
