"""Batches that waited in a hub's inbox merge into one (dashboard/realtime/batch_merge.py):
newest value per statistic, every other frame in its place, newest `seq`, and only
batches of one sender (`term`, `conn`)."""

from __future__ import annotations

from collections import Counter

import orjson

from dashboard.realtime.batch_merge import merge, runs
from statsbridge.fanout import BATCH_EVENT
from statsbridge.messages import encode, tagged, update_message


def update(term: int, *pairs: tuple[str, int]) -> str:
    return encode(tagged(update_message([{"id": k, "value": v, "timestamp": v} for k, v in pairs]), term))


def batch(term: int, *frames: tuple[str, str, int], conn: str | None = None) -> dict:
    message: dict = {"type": BATCH_EVENT, "term": term, "frames": [list(f) for f in frames]}
    if conn:
        message["conn"] = conn
    return message


def values(text: str) -> dict[str, int]:
    return {stat["id"]: stat["value"] for stat in orjson.loads(text)["statistics"]}


def test_it_keeps_the_newest_value_per_statistic_and_the_newest_seq() -> None:
    counters: Counter[str] = Counter()
    merged = merge(
        [
            batch(3, ("a", update(3, ("x", 1), ("y", 1)), 1), ("b", update(3, ("z", 1)), 2)),
            batch(3, ("a", update(3, ("x", 2)), 3)),
            batch(3, ("a", update(3, ("x", 3), ("w", 3)), 4), ("b", update(3, ("z", 4)), 5)),
        ],
        counters,
    )
    by_dashboard = {dashboard: (text, seq) for dashboard, text, seq in merged["frames"]}
    assert len(merged["frames"]) == 2
    assert values(by_dashboard["a"][0]) == {"x": 3, "y": 1, "w": 3} and by_dashboard["a"][1] == 4
    assert values(by_dashboard["b"][0]) == {"z": 4} and by_dashboard["b"][1] == 5
    assert orjson.loads(by_dashboard["a"][0])["term"] == 3  # still fenced by its sender's term
    assert counters["layer_batches_merged"] == 2 and counters["layer_values_merged"] == 3


def test_an_update_never_jumps_over_another_kind_of_frame() -> None:
    config = '{"type":"config","term":1}'
    merged = merge(
        [
            batch(1, ("a", update(1, ("x", 1)), 1)),
            batch(1, ("a", config, 2)),
            batch(1, ("a", update(1, ("x", 2)), 3)),
            batch(1, ("a", update(1, ("x", 3)), 4)),
        ],
        Counter(),
    )
    kinds = [(orjson.loads(text)["type"], seq) for _, text, seq in merged["frames"]]
    assert kinds == [("update", 1), ("config", 2), ("update", 4)]
    assert values(merged["frames"][2][1]) == {"x": 3}


def test_only_batches_of_one_sender_are_grouped() -> None:
    a1, a2 = batch(1, ("a", update(1, ("x", 1)), 1)), batch(1, ("a", update(1, ("x", 2)), 2))
    newer_term = batch(2, ("a", update(2, ("x", 3)), 1))
    other_connection = batch(1, ("a", update(1, ("x", 4)), 1), conn="eu")
    snapshot_part = {"type": "dashboard.frame", "snapshot": True, "text": "{}"}
    grouped = runs([a1, a2, snapshot_part, newer_term, other_connection])
    assert [len(group) for group in grouped] == [2, 1, 1, 1]


def test_a_merged_frame_is_split_as_the_bridge_splits_its_snapshots(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from statsbridge import messages

    monkeypatch.setattr(messages, "MAX_FRAME_BYTES", 200)
    monkeypatch.setattr(messages.update_frames, "__defaults__", (200, None))
    first = batch(0, ("a", update(0, *[(f"s{i}", 1) for i in range(10)]), 1))
    second = batch(0, ("a", update(0, *[(f"s{i}", 2) for i in range(10, 20)]), 2))
    merged = merge([first, second], Counter())
    assert len(merged["frames"]) > 1 and all(seq == 2 for _, _, seq in merged["frames"])
    shown: dict[str, int] = {}
    for _, text, _ in merged["frames"]:
        assert len(text) < 400
        shown.update(values(text))
    assert shown == {**{f"s{i}": 1 for i in range(10)}, **{f"s{i}": 2 for i in range(10, 20)}}
