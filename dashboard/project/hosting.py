"""Runs asyncio services (the simulator, the bridge) inside daphne's event loop.

Daphne drives Twisted's asyncio reactor, so anything started on that loop shares
it with the HTTP and WebSocket handlers: one process, one in-memory channel layer,
which is what the embedded default needs. Services start once daphne is ready and
are stopped (awaited) before the reactor shuts down, so SIGTERM ends them cleanly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

log = logging.getLogger(__name__)


class Service(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class ServiceHost:
    """Starts services in order once the loop runs; stops them in reverse order."""

    def __init__(self, services: list[Service]) -> None:
        self.services = services
        self._started: list[Service] = []
        self.failed = asyncio.Event()

    async def start_all(self) -> None:
        for service in self.services:
            try:
                await service.start()
            except Exception:
                log.exception("could not start %s", service.name)
                self.failed.set()
                raise
            self._started.append(service)
            log.info("%s started", service.name)

    async def stop_all(self) -> None:
        for service in reversed(self._started):
            try:
                await asyncio.wait_for(service.stop(), timeout=10)
                log.info("%s stopped", service.name)
            except Exception:
                log.exception("could not stop %s cleanly", service.name)
        self._started.clear()

    def attach_to_reactor(self, on_failure: Callable[[], None]) -> None:
        """Schedule start now and stop at reactor shutdown (daphne's loop)."""
        from twisted.internet import defer, reactor

        loop = asyncio.get_event_loop()
        task = loop.create_task(self.start_all())
        task.add_done_callback(lambda t: on_failure() if not t.cancelled() and t.exception() else None)

        def _stop() -> Awaitable[None]:
            return defer.Deferred.fromFuture(loop.create_task(self.stop_all()))

        reactor.addSystemEventTrigger("before", "shutdown", _stop)
