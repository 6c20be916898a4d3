"""A dashboard as CSV: its statistics' current values, or their buckets over a range.

Current (no `from`/`to`): label, object, value, unit, upstream timestamp, freshness
(../shared/interfaces.md "Data out"). Freshness: `fresh`; `stale` (the link is not
connected, or a periodical statistic sent nothing for 3 of its periods, as the tiles
say); `refused` (Genesys refused to open it); `no value`; `unavailable` (no bridge
answered). With a range: one row per statistic and bucket (label, object, unit,
bucket start, interval, min, max, last, count).

CSV injection: a text cell starting with = + - @ (or a tab or carriage return) would be
a formula to a spreadsheet; it is written with a leading apostrophe, which the
spreadsheet shows as text. Numbers are ours (Python's formatting), never formulas.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from dashboard.boards.models import Dashboard, Statistic
from dashboard.history import reads
from dashboard.history.current import Current
from dashboard.history.params import Range

CURRENT_HEADER = ["label", "object", "value", "unit", "upstream timestamp", "freshness"]
RANGE_HEADER = ["label", "object", "unit", "bucket start", "interval", "min", "max", "last", "count"]
MAX_ROWS = 200_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TooManyRows(ValueError):
    pass


def safe(text: object) -> str:
    cell = "" if text is None else str(text)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def statistics_of(dashboard: Dashboard) -> list[Statistic]:
    """The dashboard's statistics, in widget order, each once."""
    seen: dict[int, Statistic] = {}
    for statistic in Statistic.objects.filter(widgetstatistic__widget__dashboard=dashboard).order_by(
        "widgetstatistic__widget__position", "widgetstatistic__widget__id", "widgetstatistic__position"
    ):
        seen.setdefault(statistic.id, statistic)
    return list(seen.values())


def _label(statistic: Statistic) -> str:
    return statistic.label or statistic.name or "ad-hoc statistic"


def _object(statistic: Statistic) -> str:
    return f"{statistic.object_type} {statistic.object_id}"


def _iso(ms: object) -> str:
    if not isinstance(ms, (int, float)) or isinstance(ms, bool):
        return ""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def freshness(statistic: Statistic, stat: dict | None, current: Current, now_ms: float) -> str:
    if not current.answered:
        return "unavailable"
    if stat is None:
        return "no value"
    if stat.get("refused"):
        return "refused"
    if stat.get("timestamp") is None:
        return "no value"
    period = statistic.expected_period()
    if current.bridge_state != "connected" or (period and now_ms - stat["timestamp"] > 3 * period * 1000):
        return "stale"
    return "fresh"


def _number(value: object) -> str:
    return repr(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else ""


def current_rows(statistics: list[Statistic], current: Current) -> Iterable[list[str]]:
    now_ms = time.time() * 1000
    for statistic in statistics:
        stat = current.stats.get(statistic.key)
        value = stat.get("value") if stat else None
        shown = _number(value) if value is not None or not stat else ""
        if stat and value is None and stat.get("state"):
            shown = safe(stat["state"])  # an agent's named state
        timestamp = _iso(stat.get("timestamp")) if stat else ""
        fresh = freshness(statistic, stat, current, now_ms)
        yield [safe(_label(statistic)), safe(_object(statistic)), shown, statistic.unit, timestamp, fresh]


def range_rows(statistics: list[Statistic], span: Range) -> Iterable[list[str]]:
    if len(statistics) * span.buckets > MAX_ROWS:
        raise TooManyRows(
            f"{len(statistics)} statistics x {span.buckets} buckets is more than {MAX_ROWS} rows: "
            "ask for a shorter range or a longer interval"
        )
    for statistic in statistics:
        for bucket in reads.buckets(statistic.id, span.start_ms // 1000, -(-span.end_ms // 1000), span.interval):
            yield [
                safe(_label(statistic)),
                safe(_object(statistic)),
                statistic.unit,
                _iso(bucket.start * 1000),
                str(bucket.interval),
                _number(bucket.min),
                _number(bucket.max),
                _number(bucket.last),
                str(bucket.count),
            ]


def render(header: list[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
