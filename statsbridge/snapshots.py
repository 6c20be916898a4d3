"""Snapshot frames built once and shared by the sockets they are complete for.

Why: after a web process restarts, a thousand wallboards reconnect within seconds and
each asks for its dashboard's snapshot; building and encoding 600 statistics with their
history a thousand times kept the bridge busy for seconds (time to first snapshot p95
5 s at 1,000 sockets).

When is a snapshot built earlier complete for a socket? The bridge numbers the frames
it sends (`seq`, statsbridge/fanout.py). A socket joins its relay before asking, and
the request carries the relay's `seen` seq: every frame of the dashboard after it
reaches the relay (dashboard/realtime/relays.py). A snapshot built when the bridge had
sent up to `built_seq >= seen` holds every value of the frames up to `seen`, and the
relay delivers every later one: nothing is missed. Only this bridge's own counter is
compared, never the clocks of two hosts. A request without a `seen` gets a new build.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_AGE_S = 2.0  # a reused snapshot's history is at most this much older


@dataclass(frozen=True)
class _Built:
    built_at: float  # this process's monotonic clock
    seq: int
    status_key: tuple
    frames: list[str]


class SnapshotCache:
    def __init__(self) -> None:
        self._built: dict[str, _Built] = {}
        self.builds = 0
        self.reused = 0

    def frames(
        self, dashboard: str, seen_seq: object, current_seq: int, status_key: tuple, build: Callable[[], list[str]]
    ) -> tuple[list[str], int]:
        """The frames for a request whose relay has seen `seen_seq`, and the seq they
        were built at."""
        now = time.monotonic()
        cached = self._built.get(dashboard)
        if (
            cached is not None
            and isinstance(seen_seq, int)
            and not isinstance(seen_seq, bool)
            and seen_seq <= cached.seq
            and cached.status_key == status_key
            and now - cached.built_at <= MAX_AGE_S
        ):
            self.reused += 1
            return cached.frames, cached.seq
        frames = build()
        self._built[dashboard] = _Built(now, current_seq, status_key, frames)
        self.builds += 1
        return frames, current_seq
