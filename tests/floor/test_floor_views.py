"""Messages to the floor through Django's test client: the text rule, who may post
and withdraw, and what the admin lists."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from dashboard.boards.demo import SUPERVISORS_GROUP, ensure_demo_content
from dashboard.boards.models import Wallboard
from dashboard.floor.forms import plain_line
from dashboard.floor.models import FloorMessage
from dashboard.floor.routes import load_active

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    ensure_demo_content(logins=True)


def signed_in(name: str, group: bool = True) -> Client:
    user = User.objects.create_user(name, password="pw-" + name)
    if group:
        user.groups.add(Group.objects.get(name=SUPERVISORS_GROUP))
    client = Client()
    client.force_login(user)
    return client


def test_text_is_one_plain_line() -> None:
    assert plain_line("  Fire\ndrill\u202e now\u200b!\t ") == "Fire drill now !"
    assert plain_line("<b>bold</b>") == "<b>bold</b>"  # kept as characters; pages set textContent


def test_a_supervisor_posts_and_the_service_routes_it_to_the_wallboards_dashboards(demo: None) -> None:
    client = signed_in("sam")
    response = client.post(
        "/messages/", {"text": "Huddle at 3", "level": "info", "style": "banner", "minutes": 15, "wallboards": "floor"}
    )
    assert response.status_code == 302
    message = FloorMessage.objects.get()
    assert (message.author_name, message.author.username) == ("sam", "sam")
    [active] = load_active().values()
    assert active.frame["text"] == "Huddle at 3" and active.frame["wallboards"] == ["floor"]
    assert active.dashboards == set(Wallboard.objects.get(slug="floor").dashboards.values_list("slug", flat=True))


def test_too_long_or_empty_text_is_refused(demo: None) -> None:
    client = signed_in("sam")
    for text in ("x" * 281, " \n "):
        response = client.post(
            "/messages/", {"text": text, "level": "info", "style": "banner", "minutes": 15, "wallboards": "floor"}
        )
        assert response.status_code == 400
    assert not FloorMessage.objects.exists()


def test_a_user_who_sees_none_of_its_dashboards_cannot_post_or_withdraw(demo: None) -> None:
    stranger = signed_in("stranger", group=False)
    response = stranger.post(
        "/messages/", {"text": "hi", "level": "info", "style": "banner", "minutes": 15, "wallboards": "floor"}
    )
    assert response.status_code == 400 and not FloorMessage.objects.exists()
    signed_in("sam").post(
        "/messages/", {"text": "Huddle", "level": "urgent", "style": "ticker", "minutes": 5, "wallboards": "floor"}
    )
    message = FloorMessage.objects.get()
    assert stranger.post(f"/messages/{message.pk}/withdraw/").status_code == 404
    message.refresh_from_db()
    assert message.withdrawn_at is None


def test_withdrawn_messages_leave_the_active_set_and_the_admin_lists_who(demo: None) -> None:
    sam = signed_in("sam")
    sam.post("/messages/", {"text": "Huddle", "level": "info", "style": "banner", "minutes": 5, "wallboards": "floor"})
    message = FloorMessage.objects.get()
    assert sam.post(f"/messages/{message.pk}/withdraw/").status_code == 302
    message.refresh_from_db()
    assert message.withdrawn_by == "sam" and load_active() == {}
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    listing = admin.get("/admin/dashboard/floormessage/").content.decode()
    assert "Huddle" in listing and "sam" in listing
