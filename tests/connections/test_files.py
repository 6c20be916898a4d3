"""Dashboard files carry a statistic's connection by name: omitted for `default` (files
of a single-upstream deployment are unchanged), an unknown name is a clear error and
changes nothing, and export then import round-trips."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dashboard.boards.files import DashboardFileError, export_dashboards, import_dashboards
from dashboard.boards.models import Dashboard, Statistic
from dashboard.connections.models import Connection
from statsbridge.simulator.tenants import BRAND_B_CREDENTIALS as B
from tests.connections.helpers import connection_for

pytestmark = pytest.mark.django_db


def mixed(connection: str | None = "brand-b") -> dict:
    theirs = {
        "name": "CurrentNumberWaitingCalls",
        "objectType": "Queue",
        "objectId": "9001@SIP_Switch",
        "unit": "count",
    }
    if connection:
        theirs["connection"] = connection
    mine = {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch", "unit": "count"}
    return {
        "dashboards": [
            {
                "slug": "brands",
                "title": "Brands",
                "columns": 4,
                "groups": [],
                "widgets": [{"type": "bar", "title": "Waiting", "width": 1, "statistics": [mine, theirs]}],
            }
        ],
        "wallboards": [],
    }


def test_a_mixed_dashboard_round_trips_with_connection_names() -> None:
    connection_for("brand-b", "http://127.0.0.1:1", B)
    summary = import_dashboards(mixed())
    assert summary.created == ["dashboard brands"]
    by_queue = {s.object_id: s for s in Statistic.objects.select_related("connection")}
    assert by_queue["9001@SIP_Switch"].connection.name == "brand-b"
    assert by_queue["8001@SIP_Switch"].connection is None

    exported = export_dashboards(["brands"])
    stats = exported["dashboards"][0]["widgets"][0]["statistics"]
    assert [s.get("connection") for s in stats] == [None, "brand-b"]  # default: no key at all
    assert "connection" not in stats[0]
    assert json.dumps(exported).count(B.api_key) == 0  # settings and secrets never travel

    again = import_dashboards(exported)
    assert again.unchanged == ["dashboard brands"] and not again.updated


def test_the_same_statistic_of_two_connections_stays_two_rows() -> None:
    connection_for("brand-b", "http://127.0.0.1:1", B)
    data = mixed()
    data["dashboards"][0]["widgets"][0]["statistics"][1]["objectId"] = "8001@SIP_Switch"  # same ids, two tenants
    import_dashboards(data)
    assert Statistic.objects.count() == 2
    assert import_dashboards(data).unchanged == ["dashboard brands"]


def test_an_unknown_connection_is_a_clear_error_and_changes_nothing() -> None:
    with pytest.raises(DashboardFileError) as error:
        import_dashboards(mixed("brand-z"))
    message = str(error.value)
    assert "dashboards[0].widgets[0].statistics[1].connection: unknown connection 'brand-z'" in message
    assert "default" in message  # says what this deployment has
    assert not Dashboard.objects.exists() and not Statistic.objects.exists()


def test_a_file_naming_default_or_none_is_todays_file() -> None:
    import_dashboards(mixed(None))
    assert not Statistic.objects.exclude(connection=None).exists()
    assert import_dashboards(mixed("default")).unchanged == ["dashboard brands"]
    assert not Connection.objects.exists()


def test_the_commands_carry_the_connection(tmp_path: object) -> None:
    connection_for("brand-b", "http://127.0.0.1:1", B)
    import_dashboards(mixed())
    out = StringIO()
    call_command("export_dashboards", "brands", stdout=out)
    assert '"connection": "brand-b"' in out.getvalue()
    path = tmp_path / "brands.json"  # type: ignore[operator]
    path.write_text(json.dumps(mixed("brand-z")))
    err = StringIO()
    with pytest.raises((SystemExit, CommandError)):
        call_command("import_dashboards", str(path), stdout=StringIO(), stderr=err)
    assert "unknown connection 'brand-z'" in err.getvalue()
