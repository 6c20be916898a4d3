"""What the home page shows besides the links: for each dashboard, the widgets that can
breach (their thresholds and statistic ids, so the page counts breaches live from the
same sockets the dashboards use), the user's personal dashboards, and for admins the
wallboards with when a screen of each was last seen (a kiosk token's `last_seen`, written
when its socket connects and every minute while it stays open: dashboard/access/policy.py)."""

from __future__ import annotations

from django.db.models import Count, Max, Q

from dashboard.boards.models import Dashboard, Wallboard, Widget, WidgetStatistic

# Widgets whose level the board draws from thresholds (skill coverage counts agents
# per skill instead, with its own rule: not counted here).
_COUNTED = [k for k in Widget.Kind.values if k != Widget.Kind.SKILL_COVERAGE]


def breach_config(dashboards: list[Dashboard]) -> list[dict]:
    """Per dashboard: `{"slug", "widgets": [{"kind", "thresholds", "statistics": [id]}]}`."""
    stats: dict[int, list[str]] = {}
    rows = WidgetStatistic.objects.filter(widget__dashboard__in=dashboards).select_related("statistic")
    for row in rows.order_by("widget_id", "position", "id"):
        stats.setdefault(row.widget_id, []).append(row.statistic.key)
    widgets: dict[int, list[dict]] = {d.pk: [] for d in dashboards}
    counted = Widget.objects.filter(dashboard__in=dashboards, kind__in=_COUNTED).exclude(
        warning__isnull=True, critical__isnull=True
    )
    for widget in counted:
        if stats.get(widget.pk):
            widgets[widget.dashboard_id].append(
                {"kind": widget.kind, "thresholds": widget.thresholds(), "statistics": stats[widget.pk]}
            )
    return [{"slug": d.slug, "widgets": widgets[d.pk]} for d in dashboards]


def wallboards_seen() -> list[Wallboard]:
    """Every wallboard with `last_seen` (newest of its live tokens) and `screens` (live tokens)."""
    live = Q(tokens__revoked__isnull=True)
    return list(
        Wallboard.objects.annotate(
            last_seen=Max("tokens__last_seen", filter=live), screens=Count("tokens", filter=live)
        ).order_by("title")
    )
