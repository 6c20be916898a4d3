"""Compare with the past: the reference line a trend or KPI widget draws faintly.

For a widget set to compare with yesterday, last week or the average of the last four
same weekdays, this reads the stored 5-minute buckets of each reference day (local days
of the dashboard's zone) and moves every bucket onto today's time axis at the same
wall-clock time (local_time.shift_days, so a daylight-saving change between the two
days never shifts the line by an hour). A bucket contributes its `last` value at its end,
the value a screen showed then. The page gets the whole of today's reference line with its
config (kiosks cannot call /api/history); the browser draws the part beside its live
data and a KPI reads the point at now (static/js/compare.js).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from dashboard.history.local_time import DAYS_BACK, compare_label, day_start, shift_days
from dashboard.history.models import HistoryBucket

BASE_INTERVAL = 300
Point = tuple[float, float]  # (epoch s, value)


def overlay_points(days: dict[int, list[Point]], zone: tzinfo) -> list[list[float]]:
    """Reference points per days-back, moved to today's axis and averaged where several
    days meet: `[[epoch ms, value], ...]` sorted by time. Pure: the DST-tested part."""
    moved: dict[int, list[float]] = defaultdict(list)
    for back, points in days.items():
        for t, value in points:
            moved[round(shift_days(t, zone, back) * 1000)].append(value)
    return [[ms, sum(values) / len(values)] for ms, values in sorted(moved.items())]


def _reference_points(statistic_ids: Iterable[int], back: int, now: float, zone: tzinfo) -> dict[int, list[Point]]:
    """Each statistic's (bucket end, last) over the local day `back` days before `now`'s."""
    start, end = day_start(now, zone, back), day_start(now, zone, back - 1)
    rows = HistoryBucket.objects.filter(
        statistic_id__in=list(statistic_ids),
        interval=BASE_INTERVAL,
        start__gte=datetime.fromtimestamp(start, UTC),
        start__lt=datetime.fromtimestamp(end, UTC),
    ).values_list("statistic_id", "start", "last")
    found: dict[int, list[Point]] = defaultdict(list)
    for statistic_id, begin, last in rows:
        found[statistic_id].append((begin.timestamp() + BASE_INTERVAL, last))
    return found


def compare_series(statistic_ids: list[int], mode: str, now: float, zone: tzinfo) -> dict[int, list[list[float]]]:
    """Today's reference line per statistic id for a compare `mode` (local_time.DAYS_BACK)."""
    per_day = {back: _reference_points(statistic_ids, back, now, zone) for back in DAYS_BACK[mode]}
    return {
        sid: overlay_points({back: found.get(sid, []) for back, found in per_day.items()}, zone)
        for sid in statistic_ids
    }


def compare_entry(mode: str, statistics: dict[str, int], now: float, zone: tzinfo) -> dict:
    """The widget's `compare` in the page config: mode, the label a KPI shows ("last Mon")
    and the reference line per statistic key."""
    series = compare_series(list(statistics.values()), mode, now, zone)
    return {
        "mode": mode,
        "label": compare_label(mode, now, zone),
        "timeZone": getattr(zone, "key", "UTC"),  # compare.js names the weekday in the page language
        "series": {key: series[sid] for key, sid in statistics.items()},
    }
