"""History options in dashboard files (dashboard/history/files.py): a dashboard's
`timeZone`, a widget's `compare`, an intraday table's `interval` import, export and
import again unchanged; bad values are refused with their place; the admin edits them."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from dashboard.boards.files import DashboardFileError, export_dashboards, import_dashboards
from dashboard.boards.models import Dashboard, Widget

pytestmark = pytest.mark.django_db

STAT = {"name": "TotalNumberInboundCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch"}
FILE = {
    "dashboards": [
        {
            "slug": "probe",
            "title": "Probe",
            "timeZone": "America/New_York",
            "widgets": [
                {"type": "kpi", "title": "Offered", "statistics": [STAT], "compare": "four-weeks"},
                {"type": "line", "title": "Trend", "statistics": [STAT], "compare": "yesterday"},
                {"type": "intraday", "title": "Today", "statistics": [STAT], "interval": 15},
                {"type": "bar", "title": "Plain", "statistics": [STAT]},
            ],
        }
    ],
    "wallboards": [],
}


def test_history_options_round_trip_unchanged() -> None:
    import_dashboards(copy.deepcopy(FILE))
    dashboard = Dashboard.objects.get()
    assert dashboard.time_zone == "America/New_York"
    assert [(w.kind, w.compare, w.interval_minutes) for w in dashboard.widgets.all()] == [
        ("kpi", "four-weeks", 30),
        ("line", "yesterday", 30),
        ("intraday", "", 15),
        ("bar", "", 30),
    ]
    exported = export_dashboards()
    widgets = exported["dashboards"][0]["widgets"]
    assert exported["dashboards"][0]["timeZone"] == "America/New_York"
    assert [w.get("compare") for w in widgets] == ["four-weeks", "yesterday", None, None]
    assert [w.get("interval") for w in widgets] == [None, None, 15, None]
    summary = import_dashboards(exported)
    assert summary.unchanged == ["dashboard probe"] and export_dashboards() == exported


def test_a_file_without_them_gets_the_servers_zone_and_half_hours(settings: object) -> None:
    settings.TIME_ZONE = "Europe/Berlin"  # type: ignore[attr-defined]
    plain = copy.deepcopy(FILE)
    del plain["dashboards"][0]["timeZone"]
    del plain["dashboards"][0]["widgets"][2]["interval"]
    import_dashboards(plain)
    assert Dashboard.objects.get().time_zone == "Europe/Berlin"
    assert Widget.objects.get(kind="intraday").interval_minutes == 30
    assert import_dashboards(export_dashboards()).unchanged == ["dashboard probe"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(timeZone="Mars/Olympus"), "dashboards[0].timeZone: an IANA time zone name"),
        (lambda d: d.update(timeZone="../../etc/passwd"), "dashboards[0].timeZone: an IANA time zone name"),
        (lambda d: d["widgets"][0].update(compare="last-year"), "dashboards[0].widgets[0].compare: one of"),
        (lambda d: d["widgets"][3].update(compare="yesterday"), "widgets[3].compare: only line and kpi widgets"),
        (lambda d: d["widgets"][2].update(interval=20), "dashboards[0].widgets[2].interval: 15 or 30"),
        (lambda d: d["widgets"][0].update(interval=15), "widgets[0].interval: only intraday widgets"),
    ],
)
def test_bad_history_options_are_refused_with_their_place(change: object, message: str) -> None:
    bad = copy.deepcopy(FILE)
    change(bad["dashboards"][0])  # type: ignore[operator]
    with pytest.raises(DashboardFileError) as error:
        import_dashboards(bad)
    assert any(message in e for e in error.value.errors), error.value.errors
    assert not Dashboard.objects.exists()


def test_the_models_refuse_what_the_files_refuse() -> None:
    dashboard = Dashboard(slug="x", title="X", time_zone="Nowhere/Land")
    with pytest.raises(ValidationError, match="IANA"):
        dashboard.full_clean()
    with pytest.raises(ValidationError, match="Only line and KPI"):
        Widget(kind="bar", title="b", compare="yesterday").clean()


def test_the_admin_edits_the_comparison_and_the_zone(admin_client: Client) -> None:
    import_dashboards(copy.deepcopy(FILE))
    widget = Widget.objects.get(kind="kpi")
    page = admin_client.get(f"/admin/dashboard/widget/{widget.pk}/change/").content.decode()
    assert 'name="compare"' in page and 'name="interval_minutes"' in page
    page = admin_client.get(f"/admin/dashboard/dashboard/{widget.dashboard_id}/change/").content.decode()
    assert 'name="time_zone"' in page and "America/New_York" in page
