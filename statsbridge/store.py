"""The latest value and a bounded history per statistic, for snapshots and trends.

Only the bridge writes; snapshots read. A history point is (timestamp ms, number);
values without a number (unknown shapes) update the latest value but not history.
History is kept only for the keys some widget draws over time (`keep_history_for`,
from the desired set): agent states and table cells would otherwise hold 360 points
each that no chart reads (docs/performance.md has the figures).
A statistic Genesys refused to open carries its message (`refused`) until a value
arrives for it (after a configuration change it is asked for again).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from statsbridge.config import HISTORY_POINTS
from statsbridge.points import Points
from statsbridge.values import Normalised

HISTORY_BUDGET_POINTS = 40_000  # about 0.8 MB of [ms, number] pairs per snapshot
MIN_HISTORY_POINTS = 12  # a sparkline still has a shape


@dataclass(slots=True)
class Latest:
    value: float | int | None
    raw: Any
    timestamp: int | None
    state: str | None
    history: Points | None = None  # None: no widget draws this statistic over time
    refused: str | None = None


class LatestValues:
    def __init__(self, history_points: int = HISTORY_POINTS) -> None:
        self.history_points = history_points
        self._latest: dict[str, Latest] = {}
        self.last_update_ms: int | None = None
        self._history_keys: set[str] | None = None  # None: every key (until told)
        self._seeds: dict[str, list] = {}  # stored points for keys with no value yet
        self._seeded: set[str] = set()  # keys whose stored points were asked for

    def keep_history_for(self, keys: set[str]) -> None:
        """Only these keys keep a history from now on; the others' is dropped."""
        self._history_keys = set(keys)
        for key, entry in self._latest.items():
            if key not in self._history_keys:
                entry.history = None
            elif entry.history is None:
                entry.history = Points(self.history_points)

    def _new_history(self, key: str) -> Points | None:
        wanted = self._history_keys is None or key in self._history_keys
        return Points(self.history_points, self._seeds.pop(key, ())) if wanted else None

    def unseeded(self, keys: set[str]) -> set[str]:
        """Those of `keys` whose stored history was not asked for yet (now it is)."""
        new = keys - self._seeded
        self._seeded |= new
        return new

    def seed(self, key: str, points: list) -> None:
        """Stored points from before this process (statsbridge/seeding.py): put before
        the live ones, older than all of them, within the history length."""
        entry = self._latest.get(key)
        if entry is None:
            self._seeds[key] = list(points[-self.history_points :])
            return
        if entry.history is None:
            return
        oldest = entry.history[0][0] if entry.history else None
        older = [(p[0], p[1]) for p in points if oldest is None or p[0] < oldest]
        entry.history = Points(self.history_points, [*older, *entry.history][-self.history_points :])

    def update(self, key: str, normalised: Normalised, raw: Any, timestamp: int | None) -> dict:
        """Record a value; returns its STAT for the browsers."""
        entry = self._latest.get(key)
        if entry is None:
            entry = Latest(normalised.value, raw, timestamp, normalised.state, self._new_history(key))
            # The key came in a parsed notification: keep the desired set's string
            # (interned, statsbridge/desired.py), not one more copy per statistic.
            self._latest[sys.intern(key)] = entry
        else:
            entry.value, entry.raw, entry.timestamp, entry.state, entry.refused = (
                normalised.value,
                raw,
                timestamp,
                normalised.state,
                None,
            )
        if entry.history is not None and normalised.value is not None and timestamp is not None:
            entry.history.append((timestamp, normalised.value))
        if timestamp is not None:
            self.last_update_ms = max(self.last_update_ms or 0, timestamp)
        return stat_of(key, entry)

    def refuse(self, key: str, message: str) -> dict:
        """Genesys refused to open `key`: its STAT says why, with no value."""
        entry = self._latest.get(key)
        if entry is None:
            entry = self._latest[key] = Latest(None, None, None, None, self._new_history(key))
        entry.value, entry.raw, entry.state, entry.refused = None, None, None, message
        return stat_of(key, entry)

    def is_newer(self, key: str, timestamp: int | None) -> bool:
        """False for a value older than the one we have (e.g. a subscription reply
        that lost the race against a CometD update)."""
        entry = self._latest.get(key)
        if entry is None or timestamp is None or entry.timestamp is None:
            return True
        return timestamp >= entry.timestamp

    def keys(self) -> list[str]:
        return list(self._latest)

    def snapshot(self, keys: list[str], history_budget: int = HISTORY_BUDGET_POINTS) -> list[dict]:
        """Latest values with their recent history. The history points of one snapshot
        are shared out within `history_budget` (each statistic keeps its newest), so a
        dashboard of 5,000 statistics gets a quick first paint, not 40 MB of trends."""
        entries = [(key, self._latest[key]) for key in keys if key in self._latest]
        drawn = sum(1 for _, entry in entries if entry.history is not None)
        per_key = max(MIN_HISTORY_POINTS, history_budget // max(1, drawn))
        stats = []
        for key, entry in entries:
            stat = stat_of(key, entry)
            if entry.history is not None:
                stat["history"] = entry.history.newest(per_key)  # (ms, number) pairs
            stats.append(stat)
        return stats

    def forget(self, keys: set[str]) -> None:
        for key in keys:
            self._latest.pop(key, None)
            self._seeds.pop(key, None)
        self._seeded -= keys

    def __len__(self) -> int:
        return len(self._latest)


def stat_of(key: str, entry: Latest) -> dict:
    stat = {"id": key, "value": entry.value, "raw": entry.raw, "timestamp": entry.timestamp}
    if entry.state is not None:
        stat["state"] = entry.state
    if entry.refused is not None:
        stat["refused"] = entry.refused
    return stat
