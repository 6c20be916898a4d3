"""The JSON a dashboard page boots from: widgets, their statistics' keys and units,
thresholds and empty Plotly figures. Values then come over the WebSocket only.

Agent-grid entries carry the agent's skills and clusters; a skill-coverage widget
carries, per skill, the agents whose CurrentAgentState it counts. A `skill` filter
keeps only the agents with that skill (and only that skill's coverage row).
"""

from __future__ import annotations

from dashboard.boards.figures import DRAWN_WITHOUT_PLOTLY, figure_for
from dashboard.boards.models import Dashboard, Widget, WidgetStatistic
from dashboard.boards.statistic_labels import humanise
from dashboard.history.page_extras import page_day, widget_extras
from dashboard.skills.models import Skill
from dashboard.skills.queries import AGENT_STATE, agent_profiles, agent_state_key, agents_by_skill, agents_with_skill
from dashboard.supervisor.page_fields import supervisor_fields
from dashboard.supervisor.serving import agent_groups
from statsbridge.config import HISTORY_POINTS

__all__ = ["dashboard_config", "humanise", "needs_plotly"]


def _statistic_entry(row: WidgetStatistic, same_object: bool) -> dict:
    stat = row.statistic
    fallback = (
        humanise(stat.name or str((stat.definition or {}).get("category", ""))) if same_object else stat.object_id
    )
    return {
        "id": stat.key,
        "label": stat.label or fallback,
        "name": stat.name,
        "objectType": stat.object_type,
        "objectId": stat.object_id,
        "unit": stat.unit,
        "expectedPeriod": stat.expected_period(),
        **supervisor_fields(stat.name, stat.definition, stat.object_type, stat.object_id),
        **({"connection": stat.connection.name} if stat.connection_id else {}),  # issue 22: greyed per connection
    }


def _with_profiles(stats: list[dict], skill: str | None) -> list[dict]:
    """Agent-grid statistics with skills and clusters; only agents with `skill` if given."""
    agents = [s["objectId"] for s in stats if s["objectType"] == "Agent"]
    profiles = agent_profiles(agents)
    groups = agent_groups(agents)  # for the grid's group filter (dashboard/supervisor)
    allowed = agents_with_skill(skill) if skill else None
    shown = []
    for stat in stats:
        if stat["objectType"] == "Agent":
            if allowed is not None and stat["objectId"] not in allowed:
                continue
            stat = {**stat, **profiles[stat["objectId"]], "groups": groups[stat["objectId"]]}
        shown.append(stat)
    return shown


def _coverage(widget: Widget, skill: str | None) -> tuple[list[dict], list[dict]]:
    """(the skills with their agents, the agents' CurrentAgentState statistics)."""
    names = [n for n in widget.skills or [] if skill is None or n == skill]
    known = set(Skill.objects.filter(name__in=names).values_list("name", flat=True))
    skills, stats = [], {}
    for name, agents in agents_by_skill(names).items():
        entries = [
            {"id": agent_state_key(a.agent_id), "agentId": a.agent_id, "name": a.name, "level": a.level} for a in agents
        ]
        # Unknown (not synced yet) is not the same as known with nobody: only the latter breaches.
        skills.append({"name": name, "known": name in known, "agents": entries})
        for agent, entry in zip(agents, entries, strict=False):
            stats[entry["id"]] = {
                "id": entry["id"],
                "label": agent.name,
                "name": AGENT_STATE,
                "objectType": "Agent",
                "objectId": agent.agent_id,
                "unit": "count",
                "expectedPeriod": None,
            }
    return skills, list(stats.values())


def dashboard_config(dashboard: Dashboard, theme: str = "light", skill: str | None = None) -> dict:
    widgets = []
    rows = WidgetStatistic.objects.filter(widget__dashboard=dashboard).select_related("statistic__connection", "widget")
    grouped: dict[int, list[WidgetStatistic]] = {}
    for row in rows:
        grouped.setdefault(row.widget_id, []).append(row)
    by_widget = {}
    for widget_id, group in grouped.items():
        same_object = len({x.statistic.object_id for x in group}) == 1  # once per widget, not per row
        by_widget[widget_id] = [_statistic_entry(r, same_object) for r in group]
    for widget in dashboard.widgets.all():
        stats = by_widget.get(widget.id, [])
        entry = {
            "id": widget.id,
            "kind": widget.kind,
            "title": widget.title,
            "width": widget.width,
            "thresholds": widget.thresholds(),
        }
        if widget.kind == Widget.Kind.AGENT_GRID:
            stats = _with_profiles(stats, skill)
        elif widget.kind == Widget.Kind.SKILL_COVERAGE:
            entry["skills"], stats = _coverage(widget, skill)
        entry["statistics"] = stats
        entry["figure"] = figure_for(widget.kind, [s["label"] for s in stats], theme)
        entry.update(widget_extras(widget, dashboard))
        widgets.append(entry)
    return {
        "slug": dashboard.slug,
        "title": dashboard.title,
        "columns": dashboard.columns,
        "skill": skill,
        "widgets": widgets,
        "history": HISTORY_POINTS,
        **page_day(dashboard),
    }


def needs_plotly(pages: list[dict]) -> bool:
    """Plotly (4.8 MB) is only for pages that draw bars, donuts or gauges: their template
    names it for static/js/plotly-loader.js, which loads it after the first values are
    painted. KPI sparklines and trends are drawn without it (static/js/sparkline.js,
    trend-canvas.js, issue 20)."""
    return any(
        widget.get("figure") and widget.get("kind") not in DRAWN_WITHOUT_PLOTLY
        for page in pages
        for widget in page["widgets"]
    )
