"""The skills behind the simulator's WS v2 and export endpoints, straight from the model."""

from __future__ import annotations

import re
import uuid

import pytest

from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.skills_clusters import OPTIONAL_PARTS, clusters_for
from statsbridge.simulator.skills_model import NAMESPACE, SUPERVISOR_USER_NAME, SkillsModel


def model_for(agents: int = 20, queues: int = 4, seed: int = 0) -> tuple[ContactCenter, SkillsModel]:
    center = ContactCenter(agents=agents, queues=queues, seed=seed, start=1_700_000_000)
    return center, SkillsModel(center.agents, center.groups)


def test_it_does_not_depend_on_the_seed() -> None:
    _, one = model_for(seed=1)
    _, other = model_for(seed=99)
    assert [u.id for u in one.users] == [u.id for u in other.users]
    assert [(e.external_id, e.skills) for e in one.employees()] == [
        (e.external_id, e.skills) for e in other.employees()
    ]
    assert [clusters_for(e) for e in one.employees()] == [clusters_for(e) for e in other.employees()]


def test_catalogue_has_languages_and_each_line_of_business() -> None:
    center, model = model_for(queues=4)
    names = list(model.catalogue)
    assert names[:4] == ["English", "Spanish", "French", "German"]
    assert names[4:] == [g.group_id for g in center.groups]
    skill = model.catalogue["Spanish"]
    assert skill.id == str(uuid.uuid5(NAMESPACE, "skill:Spanish"))
    assert model.catalogue["German"].description is None and skill.description


def test_agents_skills_follow_index_and_groups() -> None:
    center, model = model_for(agents=40)
    for agent in center.agents:
        levels = model.employee_for(agent.agent_id).skills
        i = agent.index
        assert "English" in levels
        assert ("Spanish" in levels) == (i % 4 == 1)
        assert ("French" in levels) == (i % 5 == 2)
        assert ("German" in levels) == (i % 7 == 3)
        assert {center.groups[g].group_id for g in agent.groups} <= set(levels)
        assert all(1 <= level <= 10 for level in levels.values())


def test_users_mirror_agents_plus_a_supervisor() -> None:
    center, model = model_for()
    agents = {a.agent_id: a for a in center.agents}
    for user in model.users[:-1]:
        agent = agents[user.agent_id]
        assert re.fullmatch(r"[0-9a-f]{32}", user.id)
        assert f"{user.first_name} {user.last_name}" == agent.name
        # One person, three names: the employee id is the Stat Server objectId and the
        # export's external_id; the user name is an e-mail address, never the objectId.
        assert user.employee_id == agent.agent_id == model.employee_for(agent.agent_id).external_id
        assert re.fullmatch(r"[a-z]+\.[a-z]+@contact-center\.example", user.user_name)
        assert user.roles == ("ROLE_AGENT",) and model.user_for(agent.agent_id) is user
    assert len({u.user_name for u in model.users}) == len(model.users)
    supervisor = model.users[-1]
    assert supervisor.user_name == SUPERVISOR_USER_NAME and supervisor.roles == ("ROLE_SUPERVISOR",)
    assert supervisor.employee_id is None and model.user_skills(supervisor) == []


def test_employees_include_unmapped_and_former_ones() -> None:
    _, model = model_for(agents=20)
    employees = model.employees()
    assert [e.external_id for e in employees] == sorted(e.external_id for e in employees)
    assert len(employees) == 25
    assert sum(1 for e in employees if not e.is_active) == 2
    assert sum(1 for e in employees if e.agent_id is None and e.is_active) == 3


def test_clusters_follow_skills_and_sometimes_lack_validation_state() -> None:
    _, model = model_for(agents=20)
    clusters = [c for e in model.employees() for c in clusters_for(e)]
    assert any("validation_state" not in c for c in clusters)
    assert {c["validation_state"] for c in clusters if "validation_state" in c} == {
        "validated",
        "suggested",
        "rejected",
    }
    assert all(1 <= c["proficiency_level"] <= 5 and set(OPTIONAL_PARTS) <= set(c) for c in clusters)
    assert all(s["validation_state"] == "rejected" for c in clusters for s in c["rejected_skills"])
    assert any(c["rejected_skills"] for c in clusters)


def test_set_agent_skills_replaces_levels_and_clusters() -> None:
    _, model = model_for()
    model.set_agent_skills("agent001", {"Spanish": 5, "English": 3})
    employee = model.employee_for("agent001")
    assert employee.skills == {"Spanish": 5, "English": 3}
    languages = next(c for c in clusters_for(employee) if c["skill_cluster_name"] == "Languages")
    assert [s["name"] for s in languages["current_skills"]] == ["Spanish", "English"]
    assert languages["proficiency_level"] == 3
    assert len(clusters_for(employee)) == 1


@pytest.mark.parametrize(
    "agent, skills, error",
    [
        ("agent999", {"English": 3}, KeyError),
        ("agent001", {"Klingon": 3}, KeyError),
        ("agent001", {"English": 0}, ValueError),
        ("agent001", {"English": 11}, ValueError),
        ("agent001", {"English": "7"}, ValueError),
    ],
)
def test_set_agent_skills_refuses_bad_input(agent: str, skills: dict, error: type) -> None:
    _, model = model_for()
    with pytest.raises(error):
        model.set_agent_skills(agent, skills)
