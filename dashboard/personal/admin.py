"""Admin: personal dashboards, read-only (who made which, from what). Owners arrange
them on their own page; an admin may delete one."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dashboard.personal.models import PersonalDashboard


@admin.register(PersonalDashboard)
class PersonalDashboardAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "source", "updated")
    list_filter = ("source",)
    readonly_fields = ("owner", "source", "title", "order", "hidden", "created", "updated")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
