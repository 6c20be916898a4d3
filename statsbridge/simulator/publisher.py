"""Turns the live model into StatisticUpdate notifications, tick by tick.

Two modes:
- natural (default): each open statistic follows its notification policy
  (Periodical, ChangesBased, ...), as Stat Server would;
- load (`rate` set): exactly `rate` updates per second in total, round-robin over
  the open statistics with fresh timestamps, for benchmarks and soak tests.
Updates are batched per owner per tick into one StatisticUpdate message, like the
real service does.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from typing import Any

from statsbridge.simulator.bayeux import UPDATES_CHANNEL, BayeuxServer
from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.statistics import evaluate
from statsbridge.simulator.subscriptions import OpenStatistic, SubscriptionRegistry

TICK_SECONDS = 0.1


def update_notification(records: list[dict]) -> dict:
    # Reference: seed 002 "Statistic value updates" notification sample.
    return {"name": "StatisticUpdate", "topic": UPDATES_CHANNEL, "data": {"statistics": records}}


class Publisher:
    def __init__(self, center: ContactCenter, registry: SubscriptionRegistry, bayeux: BayeuxServer) -> None:
        self.center = center
        self.registry = registry
        self.bayeux = bayeux
        self.rate: float = 0.0
        self.published = 0
        self._credit = 0.0
        self._cycle: Iterator[OpenStatistic] | None = None
        self._cycle_key: tuple[int, int] = (-1, -1)

    async def run(self, stop: asyncio.Event) -> None:
        last = time.monotonic()
        while not stop.is_set():
            started = time.monotonic()
            self.tick(time.time(), started - last)
            last = started
            elapsed = time.monotonic() - started
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(0.0, TICK_SECONDS - elapsed))
            except TimeoutError:
                pass

    def tick(self, now: float, dt: float = TICK_SECONDS) -> int:
        """One step: advance the model, deliver what is due. Returns updates sent."""
        self.center.advance(now)
        listening = self.bayeux.owners_listening(UPDATES_CHANNEL)
        if not listening:
            return 0
        due = self._load_due(dt) if self.rate > 0 else self._natural_due(now)
        stamp = int(now * 1000)
        batches: dict[str, list[dict]] = {}
        for owner, open_stat, value in due:
            if owner not in listening:
                continue
            open_stat.last_value, open_stat.last_sent = value, now
            batches.setdefault(owner, []).append(
                {
                    "subscriptionId": open_stat.subscription_id,
                    "statisticId": open_stat.statistic_id,
                    "value": value,
                    "timestamp": stamp,
                }
            )
        sent = 0
        for owner, records in batches.items():
            message = {"channel": UPDATES_CHANNEL, "data": update_notification(records)}
            for client in listening[owner]:
                client.enqueue(message, weight=len(records))
            sent += len(records)
        self.published += sent
        return sent

    def _natural_due(self, now: float) -> Iterator[tuple[str, OpenStatistic, Any]]:
        for subscription in self.registry.all():
            for open_stat in subscription.statistics.values():
                if not _may_be_due(open_stat, now):
                    continue
                value = evaluate(open_stat.spec, self.center)
                if open_stat.policy.due(now, value, open_stat.last_value, open_stat.last_sent):
                    yield subscription.owner, open_stat, value

    def _load_due(self, dt: float) -> list[tuple[str, OpenStatistic, Any]]:
        self._credit += self.rate * min(dt, 1.0)
        count = int(self._credit)
        self._credit -= count
        pool = self._round_robin()
        if pool is None:
            return []
        return [(owner, o, evaluate(o.spec, self.center)) for owner, o in itertools.islice(pool, count)]

    def _round_robin(self) -> Iterator[tuple[str, OpenStatistic]] | None:
        key = (self.registry.created, self.registry.subscription_count)
        if key != self._cycle_key or self._cycle is None:
            pairs = [(s.owner, o) for s in self.registry.all() for o in s.statistics.values()]
            self._cycle = itertools.cycle(pairs) if pairs else None
            self._cycle_key = key
        return self._cycle


def _may_be_due(open_stat: OpenStatistic, now: float) -> bool:
    """Cheap check before evaluating: a periodical statistic is only due when its
    period has passed, whatever its value (most statistics are periodical)."""
    policy = open_stat.policy
    if policy.mode == "NoNotification":
        return False
    if policy.mode in ("Periodical", "Reset") and open_stat.last_sent is not None:
        return now - open_stat.last_sent >= policy.frequency - 0.1
    return True
