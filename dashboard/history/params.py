"""The query of /api/history and of a ranged CSV export: `from`, `to` (epoch ms) and
`interval` (s), checked with messages a caller can act on (a 400 says which and why).

Defaults: `to` now, `from` 24 hours before `to`, `interval` 300. A range must hold at
most `max_buckets` buckets of its interval, so a response stays bounded (the caller asks
for a coarser interval or a shorter range).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.http import QueryDict

from dashboard.history.buckets import INTERVALS

DAY_MS = 86_400_000
MAX_BUCKETS = 20_000  # 35 days at 5 minutes fit; 400 days want 30 minutes in two asks


class BadQuery(ValueError):
    pass


@dataclass(frozen=True)
class Range:
    start_ms: int
    end_ms: int
    interval: int

    @property
    def buckets(self) -> int:
        return -(-(self.end_ms - self.start_ms) // (self.interval * 1000))


def _integer(query: QueryDict, name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        unit = "seconds" if name == "interval" else "epoch milliseconds"
        raise BadQuery(f"`{name}` must be a whole number ({unit})") from None


def parse_range(query: QueryDict, max_buckets: int = MAX_BUCKETS) -> Range:
    now_ms = int(time.time() * 1000)
    end = _integer(query, "to", now_ms)
    start = _integer(query, "from", end - DAY_MS)
    interval = _integer(query, "interval", INTERVALS[0])
    if interval not in INTERVALS:
        raise BadQuery(f"`interval` must be one of {', '.join(map(str, INTERVALS))} seconds")
    if start < 0 or end < 0:
        raise BadQuery("`from` and `to` must not be negative")
    if start >= end:
        raise BadQuery("`from` must be before `to`")
    found = Range(start, end, interval)
    if found.buckets > max_buckets:
        raise BadQuery(
            f"the range holds {found.buckets} buckets of {interval} s, more than {max_buckets}: "
            "ask for a shorter range or a longer interval"
        )
    return found
