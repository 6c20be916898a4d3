"""The simulated contact center's week: how busy each hour of each weekday is.

One function, `daily_curve(t)`, gives the arrival rate at epoch time `t` as a share of the
peak. The live model thins its Poisson arrivals with it (model.py) and the history
backfill (history_backfill.py) draws plausible past buckets from it, so last week's
buckets and today's live values follow the same shape.

Two humps (late morning, mid afternoon) over a night floor; the humps are scaled per
weekday: Monday is the busiest day (the weekend's backlog), the week tails off towards
Friday, the weekend is quiet. The floor is not scaled, so nights stay alike every day.
UTC rather than local time keeps a run identical on every machine.
"""

from __future__ import annotations

import math
from functools import lru_cache

NIGHT_FLOOR = 0.3  # share of the peak arrival rate at the quietest hour
# Monday .. Sunday (datetime.weekday()): the daytime humps' height, Monday = the peak.
WEEKDAY_PEAK = (1.0, 0.93, 0.9, 0.88, 0.82, 0.45, 0.35)
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday


def weekday_of(t: float) -> int:
    """Monday 0 .. Sunday 6 of epoch time `t` in UTC (no datetime: this is on the hot path)."""
    return (int(t // 86400.0) + _EPOCH_WEEKDAY) % 7


def daily_curve(t: float) -> float:
    """Arrival rate at epoch time `t` as a share of the peak (Monday late morning = 1)."""
    hour = (t % 86400.0) / 3600.0
    shape = math.exp(-(((hour - 10.5) / 2.2) ** 2)) + 0.85 * math.exp(-(((hour - 15.0) / 2.5) ** 2))
    return NIGHT_FLOOR + (1.0 - NIGHT_FLOOR) * min(1.0, shape) * WEEKDAY_PEAK[weekday_of(t)]


@lru_cache(maxsize=65536)
def mean_curve(start: float, seconds: float, steps: int = 5) -> float:
    """The curve's mean over [start, start + seconds): a bucket's expected load (cached:
    a backfill asks it for the same buckets once per statistic)."""
    return sum(daily_curve(start + seconds * (i + 0.5) / steps) for i in range(steps)) / steps
