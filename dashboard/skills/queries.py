"""Reading the synced skills for pages and the bridge: who has which skill.

Only mapped people count (an AgentMapping with an agent objectId): an unmapped
employee has no CurrentAgentState to follow, so no state to count.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.skills.models import AgentSkill, AgentSkillCluster, Skill
from statsbridge.desired import descriptor_of, statistic_key

AGENT_STATE = "CurrentAgentState"


@dataclass(frozen=True)
class SkilledAgent:
    agent_id: str
    name: str
    level: int


def agent_state_descriptor(agent_id: str) -> dict:
    """The same descriptor an agent grid's CurrentAgentState Statistic has, so a
    coverage widget and an agent grid share one upstream statistic (one key)."""
    return descriptor_of(object_type="Agent", object_id=agent_id, name=AGENT_STATE)


def agent_state_key(agent_id: str) -> str:
    return statistic_key(agent_state_descriptor(agent_id))


def agents_by_skill(names: list[str]) -> dict[str, list[SkilledAgent]]:
    """Skill name -> its mapped agents, best level first (every name present, maybe empty)."""
    found: dict[str, dict[str, SkilledAgent]] = {name: {} for name in names}
    rows = (
        AgentSkill.objects.filter(skill__name__in=names)
        .exclude(mapping__agent_object_id="")
        .select_related("skill", "mapping")
    )
    for row in rows:
        agent_id = row.mapping.agent_object_id
        best = found[row.skill.name].get(agent_id)
        if best is None or row.level > best.level:  # two people mapped to one agent: keep the higher level
            name = row.mapping.display_name or row.mapping.ws_user_name or agent_id
            found[row.skill.name][agent_id] = SkilledAgent(agent_id, name, row.level)
    return {name: sorted(agents.values(), key=lambda a: (-a.level, a.name)) for name, agents in found.items()}


def agent_profiles(agent_ids: list[str]) -> dict[str, dict]:
    """Agent objectId -> {"skills": [{name, level}], "clusters": [{name, proficiency, validation}]}."""
    profiles: dict[str, dict] = {a: {"skills": [], "clusters": []} for a in agent_ids}
    skills = (
        AgentSkill.objects.filter(mapping__agent_object_id__in=agent_ids)
        .select_related("skill", "mapping")
        .order_by("-level", "skill__name")
    )
    for row in skills:
        profiles[row.mapping.agent_object_id]["skills"].append({"name": row.skill.name, "level": row.level})
    clusters = (
        AgentSkillCluster.objects.filter(mapping__agent_object_id__in=agent_ids)
        .select_related("cluster", "mapping")
        .order_by("cluster__name")
    )
    for row in clusters:
        profiles[row.mapping.agent_object_id]["clusters"].append(
            {"name": row.cluster.name, "proficiency": row.proficiency_level, "validation": row.validation_state}
        )
    return profiles


def skill_names_in_use() -> list[str]:
    """Skills at least one mapped agent has: what a supervisor may filter by."""
    return list(
        Skill.objects.filter(agents__mapping__agent_object_id__gt="")
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )


def agents_with_skill(name: str) -> set[str]:
    return set(
        AgentSkill.objects.filter(skill__name=name)
        .exclude(mapping__agent_object_id="")
        .values_list("mapping__agent_object_id", flat=True)
    )
