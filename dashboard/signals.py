"""Configuration saves reach the bridge at once: no restart (dashboard/bridge_config.py)."""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from dashboard.bridge_config import notify_bridge
from dashboard.models import Dashboard, Statistic, Widget, WidgetStatistic

_WATCHED = (Statistic, Widget, WidgetStatistic, Dashboard)


def _changed(sender: object, instance: object = None, **kwargs: object) -> None:
    slugs = _dashboards_of(instance)
    transaction.on_commit(lambda: notify_bridge(dashboards=slugs))


def _dashboards_of(instance: object) -> list[str] | None:
    """The dashboards whose pages show this change; None for all (a statistic may be
    on many)."""
    try:
        if isinstance(instance, Dashboard):
            return [instance.slug]
        if isinstance(instance, Widget):
            return [instance.dashboard.slug]
        if isinstance(instance, WidgetStatistic):
            return [instance.widget.dashboard.slug]
    except Dashboard.DoesNotExist:  # deleted along with its dashboard
        return None
    return None


def connect() -> None:
    for model in _WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"bridge-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"bridge-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=Widget.statistics.through, dispatch_uid="bridge-m2m")
