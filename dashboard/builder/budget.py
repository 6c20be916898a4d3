"""The subscription budget: how many statistics a draft would open and close upstream,
and the total the dashboards would then keep open, against SUBSCRIPTION_BUDGET.

Counted the way the bridge de-duplicates (dashboard/boards/bridge_config.py): one upstream
statistic per distinct descriptor key, whichever dashboards share it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from dashboard.boards.models import Widget, WidgetStatistic
from dashboard.skills.queries import agent_state_descriptor, agents_by_skill
from statsbridge.desired import descriptor_of, statistic_key


@dataclass(frozen=True)
class Budget:
    adds: int
    removes: int
    open_now: int
    open_after: int
    limit: int

    @property
    def over(self) -> bool:
        return self.open_after > self.limit and self.adds > 0

    def as_dict(self) -> dict:
        return {**asdict(self), "over": self.over}

    def refusal(self) -> str:
        return gettext(
            "This draft would keep %(open)s statistics open upstream, over the budget of "
            "%(limit)s (SUBSCRIPTION_BUDGET): it adds %(adds)s and removes %(removes)s."
        ) % {"open": self.open_after, "limit": self.limit, "adds": self.adds, "removes": self.removes}


def _skill_keys(skills: list[str]) -> set[str]:
    return {
        statistic_key(agent_state_descriptor(agent.agent_id))
        for agents in agents_by_skill(skills).values()
        for agent in agents
    }


def keys_by_dashboard() -> dict[str, set[str]]:
    """Dashboard slug -> the statistic keys its published widgets keep open."""
    found: dict[str, set[str]] = {}
    for row in WidgetStatistic.objects.select_related("statistic__connection", "widget__dashboard"):
        found.setdefault(row.widget.dashboard.slug, set()).add(row.statistic.key)
    for widget in Widget.objects.filter(kind=Widget.Kind.SKILL_COVERAGE).select_related("dashboard"):
        found.setdefault(widget.dashboard.slug, set()).update(_skill_keys(list(widget.skills or [])))
    return found


def keys_of_document(document: Any) -> set[str]:
    """The keys a dashboard entry would open; malformed parts are skipped (publish
    refuses them with their place, this only counts)."""
    keys: set[str] = set()
    widgets = document.get("widgets") if isinstance(document, dict) else None
    for widget in widgets if isinstance(widgets, list) else []:
        if not isinstance(widget, dict):
            continue
        if widget.get("type") == Widget.Kind.SKILL_COVERAGE and isinstance(widget.get("skills"), list):
            keys |= _skill_keys([s for s in widget["skills"] if isinstance(s, str)])
        for stat in widget.get("statistics") or []:
            if isinstance(stat, dict) and isinstance(stat.get("objectType"), str):
                keys.add(
                    statistic_key(
                        descriptor_of(
                            object_type=stat["objectType"],
                            object_id=str(stat.get("objectId") or ""),
                            name=stat.get("name") or None,
                            definition=stat.get("definition") or None,
                        ),
                        str(stat.get("connection") or "default"),  # keys are per connection, as Statistic.key
                    )
                )
    return keys


def budget_for(slug: str, document: Any) -> Budget:
    current = keys_by_dashboard()
    others: set[str] = set().union(*(keys for other, keys in current.items() if other != slug))
    now = others | current.get(slug, set())
    after = others | keys_of_document(document)
    return Budget(
        adds=len(after - now),
        removes=len(now - after),
        open_now=len(now),
        open_after=len(after),
        limit=settings.SUBSCRIPTION_BUDGET,
    )
