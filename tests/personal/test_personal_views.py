"""Personal dashboards through Django's test client: who may copy, see and arrange
them, and that the shared dashboard is never changed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from dashboard.boards.demo import SUPERVISORS_GROUP, ensure_demo_content
from dashboard.boards.models import Dashboard
from dashboard.personal.arrange import arranged, moved
from dashboard.personal.models import PersonalDashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Dashboard:
    ensure_demo_content(logins=True)
    return Dashboard.objects.get(slug="agents")


def supervisor(name: str = "sam") -> Client:
    user = User.objects.create_user(name, password="pw-" + name)
    user.groups.add(Group.objects.get(name=SUPERVISORS_GROUP))
    client = Client()
    client.force_login(user)
    return client


def shared_state(dashboard: Dashboard) -> list[tuple]:
    return list(dashboard.widgets.order_by("position", "id").values_list("id", "title", "position", "width"))


def test_arrangement_keeps_the_owners_order_and_appends_new_widgets() -> None:
    assert arranged([1, 2, 3, 4], order=[3, 1, 9], hidden=[1]) == [(3, True), (1, False), (2, True), (4, True)]
    assert moved([1, 2, 3], 3, -1) == [1, 3, 2]
    assert moved([1, 2, 3], 1, -1) == [1, 2, 3]


def test_a_supervisor_copies_rearranges_and_hides_without_touching_the_shared_one(demo: Dashboard) -> None:
    before = shared_state(demo)
    client = supervisor()
    response = client.post("/dashboards/agents/copy/")
    personal = PersonalDashboard.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/my/{personal.pk}/arrange/"
    first, second = personal.order[:2]
    client.post(f"/my/{personal.pk}/arrange/", {"action": f"down:{first}"})
    client.post(f"/my/{personal.pk}/arrange/", {"action": f"hide:{second}"})
    personal.refresh_from_db()
    assert personal.order[:2] == [second, first] and personal.hidden == [second]
    config = client.get(f"/my/{personal.pk}/").context["config"]["pages"][0]
    assert [w["id"] for w in config["widgets"]][0] == first and second not in [w["id"] for w in config["widgets"]]
    assert config["slug"] == "agents"  # the shared dashboard's socket: no statistic of its own
    assert shared_state(demo) == before


def test_only_the_owner_sees_a_personal_dashboard(demo: Dashboard) -> None:
    owner = supervisor("owner")
    owner.post("/dashboards/agents/copy/")
    personal = PersonalDashboard.objects.get()
    other = supervisor("other")
    assert other.get(f"/my/{personal.pk}/").status_code == 404
    assert other.post(f"/my/{personal.pk}/arrange/", {"action": "delete"}).status_code == 404
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    assert admin.get(f"/my/{personal.pk}/").status_code == 404  # not even a superuser
    assert "My Agents" not in admin.get("/").content.decode()
    assert "My Agents" in owner.get("/").content.decode()
    assert PersonalDashboard.objects.filter(pk=personal.pk).exists()


def test_losing_the_shared_dashboard_closes_the_personal_one(demo: Dashboard) -> None:
    client = supervisor()
    client.post("/dashboards/agents/copy/")
    personal = PersonalDashboard.objects.get()
    assert client.get(f"/my/{personal.pk}/").status_code == 200
    demo.groups.clear()
    assert client.get(f"/my/{personal.pk}/").status_code == 404


def test_a_dashboard_one_may_not_see_cannot_be_copied(demo: Dashboard) -> None:
    stranger = Client()
    stranger.force_login(User.objects.create_user("stranger", password="pw-stranger"))
    assert stranger.post("/dashboards/agents/copy/").status_code == 404
    assert not PersonalDashboard.objects.exists()


def test_the_admin_lists_personal_dashboards_read_only(demo: Dashboard) -> None:
    supervisor("sam").post("/dashboards/agents/copy/")
    personal = PersonalDashboard.objects.get()
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    listing = admin.get("/admin/dashboard/personaldashboard/").content.decode()
    assert "My Agents" in listing and "sam" in listing
    assert admin.get(f"/admin/dashboard/personaldashboard/{personal.pk}/change/").status_code == 200
    assert admin.get("/admin/dashboard/personaldashboard/add/").status_code == 403
