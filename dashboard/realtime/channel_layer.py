"""The in-memory channel layer of the embedded default, without its quadratic sweep.

Channels' InMemoryChannelLayer runs `_clean_expired` (a walk over every channel and
every group member) on each `receive`. Every socket's consumer receives on its own
channel, so connecting N sockets cost O(N²): 5,000 wallboards took two minutes to
connect, and at 1,000 sockets the sweep was 40% of the process (docs/performance.md).
Messages expire after 60 s and group members after minutes: sweeping every 10 s
changes nothing a user can see (a walk over 5,000 channels still costs ~0.1 s).
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer

SWEEP_EVERY_S = 10.0


class SweepingInMemoryChannelLayer(InMemoryChannelLayer):
    _last_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep >= SWEEP_EVERY_S:
            self._last_sweep = now
            super()._clean_expired()
