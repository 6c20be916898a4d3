"""The page configs of the drill-down pages, built from the dashboard's own config so
their statistic ids are the ones the dashboard's socket carries:
- a queue's agents: the queue's statistics on that dashboard as KPI tiles, and an agent
  grid of the agents serving it (serving.py), whose states the bridge follows for that
  dashboard (desired.py);
- an agent: their live state, if the dashboard covers them (its agent grids, its skill
  coverage, or serving one of its queues).
"""

from __future__ import annotations

from dashboard.boards.models import Dashboard
from dashboard.boards.page_config import dashboard_config
from dashboard.skills.queries import AGENT_STATE, agent_state_key
from dashboard.supervisor.serving import (
    ServingAgent,
    add_profiles,
    queue_labels_by_dashboard,
    routing_for,
    serving_agents,
)
from statsbridge.config import HISTORY_POINTS


def _page(dashboard: Dashboard, title: str, widgets: list[dict], drill: str) -> dict:
    """`drill`: which drill-down page ("queue", "agent"); its tiles link nowhere further up."""
    return {
        "slug": dashboard.slug,
        "title": title,
        "columns": 4,
        "skill": None,
        "widgets": widgets,
        "history": HISTORY_POINTS,
        "drill": drill,
    }


def _agent_entry(agent: ServingAgent) -> dict:
    return {
        "id": agent_state_key(agent.agent_id),
        "label": agent.name,
        "name": AGENT_STATE,
        "objectType": "Agent",
        "objectId": agent.agent_id,
        "unit": "count",
        "expectedPeriod": None,
        "skills": agent.skills,
        "groups": agent.groups,
        "why": agent.why,
    }


def _grid(title: str, agents: list[ServingAgent], widget_id: str, tools: bool = True) -> dict:
    return {
        "id": widget_id,
        "kind": "agent-grid",
        "title": title,
        "width": 4,
        "thresholds": None,
        "statistics": [_agent_entry(a) for a in agents],
        "figure": None,
        "tools": tools,
    }


def queue_statistics(config: dict, queue_id: str) -> list[tuple[dict, dict | None]]:
    """(statistic entry, its widget's thresholds) for each statistic of `queue_id`, once."""
    found: dict[str, tuple[dict, dict | None]] = {}
    for widget in config["widgets"]:
        for stat in widget["statistics"]:
            if stat["objectType"] == "Queue" and stat["objectId"] == queue_id and stat["id"] not in found:
                found[stat["id"]] = (stat, widget.get("thresholds"))
    return list(found.values())


def queue_page(dashboard: Dashboard, queue_id: str) -> tuple[dict, dict] | None:
    """(page config, facts for the template), or None when the dashboard does not show the queue."""
    stats = queue_statistics(dashboard_config(dashboard), queue_id)
    if not stats:
        return None
    label = queue_labels_by_dashboard().get(dashboard.slug, {}).get(queue_id) or queue_id
    routing = routing_for(queue_id, label)
    agents = serving_agents(routing)
    tiles = [
        {
            "id": f"q{i}",
            "kind": "kpi",
            "title": stat["nameLabel"],
            "width": 1,
            "thresholds": thresholds,
            "statistics": [stat],
            "figure": None,
        }
        for i, (stat, thresholds) in enumerate(stats)
    ]
    page = _page(dashboard, label, [*tiles, _grid(f"Agents serving {label}", agents, "serving")], "queue")
    return page, {"label": label, "routing": routing, "agents": len(agents)}


def covered_agents(dashboard: Dashboard, config: dict) -> dict[str, str]:
    """Agent objectId -> name, for every agent the dashboard's socket carries a state of."""
    agents: dict[str, str] = {}
    for widget in config["widgets"]:
        for stat in widget["statistics"]:
            if stat["objectType"] == "Agent":
                agents.setdefault(stat["objectId"], stat["label"])
    for queue_id, label in queue_labels_by_dashboard().get(dashboard.slug, {}).items():
        for agent in serving_agents(routing_for(queue_id, label)):
            agents.setdefault(agent.agent_id, agent.name)
    return agents


def agent_page(dashboard: Dashboard, agent_id: str) -> tuple[dict, str] | None:
    """(page config, the agent's name), or None when the dashboard does not cover the agent."""
    name = covered_agents(dashboard, dashboard_config(dashboard)).get(agent_id)
    if name is None:
        return None
    agent = ServingAgent(agent_id, name)
    add_profiles({agent_id: agent})
    return _page(dashboard, name, [_grid("State now", [agent], "agent", tools=False)], "agent"), name
