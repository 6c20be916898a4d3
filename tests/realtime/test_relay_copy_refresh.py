"""Relays made together (a connect storm) do not ask for their new bases together:
each base's refresh time is spread around REFRESH_S (dashboard/realtime/relay_copy.py)."""

from __future__ import annotations

import time
from collections import Counter

from dashboard.realtime import relay_copy


def test_bases_made_together_are_refreshed_at_spread_times(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    copies = []
    for _ in range(100):
        copy = relay_copy.RelayCopy(Counter())
        copy.current = relay_copy._Copy({"type": "snapshot"}, {}, term=0, seq=0)
        copies.append(copy)
    low, high = relay_copy.REFRESH_S * 0.75, relay_copy.REFRESH_S * 1.25
    assert all(low <= c.current.refresh_after <= high for c in copies if c.current)
    made = time.monotonic()
    monkeypatch.setattr(relay_copy.time, "monotonic", lambda: made + relay_copy.REFRESH_S)
    due = sum(copy.wants_refresh() for copy in copies)
    assert 20 < due < 80  # about half by REFRESH_S, not all of them in one sweep
