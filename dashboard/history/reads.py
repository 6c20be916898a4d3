"""Buckets of one statistic over a time range, at 5, 15 or 30 minutes; and the roll-up
that stores 30-minute buckets.

Which interval comes from where (docs/architecture.md, "History"):
- 300 s: the stored rows the writer upserts.
- 900 s: derived on read from the 300 s rows (so kept as long as they are: 35 days).
- 1800 s: stored by the roll-up job for every closed half hour (kept 400 days); the
  half hours it has not stored yet (the current one, or after an outage of the job) are
  derived on read from the 300 s rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.history import rows
from dashboard.history.buckets import BASE_INTERVAL, Bucket, align, derive

ROLLED = 1800


def buckets(statistic_id: int, start_s: int, end_s: int, interval: int) -> list[Bucket]:
    """Buckets whose start lies in [align(start_s), end_s), oldest first."""
    first = rows.to_datetime(align(start_s, interval))
    end = rows.to_datetime(end_s)
    fine = [b for _, b in rows.stored([statistic_id], BASE_INTERVAL, first, end)]
    if interval == BASE_INTERVAL:
        return fine
    derived = derive(fine, interval)
    if interval != ROLLED:
        return derived
    kept = {b.start: b for _, b in rows.stored([statistic_id], ROLLED, first, end)}
    for bucket in derived:
        kept.setdefault(bucket.start, bucket)
    return [kept[start] for start in sorted(kept)]


def _per_statistic(source: Iterator[tuple[int, Bucket]]) -> Iterator[tuple[int, list[Bucket]]]:
    """Group a statistic-ordered stream of buckets, one statistic in memory at a time."""
    current: int | None = None
    group: list[Bucket] = []
    for statistic_id, bucket in source:
        if statistic_id != current and group:
            yield current, group  # type: ignore[misc]
            group = []
        current = statistic_id
        group.append(bucket)
    if group:
        yield current, group  # type: ignore[misc]


def rollup(since_s: int, until_s: int) -> int:
    """Store 30-minute buckets for the half hours in [since_s, until_s) (both aligned),
    from the 300 s rows; idempotent (a re-run replaces them). Returns rows written."""
    from dashboard.history.models import HistoryBucket

    ids = list(
        HistoryBucket.objects.filter(
            interval=BASE_INTERVAL, start__gte=rows.to_datetime(since_s), start__lt=rows.to_datetime(until_s)
        )
        .values_list("statistic_id", flat=True)
        .distinct()
    )
    written = 0
    for i in range(0, len(ids), rows.CHUNK):
        source = rows.stored(
            ids[i : i + rows.CHUNK], BASE_INTERVAL, rows.to_datetime(since_s), rows.to_datetime(until_s)
        )
        out = [(sid, b) for sid, group in _per_statistic(source) for b in derive(group, ROLLED)]
        written += rows.upsert(out, merge=False)
    return written
