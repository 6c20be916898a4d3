"""Intraday rows and comparison lines read from known buckets (dashboard/history/
intraday.py, compare.py through page_extras.py): exact values, in the dashboard's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from dashboard.boards.files import import_dashboards
from dashboard.boards.models import Dashboard, Statistic, Widget
from dashboard.boards.page_config import dashboard_config
from dashboard.history.models import HistoryBucket
from dashboard.history.page_extras import page_day, widget_extras

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
QUEUE = "8001@SIP_Switch"


def queue_stat(name: str, unit: str = "count") -> dict:
    return {"name": name, "objectType": "Queue", "objectId": QUEUE, "label": "Sales", "unit": unit}


def make_board() -> Dashboard:
    import_dashboards(
        {
            "dashboards": [
                {
                    "slug": "probe",
                    "title": "Probe",
                    "timeZone": "Europe/Berlin",
                    "widgets": [
                        {
                            "type": "intraday",
                            "title": "Today",
                            "interval": 15,
                            "statistics": [
                                queue_stat("TotalNumberInboundCalls"),
                                queue_stat("ServiceFactor", "percent"),
                                queue_stat("CurrentNumberWaitingCalls"),  # no intraday column: left out
                            ],
                        },
                        {
                            "type": "line",
                            "title": "Offered",
                            "statistics": [queue_stat("TotalNumberInboundCalls")],
                            "compare": "last-week",
                        },
                    ],
                }
            ]
        }
    )
    return Dashboard.objects.get(slug="probe")


def bucket(name: str, local: datetime, low: float, last: float) -> None:
    HistoryBucket.objects.create(
        statistic=Statistic.objects.get(name=name),
        interval=300,
        start=local.replace(tzinfo=BERLIN).astimezone(UTC),
        min=low,
        max=last,
        last=last,
        count=60,
    )


def test_intraday_rows_count_per_interval_from_local_midnight() -> None:
    dashboard = make_board()
    # Yesterday's last bucket (the counter's value before the day), then today's in Berlin.
    bucket("TotalNumberInboundCalls", datetime(2026, 11, 29, 23, 55), 490, 500)
    bucket("TotalNumberInboundCalls", datetime(2026, 11, 30, 0, 0), 0, 4)  # restarted at midnight
    bucket("TotalNumberInboundCalls", datetime(2026, 11, 30, 0, 10), 4, 9)
    bucket("TotalNumberInboundCalls", datetime(2026, 11, 30, 0, 20), 9, 15)
    bucket("ServiceFactor", datetime(2026, 11, 30, 0, 5), 80, 91.5)
    bucket("ServiceFactor", datetime(2026, 11, 30, 0, 25), 85, 88.0)
    now = datetime(2026, 11, 30, 0, 40, tzinfo=BERLIN).timestamp()

    intraday = widget_extras(Widget.objects.get(kind="intraday"), dashboard, now)["intraday"]

    assert intraday["interval"] == 900
    assert intraday["columns"] == ["offered", "serviceLevel"]
    day = datetime(2026, 11, 30, tzinfo=BERLIN).timestamp() * 1000
    assert intraday["starts"] == [day, day + 900_000, day + 1_800_000]
    [queue] = intraday["queues"]
    assert queue["label"] == "Sales" and set(queue["stats"]) == {"offered", "serviceLevel"}
    assert queue["values"] == {"offered": [9, 6, None], "serviceLevel": [91.5, 88.0, None]}
    assert queue["baseline"]["offered"] == 15  # the live row counts from here


def test_the_compare_line_puts_last_weeks_buckets_on_todays_axis() -> None:
    dashboard = make_board()
    bucket("TotalNumberInboundCalls", datetime(2026, 11, 23, 9, 0), 100, 110)
    bucket("TotalNumberInboundCalls", datetime(2026, 11, 23, 9, 5), 110, 125)
    bucket("TotalNumberInboundCalls", datetime(2026, 11, 16, 9, 0), 1, 2)  # two weeks back: not last week
    now = datetime(2026, 11, 30, 9, 7, tzinfo=BERLIN).timestamp()

    compare = widget_extras(Widget.objects.get(kind="line"), dashboard, now)["compare"]

    key = Statistic.objects.get(name="TotalNumberInboundCalls").key
    nine_five = datetime(2026, 11, 30, 9, 5, tzinfo=BERLIN).timestamp() * 1000
    assert compare["mode"] == "last-week" and compare["label"] == "last Mon"
    assert compare["series"] == {key: [[nine_five, 110.0], [nine_five + 300_000, 125.0]]}


def test_the_page_config_carries_the_day_and_the_extras() -> None:
    dashboard = make_board()
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC).timestamp()
    day = page_day(dashboard, now)["day"]
    assert day["timeZone"] == "Europe/Berlin"
    assert day["start"] == datetime(2026, 11, 30, tzinfo=BERLIN).timestamp() * 1000
    assert day["next"] - day["start"] == 86_400_000
    config = dashboard_config(dashboard)
    kinds = {w["kind"]: w for w in config["widgets"]}
    assert "intraday" in kinds["intraday"] and "compare" in kinds["line"]
    assert config["day"]["timeZone"] == "Europe/Berlin"
