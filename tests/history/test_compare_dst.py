""" "The same time last week" in the dashboard's zone across daylight-saving changes
(pure: zoneinfo, no database). Europe/Berlin moves to summer time on Sunday 2026-03-29
(02:00 -> 03:00) and back on Sunday 2026-10-25 (03:00 -> 02:00)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dashboard.history.compare import overlay_points
from dashboard.history.local_time import compare_label, day_start, next_day_start, shift_days

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = 7 * 86400


def at(*fields: int, zone: ZoneInfo = BERLIN) -> float:
    return datetime(*fields, tzinfo=zone).timestamp()  # type: ignore[misc]


def local(t: float) -> datetime:
    return datetime.fromtimestamp(t, BERLIN)


def test_last_week_after_spring_forward_is_the_same_wall_time_on_the_same_weekday() -> None:
    monday = at(2026, 3, 30, 10, 0)  # CEST, UTC+2
    before = shift_days(monday, BERLIN, -7)
    assert local(before).replace(tzinfo=None) == datetime(2026, 3, 23, 10, 0)  # CET, Monday 10:00
    assert local(before).strftime("%a") == "Mon"
    assert monday - before == WEEK - 3600  # the week held only 167 hours
    # The trap this avoids: UTC minus seven days lands at 09:00 local, an hour off.
    assert local(monday - WEEK).hour == 9


def test_last_week_after_fall_back_is_the_same_wall_time_on_the_same_weekday() -> None:
    monday = at(2026, 10, 26, 10, 0)  # CET, UTC+1
    before = shift_days(monday, BERLIN, -7)
    assert local(before).replace(tzinfo=None) == datetime(2026, 10, 19, 10, 0)  # CEST
    assert monday - before == WEEK + 3600
    assert local(monday - WEEK).hour == 11


def test_a_reference_bucket_lands_on_todays_axis_at_its_wall_time() -> None:
    last_monday_10 = at(2026, 3, 23, 10, 0)
    [[ms, value]] = overlay_points({7: [(last_monday_10, 42.0)]}, BERLIN)
    assert value == 42.0
    assert local(ms / 1000).replace(tzinfo=None) == datetime(2026, 3, 30, 10, 0)


def test_the_four_weekday_average_lines_up_weeks_on_both_sides_of_the_change() -> None:
    # Tuesday 2026-04-07 (summer time): the same weekdays back are 03-31 (summer), then
    # 03-24, 03-17, 03-10 (winter time). All four 09:30s meet on today's 09:30.
    today = datetime(2026, 4, 7, 9, 30)
    days = {
        7: [(at(2026, 3, 31, 9, 30), 70.0)],
        14: [(at(2026, 3, 24, 9, 30), 140.0)],
        21: [(at(2026, 3, 17, 9, 30), 210.0)],
        28: [(at(2026, 3, 10, 9, 30), 280.0)],
    }
    points = overlay_points(days, BERLIN)
    assert len(points) == 1, points  # one instant: an hour's slip would make two
    assert local(points[0][0] / 1000).replace(tzinfo=None) == today
    assert points[0][1] == (70 + 140 + 210 + 280) / 4


def test_days_are_23_and_25_hours_long_on_the_change_days() -> None:
    spring = at(2026, 3, 29, 12, 0)
    assert next_day_start(spring, BERLIN) - day_start(spring, BERLIN) == 23 * 3600
    autumn = at(2026, 10, 25, 12, 0)
    assert next_day_start(autumn, BERLIN) - day_start(autumn, BERLIN) == 25 * 3600
    assert local(day_start(autumn, BERLIN, 7)).replace(tzinfo=None) == datetime(2026, 10, 18)


def test_the_twice_lived_hour_keeps_its_fold() -> None:
    first = datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=BERLIN).timestamp()  # CEST
    second = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN).timestamp()  # CET, an hour later
    assert second - first == 3600
    assert local(shift_days(first, BERLIN, 1)).replace(tzinfo=None) == datetime(2026, 10, 26, 2, 30)
    assert local(shift_days(second, BERLIN, 1)).replace(tzinfo=None) == datetime(2026, 10, 26, 2, 30)


def test_the_label_names_the_weekday_in_the_dashboards_zone() -> None:
    late_sunday_utc = at(2026, 3, 29, 23, 30, zone=ZoneInfo("UTC"))  # already Monday in Berlin
    assert compare_label("last-week", late_sunday_utc, BERLIN) == "last Mon"
    assert compare_label("four-weeks", late_sunday_utc, BERLIN) == "avg of 4 Mon"
    assert compare_label("yesterday", late_sunday_utc, BERLIN) == "yesterday"
