"""Wall-clock arithmetic in a dashboard's time zone (pure: zoneinfo, no Django).

"The same time last week" is the same wall-clock time on the date seven days back, in the
dashboard's zone: across a daylight-saving change that is 7 x 24 h plus or minus an hour,
so it is never computed as `t - 7 * 86400`. Times are epoch seconds (float).

A wall time that does not exist on the other date (inside a spring-forward gap) resolves
as zoneinfo does for fold 0, i.e. with the offset before the change; one that exists twice
(autumn) keeps the fold of the time it came from.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

# Compare modes (Widget.Compare) -> how many days back each reference day lies.
DAYS_BACK = {"yesterday": (1,), "last-week": (7,), "four-weeks": (7, 14, 21, 28)}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def shift_days(t: float, zone: tzinfo, days: int) -> float:
    """The same wall-clock time `days` days later (negative: earlier) in `zone`."""
    local = datetime.fromtimestamp(t, zone)
    moved = local.replace(tzinfo=None) + timedelta(days=days)
    return moved.replace(tzinfo=zone, fold=local.fold).timestamp()


def day_start(t: float, zone: tzinfo, days_back: int = 0) -> float:
    """Epoch time of local midnight of `t`'s day in `zone`, `days_back` days earlier."""
    local = datetime.fromtimestamp(t, zone).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    return (local - timedelta(days=days_back)).replace(tzinfo=zone).timestamp()


def next_day_start(t: float, zone: tzinfo) -> float:
    """Epoch time of the next local midnight after `t` (23, 24 or 25 hours on)."""
    return day_start(t, zone, -1)


def compare_label(mode: str, t: float, zone: tzinfo) -> str:
    """How a KPI names its comparison: "yesterday", "last Mon", "avg of 4 Mon"."""
    weekday = WEEKDAYS[datetime.fromtimestamp(t, zone).weekday()]
    return {"yesterday": "yesterday", "last-week": f"last {weekday}", "four-weeks": f"avg of 4 {weekday}"}[mode]
