"""Retention: the job deletes 5- (and 15-) minute buckets after HISTORY_5MIN_DAYS and
30-minute ones after HISTORY_30MIN_DAYS, nothing younger; the settings reach the service."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from dashboard.history import rows
from dashboard.history.buckets import align
from dashboard.history.hosting import history_service
from dashboard.history.service import HistoryService
from dashboard.models import HistoryBucket, Statistic

NOW = 1_764_000_000.0
DAY = 86_400

pytestmark = pytest.mark.django_db(transaction=True)


def _bucket(statistic: Statistic, interval: int, days_ago: float) -> HistoryBucket:
    start = rows.to_datetime(align(NOW - days_ago * DAY, interval))
    return HistoryBucket.objects.create(
        statistic=statistic, interval=interval, start=start, min=1, max=2, last=2, count=3
    )


def test_prune_keeps_each_interval_for_its_own_days() -> None:
    statistic = Statistic.objects.create(name="TotalAnswered", object_type="Queue", object_id="q1")
    kept = {
        _bucket(statistic, 300, 34.9).pk,
        _bucket(statistic, 900, 34.9).pk,
        _bucket(statistic, 1800, 36).pk,
        _bucket(statistic, 1800, 399).pk,
    }
    for interval, days in ((300, 35.1), (300, 90), (900, 36), (1800, 400.1)):
        _bucket(statistic, interval, days)
    service = HistoryService(keep_5min_days=35, keep_30min_days=400)
    assert asyncio.run(service.prune(now=NOW)) == 4
    assert set(HistoryBucket.objects.values_list("pk", flat=True)) == kept
    assert asyncio.run(service.prune(now=NOW)) == 0


def test_prune_works_in_batches_past_the_batch_size() -> None:
    statistic = Statistic.objects.create(name="TotalAnswered", object_type="Queue", object_id="q2")
    HistoryBucket.objects.bulk_create(
        HistoryBucket(
            statistic=statistic,
            interval=300,
            start=rows.to_datetime(NOW - 40 * DAY) + timedelta(minutes=5 * i),
            min=0,
            max=0,
            last=0,
            count=1,
        )
        for i in range(23)
    )
    assert rows.prune(300, rows.to_datetime(NOW - 35 * DAY), batch=5) == 23
    assert not HistoryBucket.objects.exists()


def test_retention_comes_from_the_environment_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HISTORY_5MIN_DAYS, settings.HISTORY_30MIN_DAYS, settings.HISTORY_FLUSH_SECONDS = 7, 30, 3
    service = history_service()
    assert (service.keep_5min_days, service.keep_30min_days, service.flush_s) == (7, 30, 3)
