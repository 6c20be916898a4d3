"""The bucket writer as a service of the process whose bridge runs (the leader's).

Like the alert engine (dashboard/alerts/service.py) it is a watcher of the bridge
(statsbridge/bridge.py `Watcher`): `attached` when a bridge starts here, `detached` when
it stops, so with several processes exactly one writes. While attached:
- `values` (on the bridge's loop, no I/O) folds each STAT into the accumulator;
- every `flush_s` the deltas go to the database in one transaction, in a worker thread
  (dashboard/history/rows.py); a failed write keeps them for the next flush (bounded);
- every JOB_S the job stores the 30-minute buckets of closed half hours and, every
  PRUNE_S, deletes buckets past their retention.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from dashboard.history import reads, rows
from dashboard.history.accumulator import Accumulator
from dashboard.history.buckets import BASE_INTERVAL, Bucket, align
from dashboard.project.bridge_follower import BridgeFollower
from dashboard.project.db_thread import in_db_thread as _in_thread  # no query log left behind

log = logging.getLogger(__name__)
JOB_S = 300.0
PRUNE_S = 6 * 3600.0
MAX_PENDING = 200_000  # buckets held while the database is away (about 40 MB)
CATCH_UP_S = 86_400  # the roll-up stores at most a day of half hours per run
IDS_MAX_AGE_S = 600.0  # a new row with an existing key's descriptor is picked up within this


class HistoryService(BridgeFollower):
    name = "history"

    def __init__(self, *, flush_s: float = 10.0, keep_5min_days: int = 35, keep_30min_days: int = 400) -> None:
        super().__init__()
        self.flush_s = flush_s
        self.keep_5min_days = keep_5min_days
        self.keep_30min_days = keep_30min_days
        self.accumulator = Accumulator()
        self.ids: dict[str, list[int]] = {}
        self.ids_stale = True
        self.keys: frozenset[str] | None = None  # the bridge's keys when `ids` was read
        self.ids_read_at = 0.0
        self.rolled_until: int | None = None
        self.rows_written = 0
        self.write_failures = 0
        self.dropped = 0

    # -- bridge watcher ---------------------------------------------------------------

    def attached(self, service: Any) -> None:
        self.accumulator = Accumulator()
        self.ids_stale = True
        self.run_tasks(service, {"history-flush": self._flush_every(), "history-job": self._job_every()})

    async def detached(self, service: Any) -> None:
        if not await self.end_tasks(service):
            return
        await self.flush()  # what this term saw is kept (the next leader adds to the same rows)

    def values(self, stats: list[dict]) -> None:
        self.accumulator.add_stats(stats)

    def status(self, status: Any) -> None:
        return None

    def reloaded(self) -> None:
        """The bridge re-read its configuration (on a change, and every 30 s): re-read
        key -> rows (every row's descriptor hashed) only when its set of keys changed."""
        bridge = getattr(self.bridge_service, "bridge", None)
        keys = frozenset(bridge.desired.statistics) if bridge is not None else None
        if keys is None or keys != self.keys:
            self.keys, self.ids_stale = keys, True

    def snapshot_extra(self, dashboard: str) -> dict:
        return {}

    # -- writes -------------------------------------------------------------------------

    async def flush(self) -> int:
        """Write what accumulated since the last flush; returns the rows written."""
        deltas = self.accumulator.take()
        if not deltas:
            return 0
        try:
            if self.ids_stale or time.monotonic() - self.ids_read_at > IDS_MAX_AGE_S:
                self.ids = await _in_thread(rows.statistic_ids_by_key)
                self.ids_stale, self.ids_read_at = False, time.monotonic()
            written = await _in_thread(rows.upsert, self._rows_of(deltas))
        except Exception:
            self.write_failures += 1
            self.dropped += self.accumulator.put_back(deltas, MAX_PENDING)
            log.exception("could not store %d history buckets; kept for the next try", len(deltas))
            return 0
        self.rows_written += written
        return written

    def _rows_of(self, deltas: list[tuple[str, Bucket]]) -> list[tuple[int, Bucket]]:
        return [(statistic_id, bucket) for key, bucket in deltas for statistic_id in self.ids.get(key, ())]

    async def _flush_every(self) -> None:
        while True:
            await asyncio.sleep(self.flush_s)
            await self.flush()

    # -- the job: roll-up and retention ------------------------------------------------------

    async def _job_every(self) -> None:
        next_prune = time.monotonic() + 60.0
        while True:
            await asyncio.sleep(min(JOB_S, self.flush_s * 3))
            try:
                await self.roll_up()
                if time.monotonic() >= next_prune:
                    await self.prune()
                    next_prune = time.monotonic() + PRUNE_S
            except Exception:
                log.exception("history job failed; trying again later")

    async def roll_up(self, now: float | None = None) -> int:
        """Store the 30-minute buckets of the half hours closed since the last run (a half
        hour is closed when its end is two flushes past, so its 5-minute rows are in)."""
        now = time.time() if now is None else now
        until = align(now - 2 * self.flush_s - 1, reads.ROLLED)
        if self.rolled_until is None:
            newest = await _in_thread(rows.newest_start, reads.ROLLED)
            oldest_kept = align(now - self.keep_5min_days * 86_400, reads.ROLLED)
            self.rolled_until = max(rows.to_epoch(newest) + reads.ROLLED, oldest_kept) if newest else oldest_kept
        since = self.rolled_until
        until = min(until, since + CATCH_UP_S)
        if until <= since:
            return 0
        written = await _in_thread(reads.rollup, since, until)
        self.rolled_until = until
        return written

    async def prune(self, now: float | None = None) -> int:
        """Delete buckets past retention: 5- and 15-minute after keep_5min_days, 30-minute
        after keep_30min_days."""
        now = time.time() if now is None else now
        removed = 0
        for interval, days in ((BASE_INTERVAL, self.keep_5min_days), (900, self.keep_5min_days)):
            removed += await _in_thread(rows.prune, interval, rows.to_datetime(now - days * 86_400))
        removed += await _in_thread(rows.prune, reads.ROLLED, rows.to_datetime(now - self.keep_30min_days * 86_400))
        if removed:
            log.info("history: %d buckets past retention removed", removed)
        return removed
