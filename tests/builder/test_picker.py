"""The statistic picker's calls: the catalog, object search, and "test this
statistic" against a real simulator over loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from django.core.cache import cache
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


@pytest.fixture
def fresh_listings() -> Iterator[None]:
    """Listings are cached (config, not live): each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def set_fault(simulator_url: str, status: int, message: str = "") -> None:  # noqa: F811
    reply = httpx.post(f"{simulator_url}/simulator/v1/provisioning-fault", json={"status": status, "message": message})
    assert reply.status_code == 200, reply.text


def test_objects_only_the_upstream_lists_are_offered_by_type(  # noqa: F811
    editor: Client,
    upstream: str,  # noqa: F811
    fresh_listings: None,
) -> None:
    reply = editor.get("/builder/objects?type=GroupQueues&q=billing").json()
    assert reply["upstream"]["error"] is None and reply["upstream"]["listed"], reply
    assert {
        "objectType": "GroupQueues",
        "objectId": "BillingQueues",
        "name": "BillingQueues",
        "source": "upstream",
    } in (reply["objects"])
    queues = editor.get("/builder/objects?type=Queue&q=retention inbound").json()["objects"]
    assert [(o["objectId"], o["name"]) for o in queues] == [("8004@SIP_Switch", "Retention Inbound")]
    # Configured objects keep their place, and gain the upstream's name.
    configured = editor.get("/builder/objects?type=Queue&q=8001").json()["objects"]
    assert configured == [
        {"objectType": "Queue", "objectId": "8001@SIP_Switch", "name": "Sales Inbound", "source": "configured"}
    ]
    assert editor.get("/builder/objects?type=Tenant").json()["upstream"]["listed"] is False


def test_the_upstreams_error_is_shown_beside_what_else_is_known(  # noqa: F811
    editor: Client,
    upstream: str,  # noqa: F811
    fresh_listings: None,
) -> None:
    set_fault(upstream, 503, "Configuration Server is not reachable")
    try:
        reply = editor.get("/builder/objects?type=Queue&q=800")
        assert reply.status_code == 200
        body = reply.json()
        assert "503 Configuration Server is not reachable" in body["upstream"]["error"], body
        assert {o["source"] for o in body["objects"]} == {"configured"} and body["objects"]  # the rest still offered
        assert all(o["name"] == o["objectId"] for o in body["objects"])  # no upstream names meanwhile
        set_fault(upstream, 0)
        cached = editor.get("/builder/objects?type=Queue&q=800").json()  # a failure is kept briefly...
        assert cached["upstream"]["error"], cached
        again = editor.get("/builder/objects?type=Queue&q=800&refresh=1").json()  # ...unless asked again
        assert again["upstream"]["error"] is None and again["upstream"]["count"] >= 8, again
        assert "Billing Inbound" in {o["name"] for o in again["objects"]}, again  # the upstream's name again
    finally:
        set_fault(upstream, 0)


def test_a_listing_is_cached_not_fetched_per_search(  # noqa: F811
    editor: Client,
    upstream: str,  # noqa: F811
    fresh_listings: None,
) -> None:
    first = editor.get("/builder/objects?type=GroupAgents&q=").json()["upstream"]
    set_fault(upstream, 500, "would fail if asked")
    try:
        for query in ("s", "sa", "sal"):
            reply = editor.get(f"/builder/objects?type=GroupAgents&q={query}").json()
            assert reply["upstream"] == first and "Sales" in [o["objectId"] for o in reply["objects"]]
    finally:
        set_fault(upstream, 0)
