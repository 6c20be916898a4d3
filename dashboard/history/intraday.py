"""The intraday table: per queue, one row per 15- or 30-minute interval since the day
began in the dashboard's zone, with offered, answered, abandoned, service level and
average handle time, as far as the widget carries those statistics.

Rows come from the stored 5-minute buckets, grouped into intervals counted from local
midnight (so a +05:45 zone still gets rows at its own :00 and :30). Counters (offered,
answered, abandoned) are Stat Server growing windows: an interval's count is its last
value minus the one before it; a value below the one before means the window restarted
(a daily reset), and then the interval counts from zero. Service level and handle time
are the statistic's value at the interval's end. The page then keeps the newest row
live from the socket (static/js/intraday.js), starting from `baseline`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, tzinfo

from dashboard.boards.models import Statistic
from dashboard.history.local_time import day_start
from dashboard.history.models import HistoryBucket

BASE_INTERVAL = 300
# Column order, with the pre-configured names that fill each column.
ROLES = {
    "offered": "TotalNumberInboundCalls",
    "answered": "TotalNumberCallsAnswered",
    "abandoned": "TotalNumberAbandonedCalls",
    "serviceLevel": "ServiceFactor",
    "aht": "AverageHandlingTime",
}
COUNTERS = ("offered", "answered", "abandoned")
# Ad-hoc definitions that count the same things (category TotalNumber, by main mask).
_MASKS = {"CallInbound": "offered", "CallAnswered": "answered", "CallAbandoned": "abandoned"}
_BY_NAME = {name: role for role, name in ROLES.items()}

Summary = tuple[float, float]  # (min, last) of one statistic in one interval


def role_of(stat: Statistic) -> str | None:
    if stat.name:
        return _BY_NAME.get(stat.name)
    definition = stat.definition or {}
    if definition.get("category") == "TotalNumber":
        return _MASKS.get(str(definition.get("mainMask", "")))
    if definition.get("category") == "ServiceFactor":
        return "serviceLevel"
    return None


def counted(previous: float | None, low: float, last: float) -> float:
    """An interval's count from a growing-window counter (see the module docstring)."""
    if previous is None:
        return last - low
    return last - previous if last >= previous else last


def _summaries(ids: list[int], since: float, now: float, day0: float, step: int) -> dict[int, dict[int, Summary]]:
    """statistic id -> interval index -> (min, last); index -1 is the bucket just before the day."""
    rows = (
        HistoryBucket.objects.filter(
            statistic_id__in=ids,
            interval=BASE_INTERVAL,
            start__gte=datetime.fromtimestamp(since, UTC),
            start__lt=datetime.fromtimestamp(now, UTC),
        )
        .order_by("start")
        .values_list("statistic_id", "start", "min", "last")
    )
    out: dict[int, dict[int, Summary]] = defaultdict(dict)
    for sid, start, low, last in rows:
        index = int((start.timestamp() - day0) // step)
        index = max(index, -1)
        known = out[sid].get(index)
        out[sid][index] = (min(low, known[0]) if known else low, last)
    return out


def _column(role: str, per_index: dict[int, Summary], count: int) -> tuple[list[float | None], float | None]:
    """One statistic's values for intervals 0..count-1, and its last value before the newest."""
    values: list[float | None] = []
    previous = per_index[-1][1] if -1 in per_index else None
    baseline = previous
    for index in range(count):
        baseline = previous
        summary = per_index.get(index)
        if summary is None:
            values.append(None)
            continue
        low, last = summary
        values.append(counted(previous, low, last) if role in COUNTERS else last)
        previous = last
    return values, baseline


def intraday_entry(statistics: list[Statistic], minutes: int, now: float, zone: tzinfo) -> dict:
    """The widget's `intraday` in the page config (shape in static/js/intraday.js)."""
    step, day0 = minutes * 60, day_start(now, zone)
    count = int((now - day0) // step) + 1
    roles = {stat.pk: role for stat in statistics if (role := role_of(stat))}
    summaries = _summaries(list(roles), day0 - BASE_INTERVAL, now, day0, step)
    queues: dict[str, dict] = {}
    for stat in statistics:
        role = roles.get(stat.pk)
        if role is None:
            continue
        queue = queues.setdefault(
            stat.object_id,
            {
                "objectId": stat.object_id,
                "label": stat.label or stat.object_id,
                "stats": {},
                "values": {},
                "baseline": {},
            },
        )
        if role in queue["stats"]:
            continue
        queue["stats"][role] = stat.key
        queue["values"][role], queue["baseline"][role] = _column(role, summaries.get(stat.pk, {}), count)
    columns = [role for role in ROLES if any(role in q["stats"] for q in queues.values())]
    starts = [round((day0 + i * step) * 1000) for i in range(count)]
    return {"interval": step, "columns": columns, "starts": starts, "queues": list(queues.values())}
