"""Personal dashboards a user may open: their own, while they may see the shared one."""

from __future__ import annotations

from dashboard.personal.models import PersonalDashboard


def personal_for(user: object) -> list[PersonalDashboard]:
    if not getattr(user, "is_authenticated", False):
        return []
    mine = PersonalDashboard.objects.filter(owner=user).select_related("source").prefetch_related("source__groups")
    return [p for p in mine if p.visible_to(user)]
