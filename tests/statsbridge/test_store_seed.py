"""The store's history seeded from stored buckets (statsbridge/seeding.py): stored points go
before the live ones, never after, within the history length; each key is asked once."""

from __future__ import annotations

import asyncio

from statsbridge.seeding import seed_history
from statsbridge.store import LatestValues
from statsbridge.values import Normalised

T = 1_764_000_000_000


def test_seed_before_the_first_value_becomes_the_start_of_its_history() -> None:
    store = LatestValues(history_points=4)
    store.keep_history_for({"st-a"})
    store.seed("st-a", [(T - 900_000, 1.0), (T - 600_000, 2.0), (T - 300_000, 3.0)])
    store.update("st-a", Normalised(9), 9, T)
    [stat] = store.snapshot(["st-a"])
    assert stat["history"] == [(T - 900_000, 1.0), (T - 600_000, 2.0), (T - 300_000, 3.0), (T, 9)]


def test_seed_after_live_values_keeps_only_older_points_and_the_newest_within_length() -> None:
    store = LatestValues(history_points=3)
    store.keep_history_for({"st-a"})
    store.update("st-a", Normalised(8), 8, T)
    store.update("st-a", Normalised(9), 9, T + 1000)
    store.seed("st-a", [(T - 600_000, 1.0), (T - 300_000, 2.0), (T + 500, 5.0)])  # T+500: not older
    [stat] = store.snapshot(["st-a"])
    assert stat["history"] == [(T - 300_000, 2.0), (T, 8), (T + 1000, 9)]


def test_each_key_is_asked_for_once_and_a_failing_loader_costs_nothing() -> None:
    store = LatestValues()
    asked: list[list[str]] = []

    async def loader(keys: list[str]) -> dict:
        asked.append(keys)
        return {"st-a": [(T, 1.0)]}

    assert asyncio.run(seed_history(store, {"st-a", "st-b"}, loader)) == 1
    assert asyncio.run(seed_history(store, {"st-a", "st-b", "st-c"}, loader)) == 1
    assert asked == [["st-a", "st-b"], ["st-c"]]

    async def broken(keys: list[str]) -> dict:
        raise ConnectionError("database away")

    assert asyncio.run(seed_history(store, {"st-d"}, broken)) == 0
    assert asyncio.run(seed_history(store, {"st-e"}, None)) == 0
    store.forget({"st-a"})
    assert store.unseeded({"st-a"}) == {"st-a"}  # a statistic removed and added again is asked again
