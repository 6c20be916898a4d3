"""Personal dashboards: a supervisor's own arrangement of a shared dashboard.

A personal dashboard is not a copy of widgets: it is the shared dashboard (`source`)
seen through the owner's `order` and `hidden` lists of widget ids. So it opens no
statistic the shared one does not (the subscription budget is untouched), it follows
the admin's edits of the widgets themselves (titles, thresholds, statistics), a widget
the admin adds later appears at its end, and the shared dashboard is never changed.
Only its owner sees it, and only while they may see the shared one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from dashboard.boards.models import Dashboard


class PersonalDashboard(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="personal_dashboards",
        on_delete=models.CASCADE,
        verbose_name=gettext_lazy("owner"),
    )
    source = models.ForeignKey(
        Dashboard, related_name="personal_copies", on_delete=models.CASCADE, verbose_name=gettext_lazy("source")
    )
    title = models.CharField(max_length=120, verbose_name=gettext_lazy("title"))
    order = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy("Widget ids of the shared dashboard, in this order"),
        verbose_name=gettext_lazy("order"),
    )
    hidden = models.JSONField(
        default=list, blank=True, help_text=gettext_lazy("Widget ids not shown"), verbose_name=gettext_lazy("hidden")
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created"))
    updated = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated"))

    class Meta:
        verbose_name = gettext_lazy("personal dashboard")
        verbose_name_plural = gettext_lazy("personal dashboards")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.owner})"

    def get_absolute_url(self) -> str:
        return reverse("personal-dashboard", args=[self.pk])

    def visible_to(self, user: object) -> bool:
        return getattr(user, "pk", None) == self.owner_id and self.source.visible_to(user)
