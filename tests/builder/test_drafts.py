"""Draft, publish, discard, restore: the draft never reaches screens before Publish,
publishing is all-or-nothing and sends the `config` frame, every publish is a version."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.test import Client

from dashboard.boards.files import dashboard_entry
from dashboard.boards.models import Dashboard
from dashboard.builder.models import DashboardDraft, DashboardVersion
from tests.builder.conftest import post
from tests.realtime.test_config_reload import frames_until
from tests.realtime.test_consumer import communicator_for, supervisor

NEW_TILE = {
    "type": "kpi",
    "title": "Waiting now",
    "width": 2,
    "statistics": [
        {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch", "unit": "count"}
    ],
    "thresholds": {"warning": 5, "critical": 10, "direction": "above"},
}


def draft_with_tile(client: Client, slug: str = "agents") -> dict:
    document = client.get(f"/dashboards/{slug}/edit/state").json()["document"]
    document["widgets"].insert(0, NEW_TILE)
    return document


def titles(slug: str = "agents") -> list[str]:
    return [w["title"] for w in dashboard_entry(Dashboard.objects.get(slug=slug))["widgets"]]


@pytest.mark.django_db
def test_a_saved_draft_changes_nothing_on_the_dashboard(editor: Client) -> None:
    before = titles()
    reply = post(editor, "/dashboards/agents/edit/draft", draft_with_tile(editor))
    assert reply.status_code == 200 and reply.json()["hasDraft"] and reply.json()["problems"] == []
    assert titles() == before
    assert editor.get("/dashboards/agents/edit/state").json()["document"]["widgets"][0]["title"] == "Waiting now"


@pytest.mark.django_db
def test_publish_applies_the_draft_and_keeps_versions_to_restore(editor: Client) -> None:
    before = titles()
    post(editor, "/dashboards/agents/edit/draft", draft_with_tile(editor))
    reply = post(editor, "/dashboards/agents/edit/publish")
    assert reply.status_code == 200, reply.json()
    assert titles() == ["Waiting now", *before] and not DashboardDraft.objects.exists()
    numbers = [v["number"] for v in reply.json()["versions"]]
    assert numbers == [1, 0]  # the first publish is 1; 0 = as it was before it
    restored = post(editor, "/dashboards/agents/edit/versions/0/restore")
    assert restored.json()["hasDraft"] and titles()[0] == "Waiting now"  # a draft only
    assert post(editor, "/dashboards/agents/edit/publish").status_code == 200
    assert titles() == before
    assert DashboardVersion.objects.filter(dashboard__slug="agents").count() == 3
    assert (
        post(editor, "/dashboards/agents/edit/versions/2/restore").json()["document"]["widgets"][0]["title"]
        == (before[0])
    )


@pytest.mark.django_db
def test_the_first_publish_of_a_new_dashboard_is_version_1(editor: Client) -> None:
    """A board new from the builder is empty: nothing to keep before it, so no version 0."""
    created = editor.post("/builder/new", {"title": "Fresh board"}, headers={"X-CSRFToken": _token(editor)})
    assert created.status_code == 302
    document = editor.get("/dashboards/fresh-board/edit/state").json()["document"]
    document["widgets"] = [NEW_TILE]
    post(editor, "/dashboards/fresh-board/edit/draft", document)
    reply = post(editor, "/dashboards/fresh-board/edit/publish")
    assert reply.status_code == 200 and reply.json()["published"] == 1, reply.json()
    assert [v["number"] for v in reply.json()["versions"]] == [1]
    document["widgets"] = [NEW_TILE, {**NEW_TILE, "title": "Second"}]
    post(editor, "/dashboards/fresh-board/edit/draft", document)
    assert post(editor, "/dashboards/fresh-board/edit/publish").json()["published"] == 2
    post(editor, "/dashboards/fresh-board/edit/versions/1/restore")
    assert post(editor, "/dashboards/fresh-board/edit/publish").json()["published"] == 3
    assert titles("fresh-board") == ["Waiting now"]


def _token(client: Client) -> str:
    client.get("/dashboards/agents/edit/")
    return client.cookies["csrftoken"].value


@pytest.mark.django_db
def test_a_bad_draft_is_refused_with_its_place_and_changes_nothing(editor: Client) -> None:
    before = titles()
    document = draft_with_tile(editor)
    document["widgets"].append(
        {
            "type": "kpi",
            "title": "Broken",
            "statistics": [
                {
                    "objectType": "Queue",
                    "objectId": "8001@SIP_Switch",
                    "definition": {"category": "CurrentNumber", "subject": "DNAction", "notificationFrequency": "5"},
                }
            ],
        }
    )
    post(editor, "/dashboards/agents/edit/draft", document)
    reply = post(editor, "/dashboards/agents/edit/publish")
    assert reply.status_code == 400
    problems = reply.json()["problems"]
    assert any("statistics[0].definition" in p and "notificationFrequency" in p for p in problems), problems
    assert titles() == before and DashboardDraft.objects.exists()
    assert not DashboardVersion.objects.exists()


@pytest.mark.django_db
def test_unknown_names_are_warned_about_and_published(editor: Client) -> None:
    document = draft_with_tile(editor)
    document["widgets"][0]["statistics"] = [
        {
            "objectType": "Queue",
            "objectId": "8001@SIP_Switch",
            "unit": "count",
            "definition": {"category": "CurrentNumbr", "subject": "DNAction"},
        }
    ]
    state = post(editor, "/dashboards/agents/edit/draft", document).json()
    assert state["problems"] == []
    assert any(
        "widgets[0].statistics[0].definition.category" in w and "CurrentNumber" in w for w in state["warnings"]
    ), state["warnings"]
    assert post(editor, "/dashboards/agents/edit/publish").status_code == 200


@pytest.mark.django_db
def test_discard_drops_the_draft(editor: Client) -> None:
    before = titles()
    post(editor, "/dashboards/agents/edit/draft", draft_with_tile(editor))
    reply = post(editor, "/dashboards/agents/edit/discard")
    assert not reply.json()["hasDraft"] and not DashboardDraft.objects.exists()
    assert [w["title"] for w in reply.json()["document"]["widgets"]] == before == titles()


@pytest.mark.django_db
def test_the_builder_round_trips_through_export(editor: Client) -> None:
    post(editor, "/dashboards/agents/edit/draft", draft_with_tile(editor))
    post(editor, "/dashboards/agents/edit/publish")
    version = DashboardVersion.objects.filter(dashboard__slug="agents").first()
    assert version.document == dashboard_entry(Dashboard.objects.get(slug="agents"))
    assert version.document["widgets"][0] == {
        **NEW_TILE,
        "thresholds": {**NEW_TILE["thresholds"], "warning": 5.0, "critical": 10.0},
    }


@pytest.mark.django_db(transaction=True)
async def test_only_publish_sends_the_config_frame_to_the_dashboards_sockets(bridge_and_simulator) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    admin = await sync_to_async(User.objects.create)(username="ed", is_staff=True, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    await sync_to_async(client.force_login)(admin)
    ws = await communicator_for("/ws/dashboards/agents/", await supervisor())
    assert (await ws.connect())[0]
    assert "snapshot" in [f["type"] for f in await frames_until(ws, "snapshot", 15)]
    await sync_to_async(post)(client, "/dashboards/agents/edit/draft", await sync_to_async(draft_with_tile)(client))
    assert not [f for f in await frames_until(ws, "config", 3) if f["type"] == "config"]
    reply = await sync_to_async(post)(client, "/dashboards/agents/edit/publish")
    assert reply.status_code == 200
    assert [f for f in await frames_until(ws, "config", 15) if f["type"] == "config"] == [{"type": "config"}]
    await ws.disconnect()


@pytest.mark.django_db
def test_the_preview_shows_the_draft_and_saves_nothing(editor: Client) -> None:
    before = dashboard_entry(Dashboard.objects.get(slug="agents"))
    post(editor, "/dashboards/agents/edit/draft", draft_with_tile(editor))
    page = editor.get("/dashboards/agents/edit/preview")
    assert page.status_code == 200 and '"title": "Waiting now"' in page.content.decode()
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"] and page["X-Frame-Options"] == "SAMEORIGIN"
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert dashboard_entry(Dashboard.objects.get(slug="agents")) == before
    assert editor.get("/dashboards/agents/").get("X-Frame-Options") == "DENY"  # only the preview may be framed


@pytest.mark.django_db
def test_publishing_over_someone_elses_change_asks_first(editor: Client) -> None:
    post(editor, "/dashboards/agents/edit/draft", draft_with_tile(editor))
    other = Dashboard.objects.get(slug="agents").widgets.last()
    other.title = "Renamed in the admin"
    other.save()
    reply = post(editor, "/dashboards/agents/edit/publish")
    assert reply.status_code == 409 and reply.json()["changedMeanwhile"]
    assert "Renamed in the admin" in titles() and "Waiting now" not in titles()
    assert post(editor, "/dashboards/agents/edit/publish", {"overwrite": True}).status_code == 200
    assert "Waiting now" in titles() and "Renamed in the admin" not in titles()


def save_as(client: Client, document: dict, revision: int) -> object:
    """A save the way the page sends it: with the draft revision it last saw."""
    if "csrftoken" not in client.cookies:
        client.get("/dashboards/agents/edit/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    return client.post(
        "/dashboards/agents/edit/draft",
        json.dumps(document),
        content_type="application/json",
        headers={"X-CSRFToken": token, "X-Draft-Revision": str(revision)},
    )


@pytest.mark.django_db
def test_a_save_over_another_editors_newer_draft_is_refused_and_says_who(editor: Client) -> None:
    other = Client(enforce_csrf_checks=True)
    other.force_login(User.objects.create(username="second-editor", is_staff=True, is_superuser=True))
    mine = draft_with_tile(editor)  # loaded with no draft: revision 0
    theirs = draft_with_tile(other)
    theirs["widgets"][0] = {**NEW_TILE, "title": "Their tile"}  # NEW_TILE itself is shared
    assert save_as(other, theirs, 0).status_code == 200  # they save first: revision 1
    refused = save_as(editor, mine, 0)
    assert refused.status_code == 409 and refused.json()["conflict"], refused.json()
    assert "second-editor saved this draft at" in refused.json()["error"]
    assert refused.json()["draft"]["updatedBy"] == "second-editor" and refused.json()["draft"]["revision"] == 1
    assert DashboardDraft.objects.get().document["widgets"][0]["title"] == "Their tile"  # theirs is kept
    # Having loaded theirs (revision 1), the same change goes through, and names who else is editing.
    state = editor.get("/dashboards/agents/edit/state").json()
    assert state["draft"]["revision"] == 1 and [e["username"] for e in state["editors"]] == ["second-editor"]
    saved = save_as(editor, mine, 1)
    assert saved.status_code == 200 and saved.json()["draft"] == {
        **saved.json()["draft"],
        "revision": 2,
        "updatedBy": "builder-admin",
    }
    # Their page's check-in now shows my newer save; their stale save is refused naming me.
    seen = other.get("/dashboards/agents/edit/editing").json()
    assert seen["draft"]["updatedBy"] == "builder-admin" and [e["username"] for e in seen["editors"]] == [
        "builder-admin"
    ]
    assert "builder-admin saved this draft" in save_as(other, theirs, 1).json()["error"]


@pytest.mark.django_db
def test_a_save_after_the_draft_was_published_meanwhile_is_refused(editor: Client) -> None:
    document = draft_with_tile(editor)
    assert save_as(editor, document, 0).status_code == 200
    assert post(editor, "/dashboards/agents/edit/publish").status_code == 200
    refused = save_as(editor, document, 1)
    assert refused.status_code == 409 and "published or discarded meanwhile" in refused.json()["error"]
    assert save_as(editor, document, 0).status_code == 200  # based on what is there now: fine
