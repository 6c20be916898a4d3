"""Background tasks that are neither lost nor silent.

The event loop keeps only a weak reference to a task: one that nobody holds may be
collected half-way, and its exception surfaces (if ever) as a line at collection
time. A `TaskSet` holds each task until it ends, and logs and counts its failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine

log = logging.getLogger(__name__)


class TaskSet:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()
        self.failures = 0

    def spawn(self, coro: Coroutine, name: str) -> asyncio.Task:
        task = asyncio.get_event_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self.failures += 1
            log.error("background task %s failed: %s", task.get_name(), type(error).__name__, exc_info=error)

    async def drain(self, timeout: float) -> None:
        """Let running tasks finish (within `timeout`), then cancel the rest."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def __len__(self) -> int:
        return len(self._tasks)
