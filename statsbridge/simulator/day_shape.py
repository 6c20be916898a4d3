"""The simulated contact center's week: how busy each hour of each weekday is.

One function, `daily_curve(t)`, gives the arrival rate at epoch time `t` as a share of the
peak. The live model thins its Poisson arrivals with it (model.py) and the history
backfill (history_backfill.py) draws plausible past buckets from it, so last week's
buckets and today's live values follow the same shape.

Two humps (late morning, mid afternoon) over a night floor; the humps are scaled per
weekday: Monday is the busiest day (the weekend's backlog), the week tails off towards
Friday, the weekend is quiet. The floor is not scaled, so nights stay alike every day.
UTC rather than local time keeps a run identical on every machine.

`curve_of(spec)` picks the live model's curve: "week" (the above, the default) or "flat" /
"flat:<share>" (a constant share of the peak, every hour of every day), so a test run, a
demo or a bench behaves alike at 03:00 on a Sunday and at 10:30 on a Monday. Hosts take
the spec from the `SIMULATOR_DAY_SHAPE` environment variable (README, configuration).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

NIGHT_FLOOR = 0.3  # share of the peak arrival rate at the quietest hour
# Monday .. Sunday (datetime.weekday()): the daytime humps' height, Monday = the peak.
WEEKDAY_PEAK = (1.0, 0.93, 0.9, 0.88, 0.82, 0.45, 0.35)
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday
DAY_SHAPE_ENV = "SIMULATOR_DAY_SHAPE"  # read by Simulator when no day_shape is given
WEEK, FLAT = "week", "flat"


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


def curve_of(spec: str) -> Callable[[float], float]:
    """The arrival curve named by `spec`: "week" (`daily_curve`), "flat" (the peak, 1.0)
    or "flat:<share>" with 0 <= share <= 1 (e.g. "flat:0" for a center with no callers).
    Raises ValueError for anything else, so a mistyped setting stops the host at start."""
    kind, colon, share = spec.strip().lower().partition(":")
    if kind == WEEK and not colon:
        return daily_curve
    if kind != FLAT:
        raise ValueError(f"day shape must be 'week', 'flat' or 'flat:<share 0..1>', got {spec!r}")
    try:
        level = float(share) if colon else 1.0
    except ValueError:
        level = math.nan
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"a flat day shape's share must be a number from 0 to 1, got {spec!r}")
    return lambda _t: level
