"""The subscription budget: counted like the bridge (one upstream statistic per
distinct descriptor), shown before publishing, and a publish past it is refused
with the numbers and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from dashboard.boards.files import dashboard_entry
from dashboard.boards.models import Dashboard
from dashboard.builder.budget import keys_by_dashboard, keys_of_document
from dashboard.builder.models import DashboardVersion
from tests.builder.conftest import post

pytestmark = pytest.mark.django_db


def agents_tile(count: int) -> dict:
    return {
        "type": "agent-grid",
        "title": "Many agents",
        "width": 4,
        "statistics": [
            {"name": "CurrentAgentState", "objectType": "Agent", "objectId": f"budget-agent-{i}", "unit": "count"}
            for i in range(count)
        ],
    }


def open_now() -> int:
    return len(set().union(*keys_by_dashboard().values()))


def test_the_budget_counts_what_the_draft_adds_and_removes(editor: Client) -> None:
    total = open_now()
    document = editor.get("/dashboards/agents/edit/state").json()["document"]
    removed = document["widgets"].pop()
    document["widgets"].append(agents_tile(3))
    budget = post(editor, "/dashboards/agents/edit/draft", document).json()["budget"]
    still_open = set().union(
        *(k for slug, k in keys_by_dashboard().items() if slug != "agents"), keys_of_document(document)
    )
    gone = keys_of_document({"widgets": [removed]}) - still_open
    assert budget["adds"] == 3 and budget["open_now"] == total and budget["limit"] == 5000
    assert gone and budget["removes"] == len(gone)
    assert budget["open_after"] == total + budget["adds"] - budget["removes"]


def test_a_publish_past_the_budget_is_refused_with_the_number(editor: Client, settings: object) -> None:
    total = open_now()
    settings.SUBSCRIPTION_BUDGET = total + 2  # type: ignore[attr-defined]
    before = dashboard_entry(Dashboard.objects.get(slug="agents"))
    document = editor.get("/dashboards/agents/edit/state").json()["document"]
    document["widgets"].append(agents_tile(5))
    assert post(editor, "/dashboards/agents/edit/draft", document).json()["budget"]["over"]
    reply = post(editor, "/dashboards/agents/edit/publish")
    assert reply.status_code == 409
    assert f"keep {total + 5} statistics open" in reply.json()["error"]
    assert f"budget of {total + 2}" in reply.json()["error"]
    assert dashboard_entry(Dashboard.objects.get(slug="agents")) == before
    assert not DashboardVersion.objects.exists()
    settings.SUBSCRIPTION_BUDGET = total + 5  # type: ignore[attr-defined]
    assert post(editor, "/dashboards/agents/edit/publish").status_code == 200


def test_removing_statistics_is_allowed_even_when_over_budget(editor: Client, settings: object) -> None:
    settings.SUBSCRIPTION_BUDGET = 1  # type: ignore[attr-defined]
    document = editor.get("/dashboards/agents/edit/state").json()["document"]
    document["widgets"].pop()
    post(editor, "/dashboards/agents/edit/draft", document)
    assert post(editor, "/dashboards/agents/edit/publish").status_code == 200
