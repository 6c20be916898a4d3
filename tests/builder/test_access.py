"""Who may edit: superusers and holders of the permission; a supervisor without it
gets 403; a kiosk token never opens the editor; every POST needs the CSRF token."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from dashboard.access.policy import issue_token
from dashboard.boards.demo import SUPERVISORS_GROUP
from dashboard.boards.models import Wallboard
from dashboard.builder.models import DashboardDraft
from tests.builder.conftest import post

pytestmark = pytest.mark.django_db
EDITOR_PATHS = [
    "/dashboards/agents/edit/",
    "/dashboards/agents/edit/state",
    "/builder/catalog",
    "/builder/objects?type=Queue",
]


@pytest.fixture
def supervisor(demo: None) -> User:
    user = User.objects.create(username="sup")
    user.groups.add(Group.objects.get(name=SUPERVISORS_GROUP))
    return user


def test_a_supervisor_without_the_permission_gets_403(supervisor: User) -> None:
    client = Client()
    client.force_login(supervisor)
    assert client.get("/dashboards/agents/").status_code == 200  # may see it, not edit it
    for path in EDITOR_PATHS:
        assert client.get(path).status_code == 403, path
    reply = client.post("/dashboards/agents/edit/publish", "{}", content_type="application/json")
    assert reply.status_code == 403


@pytest.mark.parametrize("codename", ["edit_dashboards", "change_dashboard"])
def test_either_permission_opens_the_editor(supervisor: User, codename: str) -> None:
    supervisor.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)
    for path in EDITOR_PATHS:
        assert client.get(path).status_code == 200, path
    document = client.get("/dashboards/agents/edit/state").json()["document"]
    assert post(client, "/dashboards/agents/edit/draft", document).status_code == 200
    assert DashboardDraft.objects.get().updated_by == "sup"


def test_a_kiosk_token_never_opens_the_editor(demo: None) -> None:
    token = issue_token(Wallboard.objects.get(slug="floor"))
    client = Client()
    assert client.get(f"/wallboards/floor/?token={token}").status_code == 200  # the token is good
    page = client.get(f"/dashboards/agents/edit/?token={token}")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    for path in EDITOR_PATHS[1:]:
        assert client.get(f"{path}{'&' if '?' in path else '?'}token={token}").status_code == 403, path
    reply = client.post(f"/dashboards/agents/edit/publish?token={token}", "{}", content_type="application/json")
    assert reply.status_code == 403


def test_posts_without_the_csrf_token_are_refused(editor: Client) -> None:
    document = editor.get("/dashboards/agents/edit/state").json()["document"]
    reply = editor.post("/dashboards/agents/edit/draft", json.dumps(document), content_type="application/json")
    assert reply.status_code == 403 and not DashboardDraft.objects.exists()
