"""Configuration saves reach the bridge at once: no restart (dashboard/boards/bridge_config.py).

Dashboard edits make the bridge re-read its statistics and reload those dashboards'
pages. Each edit also bumps its configuration revision in its own transaction
(dashboard/boards/revisions.py): the bridge's fallback when a notification is lost.
Wallboard edits (pages, rotation, theme) concern only that wallboard's
screens: its `config` frame names it, and goes to the sockets of every dashboard it
shows or showed (a wallboard screen holds one socket per page)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from dashboard.boards.bridge_config import notify_bridge
from dashboard.boards.models import Dashboard, Statistic, Wallboard, WallboardPage, Widget, WidgetStatistic
from dashboard.boards.revisions import bump, scopes_for

_WATCHED = (Statistic, Widget, WidgetStatistic, Dashboard)


def _changed(sender: object, instance: object = None, **kwargs: object) -> None:
    slugs = _dashboards_of(instance)
    revisions = bump(scopes_for(slugs))  # in the edit's transaction: the fallback if the notification is lost
    transaction.on_commit(lambda: notify_bridge(dashboards=slugs, revisions=revisions))


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


def _remember_page(sender: object, instance: WallboardPage, **kwargs: object) -> None:
    """A page moved to another dashboard: the screens still hold the old one's socket."""
    old = WallboardPage.objects.filter(pk=instance.pk).values_list("dashboard__slug", flat=True).first()
    instance._old_dashboard_slug = old  # type: ignore[attr-defined]


def _wallboard_changed(sender: object, instance: Wallboard | WallboardPage, **kwargs: object) -> None:
    try:
        wallboard = instance if isinstance(instance, Wallboard) else instance.wallboard
        slugs = set(wallboard.wallboardpage_set.values_list("dashboard__slug", flat=True))
        if isinstance(instance, WallboardPage):
            slugs |= {instance.dashboard.slug, getattr(instance, "_old_dashboard_slug", None)} - {None}
    except (Wallboard.DoesNotExist, Dashboard.DoesNotExist):  # deleted along with it
        return
    if slugs:
        revisions = bump(scopes_for(wallboard=wallboard.slug))
        transaction.on_commit(
            lambda: notify_bridge(dashboards=sorted(slugs), wallboard=wallboard.slug, revisions=revisions)
        )


def connect() -> None:
    for model in _WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"bridge-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"bridge-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=Widget.statistics.through, dispatch_uid="bridge-m2m")
    pre_save.connect(_remember_page, sender=WallboardPage, dispatch_uid="wallboard-page-before")
    for model in (Wallboard, WallboardPage):
        post_save.connect(_wallboard_changed, sender=model, dispatch_uid=f"wallboard-save-{model.__name__}")
        post_delete.connect(_wallboard_changed, sender=model, dispatch_uid=f"wallboard-delete-{model.__name__}")
