"""A statistic's recent history: at most `maxlen` (ms, number) points, oldest dropped.

Why not a deque of tuples: each point there costs about 120 bytes (a tuple and two
number objects), so 20,000 statistics drawn over time at 360 points held ~900 MB in the
bridge (docs/performance.md, "History"). Two typed arrays used as a ring cost 16 bytes a
point. Numbers come back as they went in for whole values (8, not 8.0), so snapshots
encode as before.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator


class Points:
    __slots__ = ("maxlen", "_ms", "_values", "_head")

    def __init__(self, maxlen: int, points: Iterable[tuple[int, float]] = ()) -> None:
        self.maxlen = maxlen
        self._ms = array("q")
        self._values = array("d")
        self._head = 0  # index of the oldest point once the ring is full
        for point in points:
            self.append(point)

    def append(self, point: tuple[int, float]) -> None:
        ms, value = point
        if len(self._ms) < self.maxlen:
            self._ms.append(int(ms))
            self._values.append(float(value))
            return
        if not self.maxlen:
            return
        self._ms[self._head], self._values[self._head] = int(ms), float(value)
        self._head = (self._head + 1) % self.maxlen

    def __len__(self) -> int:
        return len(self._ms)

    def _point(self, index: int) -> tuple[int, float]:
        i = (self._head + index) % len(self._ms)
        value = self._values[i]
        return self._ms[i], int(value) if value.is_integer() and abs(value) < 2**53 else value

    def __getitem__(self, index: int) -> tuple[int, float]:
        if not -len(self) <= index < len(self):
            raise IndexError("no such point")
        return self._point(index % len(self))

    def __iter__(self) -> Iterator[tuple[int, float]]:
        return (self._point(i) for i in range(len(self)))

    def newest(self, count: int) -> list[tuple[int, float]]:
        """The newest `count` points, oldest first."""
        n = len(self)
        return [self._point(i) for i in range(max(0, n - count), n)]
