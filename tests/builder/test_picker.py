"""The statistic picker's calls: the catalog, object search, and "test this
statistic" against a real simulator over loopback."""

from __future__ import annotations

import pytest
from django.test import Client

from dashboard.builder.grammar import definition_fields
from dashboard.skills.models import AgentMapping
from tests.builder.conftest import post
from tests.support.dashboard_fixtures import simulator_url, upstream  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_catalog_offers_labelled_names_and_the_grammars_choices(editor: Client) -> None:
    catalog = editor.get("/builder/catalog").json()
    waiting = next(n for n in catalog["names"] if n["name"] == "CurrentNumberWaitingCalls")
    assert waiting["label"] == "Calls waiting" and waiting["unit"] == "count" and "Queue" in waiting["objectTypes"]
    fields = {f["name"]: f for f in catalog["definitionFields"]}
    assert "AverageTime" in fields["category"]["choices"] and "Periodical" in fields["notificationMode"]["choices"]
    assert "CallAnswered" in fields["mainMask"]["choices"] and "mainMask" in catalog["knownFields"]
    assert fields["notificationFrequency"]["type"] == "integer" and fields["notificationFrequency"]["minimum"] == 1
    assert fields["category"]["documented"] and not fields["intervalLength"]["documented"]
    assert "Agent" in catalog["objectTypes"]


def test_every_offered_choice_is_one_the_grammar_knows(editor: Client) -> None:
    from dashboard.boards.validation import definition_warnings

    for field in definition_fields():
        for choice in field["choices"] if field["kind"] == "choice" else []:
            definition = {"category": "CurrentNumber", "intervalLength": 60, field["name"]: choice}
            assert definition_warnings(definition) == [], (field["name"], choice)


def test_objects_are_browsed_by_type_with_search(editor: Client) -> None:
    AgentMapping.objects.create(agent_object_id="agent777", display_name="Zoë Example")
    queues = editor.get("/builder/objects?type=Queue&q=8003").json()["objects"]
    assert [o["objectId"] for o in queues] == ["8003@SIP_Switch"]
    agents = editor.get("/builder/objects?type=Agent&q=zo").json()["objects"]
    assert {"objectId": "agent777", "name": "Zoë Example", "source": "skills", "objectType": "Agent"} in agents
    assert editor.get("/builder/objects?type=Nope").status_code == 400


def test_peek_shows_the_current_value(editor: Client, upstream: str) -> None:  # noqa: F811
    reply = post(
        editor,
        "/builder/peek",
        {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch"},
    ).json()
    assert reply["ok"] and isinstance(reply["value"], (int, float)), reply


def test_peek_shows_the_upstreams_error(editor: Client, upstream: str) -> None:  # noqa: F811
    reply = post(
        editor,
        "/builder/peek",
        {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "9999@SIP_Switch"},
    ).json()
    assert not reply["ok"] and "no Queue '9999@SIP_Switch'" in reply["error"], reply
    assert "simulator-" not in reply["error"]


def test_peek_of_a_malformed_definition_names_the_field(editor: Client) -> None:
    reply = post(
        editor,
        "/builder/peek",
        {
            "objectType": "Queue",
            "objectId": "8001@SIP_Switch",
            "definition": {"category": "CurrentNumber", "notificationFrequency": 0},
        },
    ).json()
    assert not reply["ok"] and "notificationFrequency" in reply["error"], reply


def test_peek_of_an_ad_hoc_definition_shows_the_upstreams_verdict(editor: Client, upstream: str) -> None:  # noqa: F811
    good = post(
        editor,
        "/builder/peek",
        {
            "objectType": "Queue",
            "objectId": "8001@SIP_Switch",
            "definition": {
                "category": "CurrentNumber",
                "subject": "DNAction",
                "mainMask": "CallWait",
                "notificationMode": "Periodical",
                "notificationFrequency": 5,
            },
        },
    ).json()
    assert good["ok"] and isinstance(good["value"], (int, float)), good
    bad = post(
        editor,
        "/builder/peek",
        {
            "objectType": "Queue",
            "objectId": "8001@SIP_Switch",
            "definition": {"category": "CurrentNumber", "subject": "DNActon"},
        },
    ).json()
    assert not bad["ok"] and "the upstream refused it" in bad["error"] and "DNActon" in bad["error"], bad
    assert any("subject" in w and "DNAction" in w for w in bad["warnings"]), bad


def test_peek_needs_the_permission_and_the_csrf_token(editor: Client, demo: None) -> None:
    body = '{"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch"}'
    assert editor.post("/builder/peek", body, content_type="application/json").status_code == 403
    assert Client().post("/builder/peek", body, content_type="application/json").status_code == 403
