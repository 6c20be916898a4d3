"""Bucket arithmetic, pure (no Django): align a time to its bucket, merge a point into a
bucket, derive 15- and 30-minute buckets from 5-minute ones.

Times are epoch seconds (float) or epoch milliseconds where named `_ms`; bucket starts are
aligned in UTC epoch, so a 30-minute bucket starts at :00 or :30 UTC (and at :00/:30 local
time in every zone whose offset is a multiple of 30 minutes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BASE_INTERVAL = 300
INTERVALS = (300, 900, 1800)


@dataclass(slots=True)
class Bucket:
    """One interval's summary. `last` is the value of the latest point by time (`last_at`),
    so merging out of order still keeps the newest value."""

    start: int  # epoch seconds, aligned to interval
    interval: int
    min: float
    max: float
    last: float
    count: int
    last_at: float = 0.0  # epoch seconds of the point that gave `last`

    def as_point(self) -> list[float | int]:
        """The wire shape of /api/history: [start ms, min, max, last, count]."""
        return [self.start * 1000, self.min, self.max, self.last, self.count]


def align(t: float, interval: int = BASE_INTERVAL) -> int:
    """Start (epoch seconds) of the `interval` bucket holding time `t` (epoch seconds)."""
    if interval <= 0:
        raise ValueError("interval must be positive")
    return int(t // interval) * interval


def new_bucket(t: float, value: float, interval: int = BASE_INTERVAL) -> Bucket:
    return Bucket(align(t, interval), interval, value, value, value, 1, t)


def add_point(bucket: Bucket | None, t: float, value: float, interval: int = BASE_INTERVAL) -> Bucket:
    """Merge one point into `bucket` (or start one). The point must fall in the bucket."""
    if bucket is None:
        return new_bucket(t, value, interval)
    if align(t, bucket.interval) != bucket.start:
        raise ValueError(f"point at {t} is outside bucket {bucket.start}+{bucket.interval}")
    bucket.min = min(bucket.min, value)
    bucket.max = max(bucket.max, value)
    if t >= bucket.last_at:
        bucket.last, bucket.last_at = value, t
    bucket.count += 1
    return bucket


def merge(a: Bucket, b: Bucket) -> Bucket:
    """Combine two summaries of the same bucket (e.g. the stored row and new points)."""
    if (a.start, a.interval) != (b.start, b.interval):
        raise ValueError("buckets differ in start or interval")
    newer = b if b.last_at >= a.last_at else a
    return Bucket(
        a.start, a.interval, min(a.min, b.min), max(a.max, b.max), newer.last, a.count + b.count, newer.last_at
    )


def derive(buckets: Iterable[Bucket], interval: int) -> list[Bucket]:
    """Roll finer buckets up into `interval` ones (a multiple of theirs), sorted by start.

    The coarse bucket's `last` is the last of its latest fine bucket, which is why the
    fine buckets carry `last_at` (when absent, their start orders them)."""
    out: dict[int, Bucket] = {}
    for b in sorted(buckets, key=lambda b: (b.start, b.last_at)):
        if interval % b.interval:
            raise ValueError(f"{interval}s is not a multiple of {b.interval}s")
        start = align(b.start, interval)
        last_at = b.last_at or float(b.start)
        rolled = Bucket(start, interval, b.min, b.max, b.last, b.count, last_at)
        out[start] = merge(out[start], rolled) if start in out else rolled
    return [out[k] for k in sorted(out)]
