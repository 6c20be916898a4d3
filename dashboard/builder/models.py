"""Drafts and published versions of a dashboard, each a dashboard-file document
(dashboard/boards/files.py) so that publishing is an import and a version can be
restored by importing it again."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class DashboardDraft(models.Model):
    """Unpublished edits of one dashboard: screens never see these until "Publish"."""

    dashboard = models.OneToOneField(
        "dashboard.Dashboard", related_name="draft", on_delete=models.CASCADE, verbose_name=gettext_lazy("dashboard")
    )
    document = models.JSONField(
        help_text=gettext_lazy("One dashboard entry of a dashboard file"), verbose_name=gettext_lazy("document")
    )
    based_on = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy("The version it was restored from"),
        verbose_name=gettext_lazy("based on"),
    )
    base = models.JSONField(
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "The published dashboard when this draft began: publishing over someone else's change asks first"
        ),
        verbose_name=gettext_lazy("base"),
    )
    updated_by = models.CharField(max_length=150, blank=True, verbose_name=gettext_lazy("updated by"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))
    revision = models.PositiveIntegerField(
        default=1,
        help_text=gettext_lazy("Counts saves: a save based on an older revision is refused, not applied over it"),
        verbose_name=gettext_lazy("revision"),
    )

    class Meta:
        verbose_name = gettext_lazy("dashboard draft")
        verbose_name_plural = gettext_lazy("dashboard drafts")
        permissions = [("edit_dashboards", "Can edit dashboards in the builder")]

    def __str__(self) -> str:
        return f"draft of {self.dashboard.slug}"


class DashboardVersion(models.Model):
    """What one "Publish" applied; restoring one makes it the draft again."""

    dashboard = models.ForeignKey(
        "dashboard.Dashboard", related_name="versions", on_delete=models.CASCADE, verbose_name=gettext_lazy("dashboard")
    )
    number = models.PositiveIntegerField(verbose_name=gettext_lazy("number"))
    document = models.JSONField(verbose_name=gettext_lazy("document"))
    published_by = models.CharField(max_length=150, blank=True, verbose_name=gettext_lazy("published by"))
    published_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("published at"))
    note = models.CharField(max_length=200, blank=True, verbose_name=gettext_lazy("note"))

    class Meta:
        verbose_name = gettext_lazy("dashboard version")
        verbose_name_plural = gettext_lazy("dashboard versions")
        ordering = ["dashboard", "-number"]
        constraints = [models.UniqueConstraint(fields=["dashboard", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.dashboard.slug} v{self.number}"


class DraftEditor(models.Model):
    """Who has a dashboard's editor open, as last seen (the page checks in every few
    seconds), so each editor sees the others before their edits meet."""

    dashboard = models.ForeignKey("dashboard.Dashboard", related_name="editors", on_delete=models.CASCADE)
    username = models.CharField(max_length=150)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dashboard", "username"], name="one_presence_per_editor")]

    def __str__(self) -> str:
        return f"{self.username} editing {self.dashboard.slug}"
