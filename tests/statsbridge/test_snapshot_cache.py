"""Snapshots are shared only by sockets whose relay has seen no newer frame than the build."""

from __future__ import annotations

import time

from statsbridge.snapshots import MAX_AGE_S, SnapshotCache


def counting_builder() -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> list[str]:
        calls.append(1)
        return [f"frame {len(calls)}"]

    return calls, build


def test_requests_whose_relay_saw_nothing_newer_share_the_build() -> None:
    cache, (calls, build) = SnapshotCache(), counting_builder()
    first = cache.frames("d", None, 7, ("connected", 1), build)
    again = cache.frames("d", 7, 9, ("connected", 1), build)
    older = cache.frames("d", 3, 9, ("connected", 1), build)
    assert first == again == older == (["frame 1"], 7) and len(calls) == 1 and cache.reused == 2


def test_a_relay_that_saw_a_newer_frame_gets_a_new_build() -> None:
    cache, (calls, build) = SnapshotCache(), counting_builder()
    cache.frames("d", None, 7, ("connected", 1), build)
    assert cache.frames("d", 8, 8, ("connected", 1), build) == (["frame 2"], 8) and len(calls) == 2


def test_a_bridge_state_change_or_a_request_without_seen_rebuilds() -> None:
    cache, (calls, build) = SnapshotCache(), counting_builder()
    cache.frames("d", None, 5, ("connected", 1), build)
    cache.frames("d", 5, 5, ("upstream-unavailable", 2), build)
    cache.frames("d", None, 5, ("upstream-unavailable", 2), build)
    cache.frames("d", "yesterday", 5, ("upstream-unavailable", 2), build)
    cache.frames("d", True, 5, ("upstream-unavailable", 2), build)
    assert len(calls) == 5 and cache.reused == 0


def test_dashboards_do_not_share_and_old_builds_expire(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cache, (calls, build) = SnapshotCache(), counting_builder()
    cache.frames("a", None, 1, (), build)
    cache.frames("b", 1, 1, (), build)
    assert len(calls) == 2
    later = time.monotonic() + MAX_AGE_S + 0.1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    cache.frames("a", 1, 1, (), build)
    assert len(calls) == 3
