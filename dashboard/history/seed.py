"""Trends after a restart: the bridge's store starts from the stored 5-minute buckets.

`load_history` is the bridge's STATSBRIDGE_HISTORY_LOADER (statsbridge/seeding.py calls
it with the keys some widget draws over time, once per key per process): each key gets
the `last` of its buckets of the past SEED_S as points [bucket start ms, last], which the
store puts before the live points. statsbridge never imports Django; this is the door.
"""

from __future__ import annotations

import time

from asgiref.sync import sync_to_async
from django.db import close_old_connections

from dashboard.history import rows
from dashboard.history.buckets import BASE_INTERVAL

SEED_S = 6 * 3600  # 72 five-minute points: the shape of the last hours, not a day of them


def _load(keys: list[str], now: float) -> dict[str, list[tuple[int, float]]]:
    close_old_connections()
    try:
        by_key = rows.statistic_ids_by_key()
        first_id = {ids[0]: key for key in keys if (ids := by_key.get(key))}
        points: dict[str, list[tuple[int, float]]] = {}
        since, end = rows.to_datetime(now - SEED_S), rows.to_datetime(now + BASE_INTERVAL)
        ids = sorted(first_id)
        for i in range(0, len(ids), rows.CHUNK):
            for statistic_id, bucket in rows.stored(ids[i : i + rows.CHUNK], BASE_INTERVAL, since, end):
                points.setdefault(first_id[statistic_id], []).append((bucket.start * 1000, bucket.last))
        return points
    finally:
        close_old_connections()


async def load_history(keys: list[str]) -> dict[str, list[tuple[int, float]]]:
    return await sync_to_async(_load, thread_sensitive=False)(keys, time.time())
