"""Time zones and languages through export_dashboards / import_dashboards: omitted when
default (files written before them are unchanged), kept when set, checked on import."""

from __future__ import annotations

import copy

import pytest

from dashboard.boards.demo import demo_file, ensure_demo_content
from dashboard.boards.files import DashboardFileError, export_dashboards, import_dashboards
from dashboard.boards.models import Dashboard, Wallboard

pytestmark = pytest.mark.django_db


def test_defaults_are_not_written() -> None:
    ensure_demo_content(logins=False)
    data = export_dashboards()
    assert all("timeZone" not in d for d in data["dashboards"])
    assert all("timeZone" not in w and "language" not in w for w in data["wallboards"])


def test_zone_and_language_round_trip() -> None:
    ensure_demo_content(logins=False)
    Dashboard.objects.filter(slug="agents").update(time_zone="Europe/Berlin")
    Wallboard.objects.filter(slug="floor").update(time_zone="Asia/Kolkata", language="de")
    data = export_dashboards()
    floor = next(w for w in data["wallboards"] if w["slug"] == "floor")
    assert floor["timeZone"] == "Asia/Kolkata" and floor["language"] == "de"
    assert next(d for d in data["dashboards"] if d["slug"] == "agents")["timeZone"] == "Europe/Berlin"
    Dashboard.objects.filter(slug="agents").update(time_zone="UTC")
    Wallboard.objects.filter(slug="floor").update(time_zone="UTC", language="")
    summary = import_dashboards(copy.deepcopy(data))
    assert "wallboard floor" in summary.updated and "dashboard agents" in summary.updated
    assert Dashboard.objects.get(slug="agents").time_zone == "Europe/Berlin"
    wallboard = Wallboard.objects.get(slug="floor")
    assert (wallboard.time_zone, wallboard.language) == ("Asia/Kolkata", "de")
    assert export_dashboards() == data
    again = import_dashboards(copy.deepcopy(data))
    assert "wallboard floor" in again.unchanged and "dashboard agents" in again.unchanged


def test_bad_zones_and_languages_are_refused_and_nothing_changes() -> None:
    data = demo_file()
    data["dashboards"][0]["timeZone"] = "Europe/Atlantis"
    data["wallboards"][0]["timeZone"] = "../etc/passwd"
    data["wallboards"][0]["language"] = "xx"
    with pytest.raises(DashboardFileError) as raised:
        import_dashboards(data)
    text = str(raised.value)
    assert "dashboards[0].timeZone" in text and "wallboards[0].timeZone" in text and "wallboards[0].language" in text
    assert not Dashboard.objects.exists()
