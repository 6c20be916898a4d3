"""Configuration saves reach the bridge at once: no restart (dashboard/bridge_config.py)."""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from dashboard.bridge_config import notify_bridge
from dashboard.models import Dashboard, Statistic, Widget, WidgetStatistic

_WATCHED = (Statistic, Widget, WidgetStatistic, Dashboard)


def _changed(sender: object, **kwargs: object) -> None:
    transaction.on_commit(notify_bridge)


def connect() -> None:
    for model in _WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"bridge-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"bridge-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=Widget.statistics.through, dispatch_uid="bridge-m2m")
