"""Writing a stretch of past buckets at once (the demo's and the tests' history).

The values come from a `source` handed in (for the embedded default, the simulator's
plausible past through dashboard/project/embedded_hosting.py): this module never imports
the simulator, so it would serve any other source of past buckets (an import) as well.
Rows that exist already are kept (`ON CONFLICT DO NOTHING` on the unique statistic/
interval/start), so a live bucket the bridge wrote is never overwritten and a second run adds
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo

from django.db import connection, transaction

from dashboard.boards.models import Statistic, WidgetStatistic
from dashboard.boards.time_zones import zone_of
from dashboard.history.local_time import day_start
from dashboard.history.models import HistoryBucket

BASE_INTERVAL = 300
CHUNK = 5000
COLUMNS = ("statistic_id", "interval", "start", "min", "max", "last", "count")
# Widgets whose statistics are read from buckets: trends and KPIs (and their comparisons)
# and intraday tables. Agent states and tables of current values need no past.
HISTORY_KINDS = ("line", "kpi", "intraday")

Source = Callable[[list[dict], float, float, tzinfo], dict[str, list[tuple]]]


def statistics_by_zone(
    slugs: Iterable[str] = (), compared_only: bool = False, kinds: Iterable[str] = HISTORY_KINDS
) -> dict[str, list[Statistic]]:
    """The statistics of history-drawing widgets (with `compared_only`, of those with a
    comparison), grouped by their dashboard's time zone (counters restart at the zone's
    midnight), each once."""
    rows = WidgetStatistic.objects.filter(widget__kind__in=list(kinds)).select_related("statistic", "widget__dashboard")
    if compared_only:
        rows = rows.exclude(widget__compare="")
    slugs = list(slugs)
    if slugs:
        rows = rows.filter(widget__dashboard__slug__in=slugs)
    grouped: dict[str, dict[int, Statistic]] = {}
    for row in rows.order_by("widget__dashboard__slug", "statistic_id"):
        grouped.setdefault(row.widget.dashboard.time_zone, {})[row.statistic_id] = row.statistic
    return {zone: list(stats.values()) for zone, stats in grouped.items()}


def _descriptor(stat: Statistic) -> dict:
    return {"key": stat.key, "objectType": stat.object_type, "objectId": stat.object_id, "name": stat.name}


def _rows_by_key(keys: set[str]) -> dict[str, list[Statistic]]:
    """Every Statistic row of these keys (the same statistic may sit on several rows)."""
    by_key: dict[str, list[Statistic]] = {}
    for stat in Statistic.objects.order_by("id"):
        if stat.key in keys:
            by_key.setdefault(stat.key, []).append(stat)
    return by_key


def backfill(statistics: list[Statistic], start: float, end: float, zone: tzinfo, source: Source) -> int:
    """Write `source`'s 5-minute buckets over [start, end) for `statistics`; the number of
    rows offered to the database (existing ones are kept, not counted apart). Rows of one
    statistic (one key) all get its buckets, as the bridge's writer does."""
    by_key = _rows_by_key({stat.key for stat in statistics})
    series = source([_descriptor(same[0]) for same in by_key.values()], start, end, zone)
    rows = [
        (stat.pk, BASE_INTERVAL, datetime.fromtimestamp(begin, UTC), low, high, last, count)
        for key, points in series.items()
        for stat in by_key[key]
        for begin, low, high, last, count in points
    ]
    _insert_missing(rows)
    return len(rows)


def _insert_missing(rows: list[tuple]) -> None:
    """One `INSERT ... ON CONFLICT DO NOTHING` per row, sent with `executemany` in one
    transaction (SQLite 3.24+ and PostgreSQL alike): the ORM's bulk_create spent ten times
    longer building model instances than the database spent writing them."""
    q = connection.ops.quote_name
    table = q(HistoryBucket._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
        f"ON CONFLICT ({q('statistic_id')}, {q('interval')}, {q('start')}) DO NOTHING"
    )
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(rows), CHUNK):
            cursor.executemany(sql, [(sid, n, adapt(at), *rest) for sid, n, at, *rest in rows[i : i + CHUNK]])


def backfill_dashboards(
    days: int,
    now: float,
    source: Source,
    slugs: Iterable[str] = (),
    compared_only: bool = False,
    kinds: Iterable[str] = HISTORY_KINDS,
) -> int:
    """`days` whole days before today and today up to `now` (in each dashboard's zone), for
    every history-drawing statistic of these dashboards (all when none named)."""
    written = 0
    for name, statistics in statistics_by_zone(slugs, compared_only, kinds).items():
        zone = zone_of(name)
        written += backfill(statistics, day_start(now, zone, days), now, zone, source)
    return written
