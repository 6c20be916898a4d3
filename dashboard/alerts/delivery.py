"""The send queue: one queue and one worker task per channel, retries with backoff.

Why per channel: a channel that times out or answers 500 retries on its own worker,
so it never delays the others. Nothing here runs on the request or the update path:
`submit` only appends to a queue. A send is tried up to `max_attempts` times with
jittered exponential backoff (statsbridge/backoff.py); the outcome of each try goes
to `record` (the service writes it to the channel's row: last error, last success).
A queue over MAX_QUEUED drops its oldest send, counted.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

import httpx

from dashboard.alerts.senders import SENDERS, ChannelSpec, DeliveryError
from statsbridge.backoff import Backoff

log = logging.getLogger(__name__)
MAX_QUEUED = 500
Record = Callable[[int, str | None], Awaitable[None]]


class _ChannelWorker:
    def __init__(self, owner: DeliveryQueue, channel: ChannelSpec) -> None:
        self.owner = owner
        self.channel = channel
        self.queue: deque[dict] = deque()
        self.wake = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run(), name=f"alert-channel-{channel.id}")

    def put(self, payload: dict) -> None:
        if len(self.queue) >= MAX_QUEUED:
            self.queue.popleft()
            self.owner.dropped += 1
        self.queue.append(payload)
        self.wake.set()

    async def _run(self) -> None:
        while True:
            while not self.queue:
                self.wake.clear()
                await self.wake.wait()
            await self._deliver(self.queue.popleft())

    async def _deliver(self, payload: dict) -> None:
        backoff = Backoff(base=self.owner.base_s, cap=self.owner.cap_s)
        for attempt in range(1, self.owner.max_attempts + 1):
            try:
                await SENDERS[self.channel.kind](self.owner.http, self.channel, payload)
            except DeliveryError as error:
                await self._record(f"{error} (try {attempt} of {self.owner.max_attempts})")
                self.owner.retries += 1
                if attempt < self.owner.max_attempts:
                    await asyncio.sleep(backoff.next_delay())
                continue
            except Exception:  # a bug in a sender must not kill the worker
                log.exception("alert send to channel %s crashed", self.channel.name)
                await self._record("internal error")
                break
            self.owner.sent += 1
            await self._record(None)
            return
        self.owner.failed += 1
        log.warning("alert %s to channel %s given up", payload.get("event"), self.channel.name)

    async def _record(self, error: str | None) -> None:
        try:
            await self.owner.record(self.channel.id, error)
        except Exception:
            log.exception("could not record the outcome of a send to %s", self.channel.name)


async def _ignore(channel_id: int, error: str | None) -> None:
    return None


class DeliveryQueue:
    def __init__(
        self, record: Record | None = None, *, max_attempts: int = 8, base_s: float = 1.0, cap_s: float = 120.0
    ) -> None:
        self.record = record or _ignore
        self.max_attempts = max_attempts
        self.base_s = base_s
        self.cap_s = cap_s
        self.http = httpx.AsyncClient()
        self.workers: dict[int, _ChannelWorker] = {}
        self.sent = self.failed = self.retries = self.dropped = 0

    def submit(self, channel: ChannelSpec, payload: dict) -> None:
        worker = self.workers.get(channel.id)
        if worker is None or worker.channel != channel:
            if worker is not None:
                worker.channel = channel  # edited (URL, secret): later sends use the new one
            else:
                worker = self.workers[channel.id] = _ChannelWorker(self, channel)
        worker.put(payload)

    def pending(self) -> int:
        return sum(len(w.queue) for w in self.workers.values())

    async def close(self) -> None:
        for worker in self.workers.values():
            worker.task.cancel()
        await asyncio.gather(*(w.task for w in self.workers.values()), return_exceptions=True)
        self.workers.clear()
        await self.http.aclose()
