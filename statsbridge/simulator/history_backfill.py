"""Plausible past interval buckets for the simulated contact center (no Django).

`simulated_buckets` answers: what would this statistic's 5-minute buckets (min, max,
last, count) have been over these days? It follows the same week as the live model
(day_shape.py: Monday busiest, quiet weekends), so a "same time last week" overlay and
an intraday table show something believable in the demo and in tests. Values are drawn
from a generator seeded with the object and the bucket's start, so the same question
always gets the same answer (a second backfill changes nothing).

Counters (TotalNumber...) count from the start of the day in `zone`, as a Stat Server
growing window reset by a daily time profile would; the live simulator's counters count
from its own start, so the two meet only on a simulator started at midnight.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from statsbridge.simulator.day_shape import mean_curve
from statsbridge.simulator.model_behaviour import AVAILABLE_SHARE, MEAN_HANDLE, PEAK_OCCUPANCY

INTERVAL = 300
POINTS_PER_BUCKET = 60  # a statistic published every 5 s
# The counters: which of (offered, answered, abandoned) each one counts.
COUNTERS = {"TotalNumberInboundCalls": 0, "TotalNumberCallsAnswered": 1, "TotalNumberAbandonedCalls": 2}

Row = tuple[int, float, float, float, int]  # (start epoch s, min, max, last, count)


@dataclass(frozen=True)
class Center:
    """The size of the simulated center, which sets how many calls an object sees."""

    agents: int = 50
    queues: int = 8

    def share(self, object_type: str) -> float:
        """An object's share of the center's calls and agents."""
        return {"Tenant": 1.0, "Queue": 1 / self.queues, "GroupQueues": 0.25, "GroupAgents": 0.25}.get(
            object_type, 1 / max(1, self.agents)
        )

    def peak_calls_per_bucket(self, object_type: str) -> float:
        rate = PEAK_OCCUPANCY * AVAILABLE_SHARE * self.agents / MEAN_HANDLE
        return rate * INTERVAL * self.share(object_type)


def _rng(descriptor: dict, start: int) -> random.Random:
    # A string seed is hashed with SHA-512: the same on every run and machine.
    return random.Random(f"{descriptor['objectType']}/{descriptor['objectId']}@{start}")


def _calls(descriptor: dict, start: int, center: Center) -> tuple[int, int, int]:
    """(offered, answered, abandoned) in one bucket, shared by the three counters."""
    rng, load = _rng(descriptor, start), mean_curve(start, INTERVAL)
    mean = center.peak_calls_per_bucket(descriptor["objectType"]) * load
    offered = max(0, round(rng.gauss(mean, math.sqrt(mean) if mean else 0.0)))
    abandoned = round(offered * min(0.5, 0.01 + 0.18 * load**4) * rng.uniform(0.6, 1.4))
    return offered, offered - abandoned, abandoned


def _gauge(mean: float, spread: float, low: float = 0.0, high: float = math.inf) -> Callable[..., float]:
    return lambda rng: min(high, max(low, rng.gauss(mean, spread)))


def _gauge_for(name: str, load: float, staff: float, calls: float) -> Callable[[random.Random], float]:
    """How a gauge-like statistic behaves at a load (share of Monday's peak)."""
    busy = load**4
    table = {
        "CurrentNumberWaitingCalls": _gauge(calls * 0.25 * busy, 0.5 + calls * 0.05),
        "CurrentMaxCallWaitingTime": _gauge(15 + 100 * busy, 10),
        "ServiceFactor": _gauge(96 - 30 * busy, 2.5, 0, 100),
        "AverageSpeedOfAnswer": _gauge(4 + 35 * busy, 3),
        "AverageHandlingTime": _gauge(MEAN_HANDLE, 15, 60),
        "CurrentNumberBusyAgents": _gauge(staff * (0.35 + 0.55 * load), 1.5, 0, staff),
        "CurrentNumberReadyAgents": _gauge(staff * (0.55 - 0.45 * load), 1.2, 0, staff),
        "CurrentNumberAfterCallWorkAgents": _gauge(staff * 0.08 * load, 0.8, 0, staff),
        "CurrentNumberNotReadyAgents": _gauge(staff * 0.1, 1.0, 0, staff),
    }
    return table.get(name, _gauge(10 * load, 1.0))


def _gauge_row(descriptor: dict, start: int, center: Center) -> Row:
    rng, load = _rng(descriptor, start), mean_curve(start, INTERVAL)
    kind = descriptor["objectType"]
    staff = center.agents * center.share(kind) * 0.85 if kind != "Agent" else 1.0
    draw = _gauge_for(descriptor.get("name") or "", load, staff, center.peak_calls_per_bucket(kind))
    values = sorted(draw(rng) for _ in range(3))
    whole = descriptor.get("name", "").startswith("CurrentNumber")
    low, high, last = (round(v) if whole else round(v, 1) for v in (values[0], values[2], values[1]))
    return (start, low, high, last, POINTS_PER_BUCKET)


def _counter_rows(descriptor: dict, starts: list[int], zone: tzinfo, center: Center) -> list[Row]:
    which, rows, total, day = COUNTERS[descriptor["name"]], [], 0, None
    for start in starts:
        today = datetime.fromtimestamp(start, zone).date()
        if today != day:  # the growing window restarts at the zone's midnight
            day, total = today, 0
        before = total
        total += _calls(descriptor, start, center)[which]
        rows.append((start, float(before), float(total), float(total), POINTS_PER_BUCKET))
    return rows


def simulated_buckets(
    descriptors: Iterable[dict], start: float, end: float, zone: tzinfo, center: Center | None = None
) -> dict[str, list[Row]]:
    """Rows per descriptor `key` for every 5-minute bucket wholly inside [start, end).

    A descriptor is `{"key", "objectType", "objectId", "name"}`; one with a `definition`
    and no name gets the generic load-shaped value."""
    center = center or Center()
    first = math.ceil(start / INTERVAL) * INTERVAL
    starts = list(range(first, int(end) - INTERVAL + 1, INTERVAL))
    out: dict[str, list[Row]] = {}
    for descriptor in descriptors:
        if descriptor.get("name") in COUNTERS:
            out[descriptor["key"]] = _counter_rows(descriptor, starts, zone, center)
        else:
            out[descriptor["key"]] = [_gauge_row(descriptor, s, center) for s in starts]
    return out
