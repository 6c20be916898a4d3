"""Who may read a statistic's history or export a dashboard: the dashboards' own rules
(dashboard/access/policy.py), applied to the dashboards that carry the statistic.

- Signed-in users: a statistic is readable when some dashboard carrying it is visible to
  them (its groups); a dashboard's export when the dashboard is.
- Kiosk wallboard tokens (`?token=`, the wallboard URL's): /api/history only, for the
  statistics of the dashboards that wallboard shows (its screens may draw overlays of
  what they show anyway). Never the CSV export: taking data away is a person's act, so
  it needs a sign-in.
Anything else is a 404 when signed in (whether it exists is not revealed) and a 401 or
the sign-in page when not.
"""

from __future__ import annotations

from dashboard.access.policy import wallboard_for_token
from dashboard.boards.models import Dashboard, Statistic


def dashboards_carrying(statistic: Statistic) -> list[Dashboard]:
    return list(Dashboard.objects.filter(widgets__widgetstatistic__statistic=statistic).distinct())


def may_read_statistic(user: object, token: str | None, statistic: Statistic) -> bool:
    carrying = dashboards_carrying(statistic)
    if token:
        row = wallboard_for_token(token)
        return row is not None and row.wallboard.wallboardpage_set.filter(dashboard__in=carrying).exists()
    if not getattr(user, "is_authenticated", False):
        return False
    return any(dashboard.visible_to(user) for dashboard in carrying)
