"""Which Stat Server agent a Web Services user is (dashboard/skills/identity.py): each
skill source's rule, against the simulator, whose users have e-mail user names and
employee ids equal to the Stat Server Agent objectIds its statistics use."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dashboard.skills.models import AgentMapping, SkillSource
from dashboard.skills.queries import agents_by_skill
from statsbridge.simulator.server import Simulator
from statsbridge.simulator.skills_model import SUPERVISOR_USER_NAME
from tests.skills.test_sync import levels_in_db, run

pytestmark = pytest.mark.django_db


def use_rule(source: SkillSource, rule: str, pattern: str = "") -> None:
    source.agent_id_rule, source.agent_id_pattern = rule, pattern
    source.full_clean()
    source.save()


def test_the_default_rule_maps_users_to_the_agents_stat_server_knows(sim: Simulator, ws: SkillSource) -> None:
    assert ws.agent_id_rule == SkillSource.AgentIdRule.EMPLOYEE_ID
    run()

    stat_server_agents = {a.agent_id for a in sim.center.agents}
    mapped = set(AgentMapping.objects.exclude(agent_object_id="").values_list("agent_object_id", flat=True))
    assert mapped == stat_server_agents
    ava = AgentMapping.objects.get(agent_object_id="agent001")
    assert ava.ws_user_name == "ava.adams@contact-center.example" != ava.agent_object_id
    spanish = {a.agent_id for a in agents_by_skill(["Spanish"])["Spanish"]}
    assert spanish and spanish <= stat_server_agents


def test_the_user_name_rule_maps_by_user_name(sim: Simulator, ws: SkillSource) -> None:
    use_rule(ws, SkillSource.AgentIdRule.USER_NAME)
    run()

    assert AgentMapping.objects.get(external_id="agent001").agent_object_id == "ava.adams@contact-center.example"
    assert levels_in_db("agent001") == {}  # nobody Stat Server knows: the tests catch a wrong rule


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^([^@]+)@", "ava.adams"),  # first group
        (r"^(?P<first>\w+)\.(?P<agent>\w+)@", "adams"),  # the group named agent
        (r"^\w+", "ava"),  # no group: the whole match
    ],
)
def test_the_pattern_rule_takes_its_group(sim: Simulator, ws: SkillSource, pattern: str, expected: str) -> None:
    use_rule(ws, SkillSource.AgentIdRule.PATTERN, pattern)
    run()

    assert AgentMapping.objects.get(external_id="agent001").agent_object_id == expected


def test_a_user_the_pattern_misses_is_unmapped(sim: Simulator, ws: SkillSource) -> None:
    use_rule(ws, SkillSource.AgentIdRule.PATTERN, r"^(ava\.\w+)@")
    summary, _ = run()

    assert list(AgentMapping.objects.exclude(agent_object_id="").values_list("agent_object_id", flat=True)) == [
        "ava.adams"
    ]
    assert len(summary.unmapped) == len(sim.center.agents)  # 49 agents missed, and the supervisor


def test_changing_the_rule_moves_the_mappings_on_the_next_sync(sim: Simulator, ws: SkillSource) -> None:
    use_rule(ws, SkillSource.AgentIdRule.USER_NAME)
    run()
    use_rule(ws, SkillSource.AgentIdRule.EMPLOYEE_ID)

    summary, _ = run()

    assert summary.mappings.changed == len(sim.center.agents) and not summary.agent_skills
    assert levels_in_db("agent002") == sim.skills.employee_for("agent002").skills
    assert AgentMapping.objects.get(ws_user_name=SUPERVISOR_USER_NAME).agent_object_id == ""


@pytest.mark.parametrize(("pattern", "error"), [("", "needs a pattern"), ("([a-z", "Not a regular expression")])
def test_a_bad_pattern_is_refused_with_the_reason(ws: SkillSource, pattern: str, error: str) -> None:
    with pytest.raises(ValidationError, match=error) as caught:
        use_rule(ws, SkillSource.AgentIdRule.PATTERN, pattern)
    assert "agent_id_pattern" in caught.value.message_dict
