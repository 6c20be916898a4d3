"""History is kept only for statistics some widget draws over time: a live bridge
against the real simulator, with one drawn statistic among agent states."""

from __future__ import annotations

import asyncio

from statsbridge.desired import DesiredSet, descriptor_of
from statsbridge.simulator.server import Simulator
from statsbridge.store import LatestValues
from statsbridge.values import Normalised
from tests.statsbridge.conftest import DASHBOARD, start_live_bridge
from tests.support.waiting import async_wait_until


async def test_only_statistics_drawn_over_time_keep_a_history(simulator: Simulator) -> None:
    live = await start_live_bridge(simulator)
    objects = simulator.center.objects()
    queue = next(o for o in objects if o["objectType"] == "Queue")["objectId"]
    desired = DesiredSet()
    for agent in [o["objectId"] for o in objects if o["objectType"] == "Agent"][:3]:
        desired.add(DASHBOARD, descriptor_of(object_type="Agent", object_id=agent, name="CurrentAgentState"))
    drawn = desired.add(
        DASHBOARD, descriptor_of(object_type="Queue", object_id=queue, name="TotalNumberInboundCalls"), history=True
    )
    live.desired.statistics, live.desired.routes, live.desired.history = (
        desired.statistics,
        desired.routes,
        desired.history,
    )
    try:
        live.bridge.request_reload()
        await async_wait_until(
            lambda: len(live.bridge.store) == 4 and live.bridge.reconciler.open_keys == set(desired.statistics),
            timeout=30,
            what="the new set open and valued",
        )
        snapshot = {s["id"]: s for s in live.bridge.snapshot(DASHBOARD)}
        assert "history" in snapshot[drawn]
        assert [key for key, stat in snapshot.items() if "history" in stat] == [drawn]
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]


def test_history_follows_the_drawn_set_when_it_changes() -> None:
    store = LatestValues(history_points=10)
    store.keep_history_for({"a"})
    for t in range(5):
        for key in ("a", "b"):
            store.update(key, Normalised(t), t, 1_700_000_000_000 + t)
    assert {s["id"]: len(s.get("history", ())) for s in store.snapshot(["a", "b"])} == {"a": 5, "b": 0}
    store.keep_history_for({"b"})
    store.update("b", Normalised(9), 9, 1_700_000_000_009)
    assert {s["id"]: len(s.get("history", ())) for s in store.snapshot(["a", "b"])} == {"a": 0, "b": 1}
