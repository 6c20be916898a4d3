"""The batch writer's checks, run against whichever database Django is configured with:
in the test process (SQLite) and in a child `manage.py shell` (PostgreSQL), so both
databases run the very same sequence. `run()` returns what it found, as JSON-able data."""

from __future__ import annotations

import asyncio

from dashboard.history import reads, rows
from dashboard.history.service import HistoryService
from dashboard.models import HistoryBucket, Statistic

T0 = 1_764_000_000  # a multiple of 1800: 2025-11-24 16:00 UTC
NOW = T0 + 7200


def _feed(service: HistoryService, key: str, points: list[tuple[float, float]]) -> None:
    for offset, value in points:
        service.accumulator.add(key, value, int((T0 + offset) * 1000), now=NOW)


async def _sequence(service: HistoryService, key: str) -> list[int]:
    """Three flushes: a bucket that spans two of them, then the next bucket."""
    written = []
    _feed(service, key, [(10, 5), (20, 3), (299, 7)])
    written.append(await service.flush())
    _feed(service, key, [(299.5, 4), (300, 9)])
    written.append(await service.flush())
    _feed(service, key, [(310, 1), (1800, 2)])
    written.append(await service.flush())
    written.append(await service.flush())  # nothing new: nothing written
    return written


def _table(statistic_id: int, interval: int) -> list[list]:
    return [
        [rows.to_epoch(b.start) - T0, b.min, b.max, b.last, b.count]
        for b in HistoryBucket.objects.filter(statistic_id=statistic_id, interval=interval).order_by("start")
    ]


def run() -> dict:
    HistoryBucket.objects.all().delete()
    one = Statistic.objects.create(
        label="Waiting", name="CurrentNumberWaitingCalls", object_type="Queue", object_id="q1"
    )
    twin = Statistic.objects.create(label="Same", name="CurrentNumberWaitingCalls", object_type="Queue", object_id="q1")
    service = HistoryService(flush_s=1.0, keep_5min_days=1)  # the roll-up catches up a day per run
    written = asyncio.run(_sequence(service, one.key))
    rolled = asyncio.run(service.roll_up(now=NOW))
    return {
        "written": written,
        "fives": _table(one.id, 300),
        "twin": _table(twin.id, 300),
        "halves": _table(one.id, 1800),
        "rolled": rolled,
        "fifteens": [[b.start - T0, b.min, b.max, b.last, b.count] for b in reads.buckets(one.id, T0, NOW, 900)],
        "rolled_until": service.rolled_until,
    }


EXPECTED_FIVES = [[0, 3.0, 7.0, 4.0, 4], [300, 1.0, 9.0, 1.0, 2], [1800, 2.0, 2.0, 2.0, 1]]


def check(found: dict) -> None:
    assert found["written"] == [2, 4, 4, 0], found["written"]  # rows, for both statistic rows
    assert found["fives"] == EXPECTED_FIVES
    assert found["twin"] == EXPECTED_FIVES  # the same statistic on another row: the same history
    assert found["fifteens"] == [[0, 1.0, 9.0, 1.0, 6], [1800, 2.0, 2.0, 2.0, 1]]
    # half hours closed by NOW - 2 flushes: [T0, T0+1800) and [T0+1800, T0+3600), both rows each
    assert found["halves"] == [[0, 1.0, 9.0, 1.0, 6], [1800, 2.0, 2.0, 2.0, 1]]
    assert found["rolled"] == 4
