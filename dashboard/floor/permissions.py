"""Who may message which wallboard: a signed-in supervisor may message a wallboard
that shows a dashboard they may see (superusers: every wallboard). A kiosk token is
never a sign-in, so a wallboard screen can post nothing."""

from __future__ import annotations

from django.db.models import QuerySet

from dashboard.boards.models import Wallboard


def wallboards_for(user: object) -> QuerySet[Wallboard]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Wallboard.objects.none()
    if user.is_superuser:  # type: ignore[attr-defined]
        return Wallboard.objects.order_by("title")
    groups = user.groups.values("id")  # type: ignore[attr-defined]
    return Wallboard.objects.filter(dashboards__groups__in=groups).distinct().order_by("title")
