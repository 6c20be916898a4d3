"""What the picker offers: widget kinds (the palette), pre-configured statistic names
with human labels and units, and objects by type.

Pre-configured names are tenant configuration; the Statistics API has no call that
lists them (seed 002 "Statistics API" reads values by name only), so the builder
offers Genesys' usual template names, every name already configured here, and free text.
Objects: those already configured, what the upstream's configuration lists (the
Provisioning API, upstream_objects.py: agents, agent groups, queues, route points, DN
groups), the agents the skills data knows (AgentMapping), and free text.
"""

from __future__ import annotations

from django.db.models import Q

from dashboard.boards.models import Statistic, Widget
from dashboard.boards.page_config import humanise
from dashboard.boards.statistic_labels import KNOWN_NAMES
from dashboard.boards.validation import OBJECT_TYPES
from dashboard.connections.configs import statistics_of
from dashboard.connections.models import DEFAULT_CONNECTION
from dashboard.skills.models import AgentMapping

OBJECT_LIMIT = 50


def palette() -> list[dict]:
    return [{"type": kind.value, "label": str(kind.label)} for kind in Widget.Kind]


def statistic_names() -> list[dict]:
    names = {
        name: {"name": name, "label": str(label), "unit": unit, "objectTypes": list(types)}
        for name, (label, unit, types) in KNOWN_NAMES.items()
    }
    for stat in Statistic.objects.exclude(name="").only("name", "label", "unit", "object_type"):
        entry = names.setdefault(
            stat.name,
            {"name": stat.name, "label": stat.label or humanise(stat.name), "unit": stat.unit, "objectTypes": []},
        )
        if stat.object_type not in entry["objectTypes"]:
            entry["objectTypes"].append(stat.object_type)
    return sorted(names.values(), key=lambda n: n["label"].lower())


def search_objects(
    object_type: str, query: str, upstream: list[dict] | None = None, connection: str = DEFAULT_CONNECTION
) -> list[dict]:
    """Objects of one type whose id or name contains `query`: configured ones (on that
    connection: another tenant's objects are not this one's), then those the upstream
    lists (`upstream`, already matched), then the skills data's agents. One entry per id;
    the upstream's name wins over a bare id."""
    query = query.strip()
    found: dict[str, dict] = {}
    stats = Statistic.objects.filter(statistics_of(connection), object_type=object_type)
    if query:
        stats = stats.filter(Q(object_id__icontains=query) | Q(label__icontains=query))
    for object_id in stats.values_list("object_id", flat=True).distinct()[:OBJECT_LIMIT]:
        found[object_id] = {"objectType": object_type, "objectId": object_id, "name": object_id, "source": "configured"}
    for obj in upstream or []:
        entry = found.setdefault(obj["objectId"], obj)
        if entry["name"] == entry["objectId"]:
            entry["name"] = obj["name"]
    if object_type == "Agent" and connection == DEFAULT_CONNECTION:  # the skills data is default's
        agents = AgentMapping.objects.exclude(agent_object_id="")
        if query:
            agents = agents.filter(Q(agent_object_id__icontains=query) | Q(display_name__icontains=query))
        for agent in agents[:OBJECT_LIMIT]:
            found.setdefault(
                agent.agent_object_id,
                {
                    "objectType": "Agent",
                    "objectId": agent.agent_object_id,
                    "name": agent.display_name or agent.agent_object_id,
                    "source": "skills",
                },
            )
    return sorted(found.values(), key=lambda o: o["name"].lower())[:OBJECT_LIMIT]


def object_types() -> list[str]:
    return list(OBJECT_TYPES)
