"""The store's compact history ring (statsbridge/points.py): deque semantics (newest kept,
oldest dropped), whole numbers back as ints, and the newest N for snapshots."""

from __future__ import annotations

import pytest

from statsbridge.points import Points


def test_keeps_the_newest_points_in_order_like_a_bounded_deque() -> None:
    ring = Points(3)
    assert len(ring) == 0 and list(ring) == []
    for n in range(7):
        ring.append((1000 + n, n * 1.5))
    assert list(ring) == [(1004, 6.0), (1005, 7.5), (1006, 9.0)]
    assert ring[0] == (1004, 6.0) and ring[-1] == (1006, 9.0)
    assert ring.newest(2) == [(1005, 7.5), (1006, 9.0)] and ring.newest(10) == list(ring)
    with pytest.raises(IndexError):
        ring[3]


def test_whole_numbers_come_back_as_ints_and_fractions_as_floats() -> None:
    ring = Points(4, [(1, 8), (2, 2.25), (3, -0.0), (4, 1e300)])
    values = [v for _, v in ring]
    assert values == [8, 2.25, 0, 1e300]
    assert type(values[0]) is int and type(values[1]) is float and type(values[3]) is float


def test_zero_length_keeps_nothing() -> None:
    ring = Points(0, [(1, 1.0)])
    ring.append((2, 2.0))
    assert len(ring) == 0 and ring.newest(5) == []
