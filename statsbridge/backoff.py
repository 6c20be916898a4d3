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
        ceiling = min(self.cap, self.base * (2 ** self.attempts))
        self.attempts += 1
        return self._rng.uniform(min(ceiling, self.base / 2), ceiling)

    def reset(self) -> None:
        self.attempts = 0

    async def sleep(self, stop: asyncio.Event | None = None) -> float:
        """Wait the next delay (or until `stop` is set); returns the delay chosen."""
        delay = self.next_delay()
        if stop is None:
            await asyncio.sleep(delay)
        else:
            try:
                await asyncio.wait_for(stop.wait(), timeout=delay)
            except asyncio.TimeoutError:
                pass
        return delay
