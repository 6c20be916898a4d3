"""Dashboard files (dashboard/boards/files.py): the interfaces.md format imports,
import is idempotent and all-or-nothing, export round-trips."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth.models import Group

from dashboard.boards.demo import demo_file
from dashboard.boards.files import DashboardFileError, export_dashboards, import_dashboards
from dashboard.boards.models import Dashboard, Statistic, Wallboard, WallboardPage, Widget, WidgetStatistic

pytestmark = pytest.mark.django_db

AHT = {
    "category": "AverageTime",
    "subject": "AgentStatus",
    "mainMask": "CallInbound",
    "intervalType": "GrowingWindow",
    "notificationMode": "Periodical",
    "notificationFrequency": 5,
}

# The example of ../shared/interfaces.md, verbatim.
EXAMPLE: dict[str, Any] = {
    "dashboards": [
        {
            "slug": "probe",
            "title": "Probe",
            "widgets": [
                {
                    "type": "kpi",
                    "title": "Calls waiting",
                    "statistics": [
                        {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch"}
                    ],
                    "thresholds": {"warning": 5, "critical": 10, "direction": "above"},
                },
                {
                    "type": "line",
                    "title": "Handling time",
                    "statistics": [
                        {
                            "label": "AHT",
                            "unit": "duration",
                            "objectType": "GroupAgents",
                            "objectId": "Sales",
                            "definition": AHT,
                        }
                    ],
                },
            ],
        }
    ],
    "wallboards": [{"slug": "floor", "title": "Floor", "dashboards": ["probe"], "rotate_seconds": 30}],
}
MODELS = (Dashboard, Widget, Statistic, WidgetStatistic, Wallboard, WallboardPage, Group)


def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def row_ids() -> dict[str, list[int]]:
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def invalid_file() -> dict[str, Any]:
    data = example()
    widgets = data["dashboards"][0]["widgets"]
    widgets[0]["statistics"][0]["objectType"] = "Queu"
    widgets[1]["type"] = "sparkline"
    data["wallboards"][0]["dashboards"] = ["probe", "nowhere"]
    return data


def test_interfaces_example_imports() -> None:
    summary = import_dashboards(example())

    assert summary.created == ["dashboard probe", "wallboard floor"]
    probe = Dashboard.objects.get(slug="probe")
    kpi, line = probe.widgets.all()
    assert (kpi.kind, kpi.title, kpi.thresholds()) == (
        "kpi",
        "Calls waiting",
        {"warning": 5, "critical": 10, "direction": "above"},
    )
    assert kpi.statistics.get().descriptor() == {
        "objectType": "Queue",
        "objectId": "8001@SIP_Switch",
        "name": "CurrentNumberWaitingCalls",
    }
    aht = line.statistics.get()
    assert (line.kind, aht.label, aht.unit, aht.object_type, aht.object_id, aht.name) == (
        "line",
        "AHT",
        "duration",
        "GroupAgents",
        "Sales",
        "",
    )
    assert aht.definition == AHT
    floor = Wallboard.objects.get(slug="floor")
    assert floor.pages() == [probe] and floor.rotate_seconds == 30


def test_importing_twice_changes_nothing_the_second_time() -> None:
    import_dashboards(example())
    before = row_ids()

    summary = import_dashboards(example())

    assert (summary.created, summary.updated) == ([], [])
    assert summary.unchanged == ["dashboard probe", "wallboard floor"]
    assert str(summary) == "0 created, 0 updated, 2 unchanged"
    assert row_ids() == before


def test_import_names_every_error_by_path() -> None:
    with pytest.raises(DashboardFileError) as raised:
        import_dashboards(invalid_file())

    errors = raised.value.errors
    assert len(errors) == 3, errors
    assert errors[0].startswith("dashboards[0].widgets[0].statistics[0].objectType:")
    assert errors[1].startswith("dashboards[0].widgets[1].type:")
    assert errors[2].startswith("wallboards[0].dashboards:") and "'nowhere'" in errors[2]


def test_import_is_all_or_nothing() -> None:
    before = rows()

    with pytest.raises(DashboardFileError):
        import_dashboards(invalid_file())

    assert rows() == before


def test_a_valid_dashboard_before_an_invalid_one_is_not_imported() -> None:
    data = invalid_file()
    valid = example()["dashboards"][0] | {"slug": "valid", "title": "Valid"}
    data["dashboards"].insert(0, valid)
    before = rows()

    with pytest.raises(DashboardFileError) as raised:
        import_dashboards(data)

    assert raised.value.errors[0].startswith("dashboards[1].widgets[0]")
    assert rows() == before
    assert not Dashboard.objects.filter(slug="valid").exists()


def test_an_invalid_file_leaves_existing_dashboards_as_they_were() -> None:
    import_dashboards(example())
    before, exported = row_ids(), export_dashboards()
    data = invalid_file()
    data["dashboards"][0]["title"] = "Renamed"

    with pytest.raises(DashboardFileError):
        import_dashboards(data)

    assert (row_ids(), export_dashboards()) == (before, exported)


def test_export_then_import_is_unchanged() -> None:
    import_dashboards(example())
    exported = export_dashboards()
    before = row_ids()

    summary = import_dashboards(exported)

    assert (summary.created, summary.updated) == ([], [])
    assert len(summary.unchanged) == 2
    assert row_ids() == before
    assert export_dashboards() == exported


def test_export_of_changed_content_updates_the_other_environment() -> None:
    import_dashboards(example())
    widget = Widget.objects.get(title="Calls waiting")
    widget.critical = 20
    widget.save()
    exported = export_dashboards(["probe"])
    Widget.objects.filter(pk=widget.pk).update(critical=10)

    summary = import_dashboards(exported)

    assert summary.updated == ["dashboard probe"]
    assert Widget.objects.get(title="Calls waiting").critical == 20


def test_demo_file_imports_cleanly() -> None:
    summary = import_dashboards(demo_file())

    assert sorted(summary.created) == [
        "dashboard agents",
        "dashboard queues",
        "dashboard service-level",
        "wallboard floor",
    ]
    assert import_dashboards(demo_file()).created == []


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda f: f["dashboards"][0].update(columns="wide"), "dashboards[0].columns: an integer from 1 to 12"),
        (lambda f: f["dashboards"][0].update(groups="ops"), "dashboards[0].groups: a list of names"),
        (lambda f: f["wallboards"][0].update(dashboards="probe"), "wallboards[0].dashboards: a list of names"),
        (lambda f: f["dashboards"].append(dict(f["dashboards"][0])), "dashboards[1].slug: 'probe' appears twice"),
        (lambda f: f["wallboards"][0].update(theme="neon-pink"), "wallboards[0].theme: one of dark, light"),
        (lambda f: f["dashboards"][0].update(title="x" * 121), "dashboards[0].title: a string of at most 120"),
    ],
)
def test_file_level_mistakes_are_named_and_change_nothing(mutate, message) -> None:  # type: ignore[no-untyped-def]
    data = example()
    mutate(data)
    before = rows()
    with pytest.raises(DashboardFileError) as raised:
        import_dashboards(data)
    assert any(e.startswith(message) for e in raised.value.errors), raised.value.errors
    assert rows() == before


def test_empty_thresholds_import_as_unchanged_the_second_time() -> None:
    data = example()
    data["dashboards"][0]["widgets"][1]["thresholds"] = {}
    import_dashboards(data)
    assert import_dashboards(data).unchanged and not import_dashboards(data).updated


def test_export_of_some_dashboards_only_carries_wallboards_it_can_satisfy() -> None:
    import_dashboards(example())
    import_dashboards(
        {
            "dashboards": [{"slug": "other", "title": "Other", "widgets": []}],
            "wallboards": [{"slug": "both", "title": "Both", "dashboards": ["probe", "other"]}],
        }
    )
    exported = export_dashboards(["probe"])
    assert [w["slug"] for w in exported["wallboards"]] == ["floor"]


def test_definition_errors_name_the_field_once() -> None:
    data = example()
    data["dashboards"][0]["widgets"][1]["statistics"][0]["definition"] = {
        "category": "AverageTime",
        "insensitivity": "1",
    }
    with pytest.raises(DashboardFileError) as raised:
        import_dashboards(data)
    assert raised.value.errors == [
        "dashboards[0].widgets[1].statistics[0].definition: insensitivity: expected a number, got string"
    ]


def test_definitions_with_names_we_do_not_know_import_with_warnings() -> None:
    data = example()
    data["dashboards"][0]["widgets"][1]["statistics"][0]["definition"] = {
        "category": "CurrentStateReasons",
        "subject": "AgentStatus",
        "mainMask": "NotReadyForNextCall,Lunch",
        "objects": "GroupAgents",
        "timeProfile": "Default",
        "bogus": 1,
    }

    summary = import_dashboards(data)

    assert summary.created and Statistic.objects.filter(definition__category="CurrentStateReasons").exists()
    where = "dashboards[0].widgets[1].statistics[0].definition"
    assert [w.split(":")[0] for w in summary.warnings] == [f"{where}.mainMask", f"{where}.bogus"]
    assert "action 'Lunch' is not one we know" in summary.warnings[0]
    assert "warning: " + summary.warnings[1] in str(summary)  # what import_dashboards prints
