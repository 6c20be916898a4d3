"""Versions and drafts in the admin: listed read-only, with a link to the editor."""

from __future__ import annotations

import pytest
from django.test import Client

from dashboard.builder.models import DashboardDraft, DashboardVersion
from tests.builder.conftest import post

pytestmark = pytest.mark.django_db


def test_versions_and_drafts_are_listed_read_only(editor: Client) -> None:
    document = editor.get("/dashboards/agents/edit/state").json()["document"]
    post(editor, "/dashboards/agents/edit/draft", document)
    post(editor, "/dashboards/agents/edit/publish")
    post(editor, "/dashboards/agents/edit/draft", document)
    for model, row in (
        ("dashboardversion", DashboardVersion.objects.first()),
        ("dashboarddraft", DashboardDraft.objects.get()),
    ):
        page = editor.get(f"/admin/dashboard/{model}/")
        assert page.status_code == 200 and 'href="/dashboards/agents/edit/"' in page.content.decode()
        assert editor.get(f"/admin/dashboard/{model}/add/").status_code == 403
        assert editor.get(f"/admin/dashboard/{model}/{row.pk}/change/").status_code == 200  # view only
