"""Bucket arithmetic and the accumulator: exact min, max, last and count from a known
sequence of updates, boundaries included (no database)."""

from __future__ import annotations

import pytest

from dashboard.history.accumulator import Accumulator
from dashboard.history.buckets import Bucket, add_point, align, derive, merge

T0 = 1_764_000_000  # a multiple of 1800: 2025-11-24 16:00 UTC


def test_align_puts_a_time_in_the_bucket_that_starts_at_or_before_it() -> None:
    assert align(T0, 300) == T0
    assert align(T0 + 299.999, 300) == T0
    assert align(T0 + 300, 300) == T0 + 300
    assert align(T0 + 1799, 1800) == T0
    assert align(T0 - 0.001, 300) == T0 - 300
    with pytest.raises(ValueError):
        align(T0, 0)


def test_a_known_sequence_gives_exact_buckets_split_at_the_boundary() -> None:
    acc = Accumulator()
    now = T0 + 3600
    for offset, value in ((10, 5), (20, 3), (299.9, 7), (150, 6), (300, 9), (301, 2), (599, 4)):
        acc.add("st-a", value, int((T0 + offset) * 1000), now=now)
    acc.add("st-a", None, int((T0 + 30) * 1000), now=now)  # no number: not a point
    acc.add("st-a", True, int((T0 + 31) * 1000), now=now)  # a bool is not a number here
    got = {b.start: (b.min, b.max, b.last, b.count) for _, b in acc.take()}
    # 150 s came after 299.9 s (out of order): it counts, but `last` stays the newest by time
    assert got == {T0: (3.0, 7.0, 7.0, 4), T0 + 300: (2.0, 9.0, 4.0, 3)}
    assert len(acc) == 0 and acc.take() == []


def test_a_timestamp_far_in_the_future_is_bucketed_at_now() -> None:
    acc = Accumulator()
    acc.add("st-a", 1, int((T0 + 86_400) * 1000), now=T0 + 10)
    acc.add("st-a", 2, None, now=T0 + 20)
    [(key, bucket)] = acc.take()
    assert (key, bucket.start, bucket.count, bucket.last) == ("st-a", T0, 2, 2.0)


def test_merge_and_derive_keep_the_newest_last_and_add_counts() -> None:
    first = add_point(None, T0 + 1, 10.0)
    add_point(first, T0 + 2, 1.0)
    second = add_point(None, T0 + 100, 4.0)
    merged = merge(first, second)
    assert (merged.min, merged.max, merged.last, merged.count) == (1.0, 10.0, 4.0, 3)
    with pytest.raises(ValueError):
        add_point(first, T0 + 300, 1.0)
    fives = [Bucket(T0 + i * 300, 300, float(i), float(i + 10), float(i + 5), 2) for i in range(7)]
    fifteens = derive(fives, 900)
    assert [(b.start, b.min, b.max, b.last, b.count) for b in fifteens] == [
        (T0, 0.0, 12.0, 7.0, 6),
        (T0 + 900, 3.0, 15.0, 10.0, 6),
        (T0 + 1800, 6.0, 16.0, 11.0, 2),
    ]
    [half_hour, next_half] = derive(reversed(fives), 1800)  # order of arrival does not matter
    assert (half_hour.min, half_hour.max, half_hour.last, half_hour.count) == (0.0, 15.0, 10.0, 12)
    assert next_half.start == T0 + 1800
    with pytest.raises(ValueError):
        derive(fives, 450)


def test_put_back_merges_a_failed_batch_and_bounds_what_it_holds() -> None:
    acc = Accumulator()
    acc.add("st-a", 5, T0 * 1000, now=T0)
    failed = acc.take()
    acc.add("st-a", 8, (T0 + 5) * 1000, now=T0 + 5)
    acc.add("st-b", 1, (T0 + 5) * 1000, now=T0 + 5)
    assert acc.put_back(failed + [("st-c", add_point(None, T0, 1.0))], limit=2) == 1  # st-c: no room
    got = {key: (b.min, b.max, b.last, b.count) for key, b in acc.take()}
    assert got == {"st-a": (5.0, 8.0, 8.0, 2), "st-b": (1.0, 1.0, 1.0, 1)}
