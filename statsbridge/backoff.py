"""Jittered exponential backoff ("full jitter"), capped.

Many wallboard servers reconnecting to one upstream after an outage must not march
in step: each delay is drawn uniformly from [base/2, min(cap, base * 2**n)].
"""

from __future__ import annotations

import asyncio
import random


class Backoff:
    def __init__(self, *, base: float = 0.5, cap: float = 60.0, rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self.attempts = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * (2**self.attempts))
        self.attempts += 1
        return self._rng.uniform(min(ceiling, self.base / 2), ceiling)

    def reset(self) -> None:
        self.attempts = 0

    async def sleep(self, stop: asyncio.Event | None = None, also: asyncio.Future | None = None) -> float:
        """Wait the next delay, or until `stop` is set or `also` completes; returns the delay."""
        delay = self.next_delay()
        waits = [asyncio.ensure_future(stop.wait())] if stop is not None else []
        if also is not None:
            waits.append(also)
        if not waits:
            await asyncio.sleep(delay)
            return delay
        done, _ = await asyncio.wait(waits, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        for future in waits:
            if future is not also and not future.done():
                future.cancel()
        return delay
