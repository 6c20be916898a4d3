"""Snapshots are shared only by sockets that asked before they were built."""
from __future__ import annotations

import time

from statsbridge.snapshots import MAX_AGE_MS, SAFETY_MS, SnapshotCache


def counting_builder() -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> list[str]:
        calls.append(1)
        return [f"frame {len(calls)}"]
    return calls, build


def now_ms() -> int:
    return int(time.time() * 1000)


def test_requests_asked_before_the_build_share_it() -> None:
    cache, (calls, build) = SnapshotCache(), counting_builder()
    asked = now_ms() - SAFETY_MS - 50
    first = cache.frames("d", asked, ("connected", 1), build)
    again = cache.frames("d", asked, ("connected", 1), build)
    assert first == again == ["frame 1"] and len(calls) == 1 and cache.reused == 1


def test_a_request_asked_after_the_build_gets_a_new_one() -> None:
    cache, (calls, build) = SnapshotCache(), counting_builder()
    cache.frames("d", now_ms() - 1000, ("connected", 1), build)
    assert cache.frames("d", now_ms() + 1, ("connected", 1), build) == ["frame 2"]


def test_a_bridge_state_change_or_an_unstamped_request_rebuilds() -> None:
    cache, (calls, build) = SnapshotCache(), counting_builder()
    asked = now_ms() - 1000
    cache.frames("d", asked, ("connected", 1), build)
    cache.frames("d", asked, ("upstream-unavailable", 2), build)
    cache.frames("d", None, ("upstream-unavailable", 2), build)
    cache.frames("d", "yesterday", ("upstream-unavailable", 2), build)
    assert len(calls) == 4 and cache.reused == 0


def test_dashboards_do_not_share_and_old_builds_expire(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cache, (calls, build) = SnapshotCache(), counting_builder()
    asked = now_ms() - 1000
    cache.frames("a", asked, (), build)
    cache.frames("b", asked, (), build)
    assert len(calls) == 2
    later = time.time() + (MAX_AGE_MS + 10) / 1000
    monkeypatch.setattr(time, "time", lambda: later)
    cache.frames("a", asked, (), build)
    assert len(calls) == 3
