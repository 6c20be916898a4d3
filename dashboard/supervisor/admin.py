"""Admin pages for queue routing and agent-group membership (drill-down configuration)."""

from __future__ import annotations

from django.contrib import admin

from dashboard.supervisor.models import AgentGroupMember, QueueRouting


@admin.register(QueueRouting)
class QueueRoutingAdmin(admin.ModelAdmin):
    list_display = ("queue_id", "skills", "min_level", "groups")
    search_fields = ("queue_id",)


@admin.register(AgentGroupMember)
class AgentGroupMemberAdmin(admin.ModelAdmin):
    list_display = ("group", "agent_id", "name")
    list_filter = ("group",)
    search_fields = ("agent_id", "name", "group")
