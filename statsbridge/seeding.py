"""Trends that survive a restart: the store's history seeded from stored buckets.

The loader (setting STATSBRIDGE_HISTORY_LOADER, dashboard/history/seed.py) is passed
in, so statsbridge imports no Django. Each key drawn over time is asked for once per
process; the answer arrives in the background, maybe after the first live values,
and the store puts the stored points before them (statsbridge/store.py `seed`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from statsbridge.store import LatestValues

log = logging.getLogger(__name__)

HistoryLoader = Callable[[list[str]], Awaitable[dict[str, list[tuple[int, float]]]]]


async def seed_history(store: LatestValues, keys: set[str], loader: HistoryLoader | None) -> int:
    """Seed the keys not seeded yet; returns how many got points. A failure is logged
    and costs only the stored trend (live values go on)."""
    if loader is None:
        return 0
    wanted = store.unseeded(keys)
    if not wanted:
        return 0
    try:
        found = await loader(sorted(wanted))
    except Exception:
        log.warning("could not load the stored history of %d statistics", len(wanted), exc_info=True)
        return 0
    for key, points in found.items():
        store.seed(key, points)
    return len(found)
