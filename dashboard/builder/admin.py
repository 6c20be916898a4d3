"""The builder in the admin: published versions and pending drafts, read-only (the
editor page changes them), each with a link to the editor."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from dashboard.builder.models import DashboardDraft, DashboardVersion


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("editor"))
    def open_editor(self, row: DashboardDraft | DashboardVersion) -> str:
        return format_html('<a href="{}">Open in the builder</a>', reverse("builder-page", args=[row.dashboard.slug]))


@admin.register(DashboardVersion)
class DashboardVersionAdmin(_ReadOnly):
    list_display = ("dashboard", "number", "published_by", "published_at", "note", "open_editor")
    list_filter = ("dashboard",)


@admin.register(DashboardDraft)
class DashboardDraftAdmin(_ReadOnly):
    list_display = ("dashboard", "updated_by", "updated_at", "open_editor")
