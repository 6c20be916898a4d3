"""A new dashboard from the home page: created empty, then built in the editor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dashboard.boards.models import Dashboard
from tests.builder.conftest import post

pytestmark = pytest.mark.django_db


def test_an_editor_creates_an_empty_dashboard_and_lands_in_the_builder(editor: Client) -> None:
    home = editor.get("/").content.decode()
    assert 'action="/builder/new"' in home
    token = editor.cookies["csrftoken"].value
    reply = editor.post("/builder/new", {"title": "Agents", "csrfmiddlewaretoken": token})
    assert reply.status_code == 302 and reply["Location"] == "/dashboards/agents-2/edit/"  # "agents" is taken
    created = Dashboard.objects.get(slug="agents-2")
    assert created.title == "Agents" and not created.widgets.exists() and not created.groups.exists()
    document = editor.get("/dashboards/agents-2/edit/state").json()["document"]
    document["groups"] = ["Supervisors"]
    document["widgets"] = [
        {
            "type": "kpi",
            "title": "Calls waiting",
            "statistics": [
                {
                    "name": "CurrentNumberWaitingCalls",
                    "objectType": "Tenant",
                    "objectId": "Environment",
                    "unit": "count",
                }
            ],
        }
    ]
    post(editor, "/dashboards/agents-2/edit/draft", document)
    assert post(editor, "/dashboards/agents-2/edit/publish").status_code == 200
    assert [g.name for g in created.groups.all()] == ["Supervisors"] and created.widgets.count() == 1


def test_a_supervisor_cannot_create_dashboards(demo: None) -> None:
    client = Client()
    client.force_login(User.objects.create(username="sup"))
    assert 'action="/builder/new"' not in client.get("/").content.decode()
    assert client.post("/builder/new", {"title": "Mine"}).status_code == 403
    assert not Dashboard.objects.filter(title="Mine").exists()
