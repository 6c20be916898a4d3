"""The database side of history (sync; called in worker threads): batched upserts of
bucket deltas, reads, the 30-minute roll-up and retention pruning.

Why raw SQL for the upsert: a delta must merge into the stored row (min of mins, max of
maxes, counts added), which `bulk_create(update_conflicts=True)` cannot say. One
multi-row `INSERT ... ON CONFLICT DO UPDATE` per 500 rows, in one transaction per flush,
works on SQLite (3.24+; IMMEDIATE transactions, WAL) and PostgreSQL alike; only the
two-argument minimum differs (SQLite `MIN(a, b)`, PostgreSQL `LEAST(a, b)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.db import connection, transaction

from dashboard.history.buckets import Bucket
from dashboard.history.models import HistoryBucket

CHUNK = 500
COLUMNS = ("statistic_id", "interval", "start", "min", "max", "last", "count")


def to_datetime(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, tz=UTC)


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def statistic_ids_by_key() -> dict[str, list[int]]:
    """The bridge's key (a hash of the descriptor) -> the Statistic rows it feeds: the
    same statistic on two rows gets the buckets on both, so each row's history is whole."""
    from dashboard.boards.models import Statistic

    ids: dict[str, list[int]] = {}
    fields = ("id", "name", "definition", "object_type", "object_id", "connection__name")
    for statistic in Statistic.objects.select_related("connection").only(*fields):  # one query, not one per row
        ids.setdefault(statistic.key, []).append(statistic.id)
    return ids


def _upsert_sql(rows: int, merge: bool) -> str:
    q = connection.ops.quote_name
    table = q(HistoryBucket._meta.db_table)
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    values = ", ".join(["(" + ", ".join(["%s"] * len(COLUMNS)) + ")"] * rows)
    if merge:
        updates = (
            f"{q('min')} = {least}({table}.{q('min')}, excluded.{q('min')}), "
            f"{q('max')} = {greatest}({table}.{q('max')}, excluded.{q('max')}), "
            f"{q('last')} = excluded.{q('last')}, "
            f"{q('count')} = {table}.{q('count')} + excluded.{q('count')}"
        )
    else:
        updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in ("min", "max", "last", "count"))
    return (
        f"INSERT INTO {table} ({', '.join(q(c) for c in COLUMNS)}) VALUES {values} "
        f"ON CONFLICT ({q('statistic_id')}, {q('interval')}, {q('start')}) DO UPDATE SET {updates}"
    )


def _params(chunk: list[tuple[int, Bucket]], starts: dict[int, object]) -> list:
    """The chunk's parameters, flat; a bucket start is adapted once per flush, not per row
    (a flush touches one or two starts for thousands of rows)."""
    params: list = []
    for statistic_id, b in chunk:
        start = starts.get(b.start)
        if start is None:
            start = starts[b.start] = connection.ops.adapt_datetimefield_value(to_datetime(b.start))
        params += (statistic_id, b.interval, start, b.min, b.max, b.last, b.count)
    return params


def _unnest_sql(merge: bool) -> str:
    """PostgreSQL: all rows in one statement as seven arrays (`unnest`), which psycopg
    adapts much faster than thousands of single parameters."""
    head, _, tail = _upsert_sql(1, merge).partition(" VALUES ")
    tail = tail.partition(" ON CONFLICT ")[2]
    arrays = "unnest(%s::bigint[], %s::integer[], %s::timestamptz[], %s::float8[], %s::float8[], %s::float8[], %s::integer[])"
    return f"{head} SELECT * FROM {arrays} ON CONFLICT {tail}"


def _columns(rows: list[tuple[int, Bucket]]) -> list[list]:
    starts: dict[int, datetime] = {}
    ids, intervals, moments, lows, highs, lasts, counts = [], [], [], [], [], [], []
    for statistic_id, b in rows:
        moment = starts.get(b.start)
        if moment is None:
            moment = starts[b.start] = to_datetime(b.start)
        ids.append(statistic_id)
        intervals.append(b.interval)
        moments.append(moment)
        lows.append(b.min)
        highs.append(b.max)
        lasts.append(b.last)
        counts.append(b.count)
    return [ids, intervals, moments, lows, highs, lasts, counts]


def upsert(rows: Iterable[tuple[int, Bucket]], merge: bool = True) -> int:
    """Write (statistic id, bucket) rows in one transaction. `merge`: the buckets are
    deltas to fold into stored rows (the writer); else they replace them (the roll-up)."""
    rows = list(rows)
    starts: dict[int, object] = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                if rows:
                    cursor.execute(_unnest_sql(merge), _columns(rows))
                return len(rows)
            for i in range(0, len(rows), CHUNK):
                chunk = rows[i : i + CHUNK]
                cursor.execute(_upsert_sql(len(chunk), merge), _params(chunk, starts))
    return len(rows)


def stored(statistic_ids: list[int], interval: int, start: datetime, end: datetime) -> Iterator[tuple[int, Bucket]]:
    """Stored buckets of these statistics with `start <= bucket start < end`, ordered by
    statistic then start; `last_at` is the bucket's start (enough to order them)."""
    query = (
        HistoryBucket.objects.filter(statistic_id__in=statistic_ids, interval=interval, start__gte=start, start__lt=end)
        .order_by("statistic_id", "start")
        .values_list("statistic_id", "start", "min", "max", "last", "count")
    )
    for statistic_id, moment, low, high, last, count in query.iterator(chunk_size=2000):
        epoch = to_epoch(moment)
        yield statistic_id, Bucket(epoch, interval, low, high, last, count, float(epoch))


def newest_start(interval: int) -> datetime | None:
    row = HistoryBucket.objects.filter(interval=interval).order_by("-start").values_list("start", flat=True).first()
    return row


def prune(interval: int, before: datetime, batch: int = 5000) -> int:
    """Delete buckets of `interval` that start before `before`, in batches (a short
    write lock each on SQLite). Returns how many."""
    removed = 0
    while True:
        ids = list(
            HistoryBucket.objects.filter(interval=interval, start__lt=before).values_list("id", flat=True)[:batch]
        )
        if not ids:
            return removed
        removed += HistoryBucket.objects.filter(id__in=ids).delete()[0]
