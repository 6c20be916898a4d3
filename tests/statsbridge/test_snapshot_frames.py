"""Snapshots too big for one WebSocket frame, and the history budget behind them."""

from __future__ import annotations

import orjson

from statsbridge.messages import snapshot_frames, update_frames
from statsbridge.status import BridgeStatus
from statsbridge.store import LatestValues
from statsbridge.values import Normalised


def stat(i: int, points: int) -> dict:
    return {
        "id": f"st-{i}",
        "value": i,
        "raw": i,
        "timestamp": 1_700_000_000_000 + i,
        "history": [[1_700_000_000_000 + p, p] for p in range(points)],
    }


def test_a_large_snapshot_is_split_into_a_snapshot_then_updates_under_the_limit() -> None:
    stats = [stat(i, 300) for i in range(400)]
    frames = snapshot_frames("big", BridgeStatus(), stats, limit=100_000)
    messages = [orjson.loads(f) for f in frames]
    assert messages[0]["type"] == "snapshot" and messages[0]["dashboard"] == "big"
    assert {m["type"] for m in messages[1:]} == {"update"}
    assert [s["id"] for m in messages for s in m["statistics"]] == [s["id"] for s in stats]
    one_stat = len(orjson.dumps(stats[0]))
    assert all(len(f) <= 100_000 + one_stat + 200 for f in frames)


def test_a_small_or_empty_snapshot_is_one_frame() -> None:
    assert len(snapshot_frames("d", BridgeStatus(), [stat(1, 10)])) == 1
    (only,) = snapshot_frames("d", BridgeStatus(), [])
    assert orjson.loads(only)["statistics"] == []


def test_update_frames_carry_every_value_once() -> None:
    stats = [stat(i, 50) for i in range(100)]
    frames = update_frames(stats, limit=20_000)
    assert len(frames) > 1
    assert [s["id"] for f in frames for s in orjson.loads(f)["statistics"]] == [s["id"] for s in stats]


def test_the_history_of_a_snapshot_is_shared_out_within_the_budget() -> None:
    store = LatestValues(history_points=360)
    keys = [f"st-{i}" for i in range(1000)]
    for t in range(360):
        for key in keys:
            store.update(key, Normalised(float(t), None), t, 1_700_000_000_000 + t)
    snapshot = store.snapshot(keys, history_budget=40_000)
    assert sum(len(s["history"]) for s in snapshot) <= 40_000
    assert all(tuple(s["history"][-1]) == (1_700_000_000_359, 359.0) for s in snapshot)  # the newest kept
    few = store.snapshot(keys[:10], history_budget=40_000)
    assert all(len(s["history"]) == 360 for s in few)
