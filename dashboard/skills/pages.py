"""Which pages a skills change concerns, so that a sync (or an agent's mapping edited in
the admin) reloads those and no other: a wallboard is an unattended screen, and blinking
it for skills it does not show is a fault, not a refresh.

Skills reach a page in these ways only, all read when the page is rendered:
- a skill-coverage widget: its skills' agents (dashboard/boards/page_config.py), whose
  states the bridge also follows for the dashboard (dashboard/boards/bridge_config.py);
- an agent grid: each agent's skills and clusters (its filters), and the skill filter's
  choices on the dashboard page (dashboard/boards/views.py);
- the drill-down pages of a dashboard with a Queue or an Agent statistic: a queue's
  agents are its serving agents by skill, an agent's page shows their skills
  (dashboard/supervisor/drill_config.py); the bridge follows the serving agents' states
  for the dashboard (dashboard/supervisor/desired.py). The dashboard's own page and the
  wallboards showing it draw none of that: only the drill-down pages reload (`drills`).
The bridge always re-reads its statistics, even when no page shows skills.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.boards.bridge_config import anotify_bridge, notify_bridge
from dashboard.project.db_thread import in_db_thread


@dataclass(frozen=True)
class SkillPages:
    dashboards: list[str]  # their pages render skills: they reload, with the wallboards showing them
    drills: list[str]  # only their drill-down pages do (not in `dashboards`)


def skill_pages() -> SkillPages:
    from dashboard.boards.models import Widget, WidgetStatistic

    shown = Widget.objects.filter(kind__in=[Widget.Kind.SKILL_COVERAGE, Widget.Kind.AGENT_GRID])
    dashboards = set(shown.values_list("dashboard__slug", flat=True))
    drilled = WidgetStatistic.objects.filter(statistic__object_type__in=["Queue", "Agent"])
    drills = set(drilled.values_list("widget__dashboard__slug", flat=True)) - dashboards
    return SkillPages(sorted(dashboards), sorted(drills))


def notify_skills_changed() -> None:
    """After the change's commit: the bridge re-reads its statistics (coverage widgets and
    queues' serving agents follow the new skills); only the pages showing skills reload,
    and only their dashboards' revisions move (dashboard/boards/revisions.py)."""
    pages = skill_pages()
    notify_bridge(dashboards=pages.dashboards, drills=pages.drills)


async def anotify_skills_changed() -> None:
    """`notify_skills_changed` for the skills job, on the event loop."""
    pages = await in_db_thread(skill_pages)
    await anotify_bridge(dashboards=pages.dashboards, drills=pages.drills)
