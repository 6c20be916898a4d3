"""Skills in the product: the coverage widget's bridge subscriptions and page config,
skills on the agent grid, the skill filter on pages, and coverage widgets in
dashboard files. Skills come from a real sync against a real simulator."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dashboard.access.policy import issue_token
from dashboard.boards.bridge_config import _load
from dashboard.boards.demo import demo_file
from dashboard.boards.files import DashboardFileError, export_dashboards, import_dashboards
from dashboard.boards.models import Dashboard, Statistic, Wallboard, Widget
from dashboard.boards.page_config import dashboard_config
from dashboard.skills.queries import agent_state_key
from dashboard.skills.sync import sync_skills
from dashboard.supervisor.serving import queue_labels_by_dashboard, routing_for, serving_agents
from statsbridge.simulator.server import Simulator

pytestmark = pytest.mark.django_db

COVERAGE = {
    "type": "skill-coverage",
    "title": "Language coverage",
    "width": 2,
    "skills": ["Spanish", "French"],
    "thresholds": {"warning": 2, "critical": 1, "direction": "below"},
}


def spanish_speakers(sim: Simulator) -> set[str]:
    return {a.agent_id for a in sim.center.agents if "Spanish" in sim.skills.employee_for(a.agent_id).skills}


@pytest.fixture
def synced(sim: Simulator, sources: tuple) -> Simulator:
    import_dashboards(demo_file())
    sync_skills()
    return sim


def widget_config(slug: str, kind: str, skill: str | None = None) -> dict:
    config = dashboard_config(Dashboard.objects.get(slug=slug), skill=skill)
    return next(w for w in config["widgets"] if w["kind"] == kind)


# -- the bridge follows the agents a coverage widget counts --------------------------


def test_bridge_subscribes_the_state_of_every_agent_with_a_covered_skill(synced: Simulator) -> None:
    desired = _load()

    agents_keys = set(desired.keys_for("agents"))
    for agent in synced.center.agents:  # English is covered: all 50, not only the grid's 24
        assert agent_state_key(agent.agent_id) in agents_keys
    assert desired.statistics[agent_state_key("agent050")] == {
        "objectType": "Agent",
        "objectId": "agent050",
        "name": "CurrentAgentState",
    }
    # Another dashboard follows an agent only when the agent serves one of its queues
    # (the drill-down: dashboard/supervisor/desired.py), not because of this coverage.
    queues = queue_labels_by_dashboard()["queues"]
    serving = {a.agent_id for q, label in queues.items() for a in serving_agents(routing_for(q, label))}
    assert (agent_state_key("agent050") in desired.keys_for("queues")) == ("agent050" in serving)


def test_coverage_and_agent_grid_share_one_upstream_statistic(synced: Simulator) -> None:
    grid_stat = Statistic.objects.get(object_type="Agent", object_id="agent002", name="CurrentAgentState")
    assert grid_stat.key == agent_state_key("agent002")


# -- page config ---------------------------------------------------------------------


def test_coverage_widget_lists_each_skill_with_its_agents(synced: Simulator) -> None:
    widget = widget_config("agents", "skill-coverage")

    assert [s["name"] for s in widget["skills"]] == ["English", "Spanish", "French"]
    spanish = next(s for s in widget["skills"] if s["name"] == "Spanish")
    assert {a["agentId"] for a in spanish["agents"]} == spanish_speakers(synced)
    ben = next(a for a in spanish["agents"] if a["agentId"] == "agent002")
    assert ben == {
        "id": agent_state_key("agent002"),
        "agentId": "agent002",
        "name": "Ben Baker",
        "level": synced.skills.employee_for("agent002").skills["Spanish"],
    }
    assert len(widget["statistics"]) == 50 and widget["thresholds"]["direction"] == "below"


def test_coverage_tells_an_unknown_skill_from_one_nobody_has(synced: Simulator) -> None:
    from dashboard.skills.models import Skill

    Skill.objects.create(name="Mandarin")
    import_dashboards(coverage_file(skills=["Spanish", "Mandarin", "Klingon"]))

    skills = widget_config("langs", "skill-coverage")["skills"]

    assert [(s["name"], s["known"], bool(s["agents"])) for s in skills] == [
        ("Spanish", True, True),
        ("Mandarin", True, False),
        ("Klingon", False, False),
    ]


def test_agent_grid_cells_carry_skills_and_clusters(synced: Simulator) -> None:
    stats = widget_config("agents", "agent-grid")["statistics"]

    ben = next(s for s in stats if s["objectId"] == "agent002")
    assert {s["name"]: s["level"] for s in ben["skills"]} == synced.skills.employee_for("agent002").skills
    assert "Languages" in {c["name"] for c in ben["clusters"]}
    assert all(isinstance(c["proficiency"], int) for c in ben["clusters"])


def test_skill_filter_keeps_only_agents_with_that_skill(synced: Simulator) -> None:
    grid = widget_config("agents", "agent-grid", skill="Spanish")
    coverage = widget_config("agents", "skill-coverage", skill="Spanish")

    grid_agents = {s["objectId"] for s in grid["statistics"]}
    assert grid_agents and grid_agents == {a for a in spanish_speakers(synced) if int(a[5:]) <= 24}
    assert [s["name"] for s in coverage["skills"]] == ["Spanish"]
    kpi = widget_config("agents", "kpi", skill="Spanish")
    assert kpi["statistics"]  # other widgets are not filtered


def test_an_unknown_skill_filter_empties_agent_widgets(synced: Simulator) -> None:
    assert widget_config("agents", "agent-grid", skill="Klingon")["statistics"] == []
    assert widget_config("agents", "skill-coverage", skill="Klingon")["skills"] == []


# -- pages ---------------------------------------------------------------------------


@pytest.fixture
def supervisor(client: Client) -> Client:
    client.force_login(User.objects.create(username="boss", is_superuser=True, is_staff=True))
    return client


def page_config_of(html: str) -> dict:
    start = html.index('<script id="page-config" type="application/json">') + len(
        '<script id="page-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_supervisor_page_offers_the_skills_to_filter_by(synced: Simulator, supervisor: Client) -> None:
    html = supervisor.get("/dashboards/agents/").content.decode()

    assert '<select id="skill-select" name="skill"' in html
    for name in ("English", "Spanish", "French", "German", "Sales"):
        assert f'<option value="{name}">{name}</option>' in html
    assert "skill-select" not in supervisor.get("/dashboards/queues/").content.decode()  # no agents there


def test_supervisor_page_filtered_by_skill(synced: Simulator, supervisor: Client) -> None:
    response = supervisor.get("/dashboards/agents/", {"skill": "Spanish"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="Spanish" selected>' in html
    assert "Showing only agents with skill “Spanish”" in html
    assert page_config_of(html)["pages"][0]["skill"] == "Spanish"


def test_an_unknown_skill_says_so_instead_of_failing(synced: Simulator, supervisor: Client) -> None:
    response = supervisor.get("/dashboards/agents/", {"skill": "Klingon"})

    assert response.status_code == 200
    assert "No agents with skill “Klingon”" in response.content.decode()


def test_wallboard_accepts_a_skill_filter(synced: Simulator, client: Client) -> None:
    token = issue_token(Wallboard.objects.get(slug="floor"))
    response = client.get("/wallboards/floor/", {"token": token, "skill": "French"})

    html = response.content.decode()
    assert response.status_code == 200 and "Skill: French" in html
    pages = page_config_of(html)["pages"]
    coverage = next(w for w in pages[0]["widgets"] if w["kind"] == "skill-coverage")
    assert [s["name"] for s in coverage["skills"]] == ["French"]
    missing = client.get("/wallboards/floor/", {"token": token, "skill": "Klingon"}).content.decode()
    assert "No agents with skill “Klingon”" in missing


# -- dashboard files ------------------------------------------------------------------


def coverage_file(**changes: Any) -> dict:
    widget = {**copy.deepcopy(COVERAGE), **changes}
    return {"dashboards": [{"slug": "langs", "title": "Languages", "widgets": [widget]}], "wallboards": []}


def test_a_coverage_widget_round_trips_through_a_dashboard_file() -> None:
    import_dashboards(coverage_file())

    widget = Widget.objects.get(dashboard__slug="langs")
    assert (widget.kind, widget.skills, widget.warning, widget.critical) == (
        "skill-coverage",
        ["Spanish", "French"],
        2,
        1,
    )
    exported = export_dashboards(["langs"])
    assert exported["dashboards"][0]["widgets"] == [
        {**COVERAGE, "thresholds": {"warning": 2.0, "critical": 1.0, "direction": "below"}}
    ]
    assert "statistics" not in exported["dashboards"][0]["widgets"][0]
    again = import_dashboards(exported)
    assert again.unchanged == ["dashboard langs"] and not again.created and not again.updated


def test_importing_the_same_coverage_file_twice_changes_nothing() -> None:
    import_dashboards(coverage_file())
    widget_id = Widget.objects.get(dashboard__slug="langs").pk

    summary = import_dashboards(coverage_file())

    assert summary.unchanged == ["dashboard langs"]
    assert Widget.objects.get(dashboard__slug="langs").pk == widget_id


def test_changing_a_coverage_widgets_skills_updates_it() -> None:
    import_dashboards(coverage_file())

    summary = import_dashboards(coverage_file(skills=["German"]))

    assert summary.updated == ["dashboard langs"]
    assert Widget.objects.get(dashboard__slug="langs").skills == ["German"]


def test_unknown_skill_names_import_with_a_warning(synced: Simulator) -> None:
    summary = import_dashboards(coverage_file(skills=["Spanish", "Klingon"]))

    assert summary.created == ["dashboard langs"]
    assert summary.warnings == [
        "dashboards[0].widgets[0].skills: 'Klingon' is not a known skill yet (it may arrive with the next skills sync)"
    ]
    assert "warning: dashboards[0].widgets[0].skills: 'Klingon'" in str(summary)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"skills": None}, "dashboards[0].widgets[0].skills: a skill-coverage widget needs a non-empty list"),
        ({"skills": []}, "dashboards[0].widgets[0].skills: a skill-coverage widget needs a non-empty list"),
        ({"skills": ["Spanish", 3]}, "dashboards[0].widgets[0].skills: a skill-coverage widget needs a non-empty list"),
        (
            {"skills": ["Spanish", " "]},
            "dashboards[0].widgets[0].skills: a skill-coverage widget needs a non-empty list",
        ),
        ({"skills": ["Spanish", "Spanish"]}, "dashboards[0].widgets[0].skills: a skill appears twice"),
        (
            {"statistics": [{"name": "CurrentAgentState", "objectType": "Agent", "objectId": "agent001"}]},
            "dashboards[0].widgets[0].statistics: a skill-coverage widget takes skills, not statistics",
        ),
        (
            {"thresholds": {"warning": 1, "critical": 2, "direction": "below"}},
            "dashboards[0].widgets[0].thresholds: with 'breach when below' the critical level must be at or below",
        ),
    ],
)
def test_bad_coverage_widgets_are_refused_and_nothing_changes(changes: dict, error: str) -> None:
    with pytest.raises(DashboardFileError) as caught:
        import_dashboards(coverage_file(**changes))

    assert any(e.startswith(error) for e in caught.value.errors), caught.value.errors
    assert not Dashboard.objects.exists()


def test_skill_sources_and_synced_skills_are_never_exported(synced: Simulator) -> None:
    text = json.dumps(export_dashboards())

    assert "ws-password" not in text and "simulator-export-token" not in text
    assert "Ben Baker" not in text.replace('"label": "Ben Baker"', "")  # only as an agent-grid label
    assert "Languages" not in text and "clusters" not in text
