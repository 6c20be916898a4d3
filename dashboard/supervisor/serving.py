"""Which agents serve a queue: by skill (the synced skills data) and by agent-group
membership (the configuration), as QueueRouting says, or by the queue's name.

The drill-down page lists these agents, and the bridge follows their CurrentAgentState
for every dashboard that shows the queue (dashboard/boards/bridge_config.py), so their
states arrive on the dashboard's own socket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.skills.models import AgentMapping, AgentSkill, Skill
from dashboard.supervisor.models import AgentGroupMember, QueueRouting


@dataclass(frozen=True)
class Routing:
    """How a queue is served; `source` says where it came from (shown on the page)."""

    queue_id: str
    skills: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    min_level: int = 1
    source: str = "none"  # "configured", "queue name" or "none"


@dataclass
class ServingAgent:
    agent_id: str
    name: str
    skills: list[dict] = field(default_factory=list)  # [{name, level}], every skill the agent has
    groups: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)  # "skill Sales 7", "group Sales"


def routing_for(queue_id: str, label: str = "") -> Routing:
    row = QueueRouting.objects.filter(queue_id=queue_id).first()
    if row is not None:
        return Routing(queue_id, tuple(row.skills or ()), tuple(row.groups or ()), row.min_level, "configured")
    words = {w.lower() for w in re.findall(r"\w+", label)}
    named = [s for s in Skill.objects.values_list("name", flat=True) if s.lower() in words]
    return Routing(queue_id, tuple(sorted(named)), (), 1, "queue name" if named else "none")


def serving_agents(routing: Routing) -> list[ServingAgent]:
    """Mapped agents with one of the skills at `min_level` or more, and the groups' members."""
    found: dict[str, ServingAgent] = {}
    rows = (
        AgentSkill.objects.filter(skill__name__in=routing.skills, level__gte=routing.min_level)
        .exclude(mapping__agent_object_id="")
        .select_related("skill", "mapping")
    )
    for row in rows:
        agent = _agent(found, row.mapping.agent_object_id, row.mapping.display_name or row.mapping.ws_user_name)
        agent.why.append(f"skill {row.skill.name} {row.level}")
    for member in AgentGroupMember.objects.filter(group__in=routing.groups):
        _agent(found, member.agent_id, member.name).why.append(f"group {member.group}")
    add_profiles(found)
    return sorted(found.values(), key=lambda a: a.name.lower())


def _agent(found: dict[str, ServingAgent], agent_id: str, name: str) -> ServingAgent:
    if agent_id not in found:
        found[agent_id] = ServingAgent(agent_id, name or agent_id)
    elif name and found[agent_id].name == agent_id:
        found[agent_id].name = name
    return found[agent_id]


def add_profiles(found: dict[str, ServingAgent]) -> None:
    """Every agent's skills and groups, for the grid's filters (two queries)."""
    ids = list(found)
    skills = AgentSkill.objects.filter(mapping__agent_object_id__in=ids).select_related("skill", "mapping")
    for row in skills.order_by("-level", "skill__name"):
        found[row.mapping.agent_object_id].skills.append({"name": row.skill.name, "level": row.level})
    for agent_id, group in AgentGroupMember.objects.filter(agent_id__in=ids).values_list("agent_id", "group"):
        found[agent_id].groups.append(group)
    names = AgentMapping.objects.filter(agent_object_id__in=[a for a in ids if found[a].name == a])
    for mapping in names.exclude(display_name=""):
        found[mapping.agent_object_id].name = mapping.display_name


def agent_groups(agent_ids: list[str]) -> dict[str, list[str]]:
    """Agent objectId -> the agent groups it is a member of."""
    groups: dict[str, list[str]] = {a: [] for a in agent_ids}
    for agent_id, group in AgentGroupMember.objects.filter(agent_id__in=agent_ids).values_list("agent_id", "group"):
        groups[agent_id].append(group)
    return groups


def queue_labels_by_dashboard() -> dict[str, dict[str, str]]:
    """Dashboard slug -> {queue objectId: label} for every Queue statistic on it."""
    from dashboard.boards.models import WidgetStatistic

    found: dict[str, dict[str, str]] = {}
    rows = WidgetStatistic.objects.filter(statistic__object_type="Queue").select_related(
        "statistic", "widget__dashboard"
    )
    for row in rows:
        queues = found.setdefault(row.widget.dashboard.slug, {})
        if not queues.get(row.statistic.object_id):
            queues[row.statistic.object_id] = row.statistic.label or ""
    return found
