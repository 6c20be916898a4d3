"""The statistic picker's calls: the catalog, object search, and "test this
statistic" against a real simulator over loopback."""
from __future__ import annotations

import pytest
from django.test import Client

from dashboard.builder.grammar import definition_fields
from dashboard.models import AgentMapping
from tests.builder.conftest import post
from tests.dashboard.conftest import simulator_url, upstream  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_catalog_offers_labelled_names_and_the_grammars_choices(editor: Client) -> None:
    catalog = editor.get("/builder/catalog").json()
    waiting = next(n for n in catalog["names"] if n["name"] == "CurrentNumberWaitingCalls")
    assert waiting["label"] == "Calls waiting" and waiting["unit"] == "count" and "Queue" in waiting["objectTypes"]
    fields = {f["name"]: f for f in catalog["definitionFields"]}
    assert "AverageTime" in fields["category"]["choices"] and "Periodical" in fields["notificationMode"]["choices"]
    assert "CallAnswered" in fields["mainMask"]["choices"] and "mainMask" in catalog["knownFields"]
    assert "Agent" in catalog["objectTypes"]


def test_every_offered_choice_is_accepted_by_validation(editor: Client) -> None:
    from dashboard.validation import validate_statistic_fields
    from dashboard.models import Statistic

    for field in definition_fields():
        for choice in field["choices"][:40]:
            if field["name"] in ("category", "subject", "intervalType", "notificationMode"):
                definition = {"category": "CurrentNumber", "subject": "AgentStatus", field["name"]: choice}
                if choice == "SlidingWindow":
                    definition["intervalLength"] = 60
                try:
                    validate_statistic_fields(Statistic(definition=definition, object_type="Queue", object_id="q"))
                except Exception as error:  # noqa: BLE001
                    assert "not computed by this simulator" in str(error), (field["name"], choice, error)


def test_objects_are_browsed_by_type_with_search(editor: Client) -> None:
    AgentMapping.objects.create(agent_object_id="agent777", display_name="Zoë Example")
    queues = editor.get("/builder/objects?type=Queue&q=8003").json()["objects"]
    assert [o["objectId"] for o in queues] == ["8003@SIP_Switch"]
    agents = editor.get("/builder/objects?type=Agent&q=zo").json()["objects"]
    assert {"objectId": "agent777", "name": "Zoë Example", "source": "skills", "objectType": "Agent"} in agents
    assert editor.get("/builder/objects?type=Nope").status_code == 400


def test_peek_shows_the_current_value(editor: Client, upstream: str) -> None:  # noqa: F811
    reply = post(editor, "/builder/peek", {"name": "CurrentNumberWaitingCalls", "objectType": "Queue",
                                           "objectId": "8001@SIP_Switch"}).json()
    assert reply["ok"] and isinstance(reply["value"], (int, float)), reply


def test_peek_shows_the_upstreams_error(editor: Client, upstream: str) -> None:  # noqa: F811
    reply = post(editor, "/builder/peek", {"name": "CurrentNumberWaitingCalls", "objectType": "Queue",
                                           "objectId": "9999@SIP_Switch"}).json()
    assert not reply["ok"] and "no Queue '9999@SIP_Switch'" in reply["error"], reply
    assert "simulator-" not in reply["error"]


def test_peek_of_a_bad_definition_names_the_field(editor: Client) -> None:
    reply = post(editor, "/builder/peek", {"objectType": "Queue", "objectId": "8001@SIP_Switch",
                                           "definition": {"category": "CurrentNumber", "subject": "DNActon"}}).json()
    assert not reply["ok"] and "subject" in reply["error"] and "DNAction" in reply["error"], reply


def test_peek_needs_the_permission_and_the_csrf_token(editor: Client, demo: None) -> None:
    body = '{"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch"}'
    assert editor.post("/builder/peek", body, content_type="application/json").status_code == 403
    assert Client().post("/builder/peek", body, content_type="application/json").status_code == 403
