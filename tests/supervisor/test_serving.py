"""Who serves a queue (dashboard/supervisor/serving.py), what the bridge follows for it
(desired.py) and the drill-down pages' access (views.py), through the database and
Django's test client."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from dashboard.boards.bridge_config import _load
from dashboard.boards.files import import_dashboards
from dashboard.skills.models import AgentMapping, AgentSkill, Skill
from dashboard.skills.queries import agent_state_key
from dashboard.supervisor.models import AgentGroupMember, QueueRouting
from dashboard.supervisor.no_calls import offered_key
from dashboard.supervisor.serving import routing_for, serving_agents

pytestmark = pytest.mark.django_db

QUEUE = "8001@SIP_Switch"
FILE = {
    "dashboards": [
        {
            "slug": "sales",
            "title": "Sales",
            "groups": ["Supervisors"],
            "widgets": [
                {
                    "type": "table",
                    "title": "Queues",
                    "statistics": [
                        {
                            "name": "CurrentNumberWaitingCalls",
                            "objectType": "Queue",
                            "objectId": QUEUE,
                            "label": "Sales Inbound",
                        },
                        {
                            "name": "ServiceFactor",
                            "objectType": "Queue",
                            "objectId": QUEUE,
                            "label": "Sales Inbound",
                            "unit": "percent",
                        },
                    ],
                }
            ],
        }
    ]
}


def skilled(agent_id: str, name: str, **skills: int) -> None:
    mapping = AgentMapping.objects.create(agent_object_id=agent_id, display_name=name, ws_user_id=agent_id)
    for skill, level in skills.items():
        AgentSkill.objects.create(mapping=mapping, skill=Skill.objects.get_or_create(name=skill)[0], level=level)


@pytest.fixture
def people() -> None:
    import_dashboards(FILE)
    skilled("a1", "Ava Adams", Sales=7, English=5)
    skilled("a2", "Ben Baker", Sales=1)
    skilled("a3", "Cat Carter", Support=4)
    AgentGroupMember.objects.create(group="Night", agent_id="a4", name="Dan Diaz")


def test_a_queue_without_routing_is_served_by_the_skills_its_name_says(people: None) -> None:
    routing = routing_for(QUEUE, "Sales Inbound")
    assert (routing.skills, routing.source) == (("Sales",), "queue name")
    agents = serving_agents(routing)
    assert [a.name for a in agents] == ["Ava Adams", "Ben Baker"]
    assert agents[0].why == ["skill Sales 7"]
    assert {s["name"] for s in agents[0].skills} == {"Sales", "English"}


def test_configured_routing_takes_skills_at_a_level_and_group_members(people: None) -> None:
    QueueRouting.objects.create(queue_id=QUEUE, skills=["Sales"], min_level=5, groups=["Night"])
    routing = routing_for(QUEUE, "Sales Inbound")
    assert routing.source == "configured"
    agents = serving_agents(routing)
    assert [(a.agent_id, a.why, a.groups) for a in agents] == [
        ("a1", ["skill Sales 7"], []),
        ("a4", ["group Night"], ["Night"]),
    ]
    assert agents[1].name == "Dan Diaz"


def test_a_queue_nobody_serves_says_so(people: None) -> None:
    routing = routing_for("9999@SIP_Switch", "Mystery line")
    assert routing.source == "none" and serving_agents(routing) == []


def test_the_bridge_follows_serving_agents_and_calls_offered_for_the_dashboard(people: None) -> None:
    keys = set(_load().keys_for("sales"))
    assert {agent_state_key("a1"), agent_state_key("a2")} <= keys
    assert agent_state_key("a3") not in keys  # Support: not a Sales Inbound agent
    assert offered_key("Queue", QUEUE) in keys  # "no calls" for the service level


@pytest.fixture
def supervisor(client: Client, people: None) -> Client:
    user = User.objects.create(username="sup")
    user.groups.add(Group.objects.get(name="Supervisors"))
    client.force_login(user)
    return client


def test_the_queue_page_lists_its_agents_for_those_who_see_the_dashboard(supervisor: Client) -> None:
    response = supervisor.get("/dashboards/sales/queues/8001%40SIP_Switch/agents/")
    assert response.status_code == 200
    page = response.context["config"]["pages"][0]
    grid = page["widgets"][-1]
    assert [s["objectId"] for s in grid["statistics"]] == ["a1", "a2"]
    assert grid["statistics"][0]["id"] == agent_state_key("a1")
    assert {w["title"] for w in page["widgets"][:-1]} == {"Calls waiting", "Service level"}
    assert "matched from the queue's name" in response.content.decode()


def test_drill_down_pages_are_hidden_like_their_dashboard(client: Client, supervisor: Client) -> None:
    outsider = Client()
    outsider.force_login(User.objects.create(username="other"))
    for path in (
        "/dashboards/sales/queues/8001%40SIP_Switch/agents/",
        "/dashboards/sales/agents/a1/",
        "/dashboards/sales/agents/a1/today",
    ):
        assert outsider.get(path).status_code == 404, path
        assert Client().get(path).status_code == 302, path  # to sign-in
    assert supervisor.get("/dashboards/sales/queues/7777%40SIP_Switch/agents/").status_code == 404
    assert supervisor.get("/dashboards/sales/agents/a3/").status_code == 404  # not covered by this dashboard
    assert supervisor.get("/dashboards/sales/agents/a1/").status_code == 200
