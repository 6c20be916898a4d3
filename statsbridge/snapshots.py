"""Snapshot frames built once and shared by the sockets that asked before they were built.

Why: after a web process restarts, a thousand wallboards reconnect within seconds and
each asks for its dashboard's snapshot; building and encoding 600 statistics with their
history a thousand times kept the bridge busy for seconds (time to first snapshot p95
5 s at 1,000 sockets). A socket joins its relay *before* asking (dashboard/local_fanout.py),
so any snapshot built after its request, plus the updates the relay delivers, is
complete for it. Requests carry `asked_at` (wall-clock ms); the clocks of web and
bridge processes are assumed NTP-close, and `SAFETY_MS` absorbs small skews.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

SAFETY_MS = 100
MAX_AGE_MS = 2_000


@dataclass(frozen=True)
class _Built:
    built_at_ms: int
    status_key: tuple
    frames: list[str]


class SnapshotCache:
    def __init__(self) -> None:
        self._built: dict[str, _Built] = {}
        self.builds = 0
        self.reused = 0

    def frames(self, dashboard: str, asked_at_ms: object, status_key: tuple,
               build: Callable[[], list[str]]) -> list[str]:
        now = int(time.time() * 1000)
        cached = self._built.get(dashboard)
        if (cached is not None and isinstance(asked_at_ms, (int, float)) and not isinstance(asked_at_ms, bool)
                and cached.status_key == status_key and now - cached.built_at_ms <= MAX_AGE_MS
                and asked_at_ms <= cached.built_at_ms - SAFETY_MS):
            self.reused += 1
            return cached.frames
        frames = build()
        self._built[dashboard] = _Built(now, status_key, frames)
        self.builds += 1
        return frames
