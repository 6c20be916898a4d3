"""The simulated center's week (statsbridge/simulator/day_shape.py): Monday busiest,
the week tailing off, a quiet weekend, nights alike; and the live model follows it."""

from __future__ import annotations

from datetime import UTC, datetime

from statsbridge.simulator.day_shape import NIGHT_FLOOR, daily_curve, weekday_of
from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.model_records import CallCounters

MONDAY = datetime(2026, 11, 30, tzinfo=UTC).timestamp()


def test_weekday_of_matches_the_calendar() -> None:
    for day in range(14):
        t = MONDAY + day * 86400 + 3600 * 13
        assert weekday_of(t) == datetime.fromtimestamp(t, UTC).weekday()


def test_monday_late_morning_is_the_peak_and_the_weekend_is_quiet() -> None:
    peaks = [daily_curve(MONDAY + day * 86400 + 10.5 * 3600) for day in range(7)]
    assert peaks[0] == max(peaks) and abs(peaks[0] - 1.0) < 0.01
    assert peaks[0] > peaks[2] > peaks[4] > peaks[5] > peaks[6]
    assert peaks[6] < 0.65 * peaks[0]


def test_nights_are_alike_every_day() -> None:
    nights = {round(daily_curve(MONDAY + day * 86400 + 2.5 * 3600), 3) for day in range(7)}
    assert len(nights) == 1 and nights.pop() < NIGHT_FLOOR + 0.05


def test_the_live_model_takes_more_calls_on_a_monday_than_on_a_sunday() -> None:
    def offered(start: float) -> int:
        center = ContactCenter(agents=100, queues=4, seed=3, start=start)
        center.advance(start + 3600)
        return CallCounters.total([q.counters for q in center.queues]).offered

    monday, sunday = offered(MONDAY + 10 * 3600), offered(MONDAY + 6 * 86400 + 10 * 3600)
    assert sunday < 0.8 * monday
