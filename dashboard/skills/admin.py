"""Admin pages for skills: the sources (secrets write-only, "test connection", "sync
now" queued for the skills job, dashboard/skills/requests.py), the agent mapping (editable; an edit marks it manual so syncs keep it) and the
synced skills and clusters (read-only: the next sync would undo an edit anyway).
Registered from dashboard/boards/admin.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from dashboard.boards.models import Widget
from dashboard.skills.models import AgentMapping, AgentSkill, AgentSkillCluster, Skill, SkillCluster, SkillSource
from dashboard.skills.pages import notify_skills_changed
from statsbridge.skillsources import SkillSourceError


class SkillNamesField(forms.CharField):
    """A list of skill names, typed as "English, Spanish"."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [name.strip() for name in text.split(",") if name.strip()]


class WidgetForm(forms.ModelForm):
    skills = SkillNamesField(
        required=False,
        help_text=gettext_lazy(
            "Skill coverage only: skill names, comma-separated, "
            "e.g. English, Spanish. Thresholds apply to each skill's Ready count."
        ),
    )

    class Meta:
        model = Widget
        fields = "__all__"


# -- sources --------------------------------------------------------------------


class SkillSourceForm(forms.ModelForm):
    base_url = forms.URLField(
        required=False,
        max_length=300,
        assume_scheme="https",
        label=gettext_lazy("Base URL"),
        help_text=SkillSource._meta.get_field("base_url").help_text,
    )
    token_url = forms.URLField(
        required=False,
        max_length=300,
        assume_scheme="https",
        label=gettext_lazy("Token URL"),
        help_text=SkillSource._meta.get_field("token_url").help_text,
    )
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        label=gettext_lazy("Password, token or client secret"),
        help_text=gettext_lazy(
            "Web Services: the password. Export: the bearer token, or with client credentials the "
            "client secret. Never shown again. Leave empty to keep the current one."
        ),
    )

    class Meta:
        model = SkillSource
        fields = (
            "name",
            "kind",
            "base_url",
            "username",
            "secret",
            "enabled",
            "agent_id_rule",
            "agent_id_pattern",
            "export_auth",
            "token_url",
            "client_id",
            "token_scope",
            "token_audience",
        )

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")


def check_connection(source: SkillSource) -> str:
    """What a working source answers to its cheapest call; raises SkillSourceError."""
    from dashboard.skills.export import export_client
    from dashboard.skills.ws import ws_client

    if source.kind == SkillSource.Kind.WEB_SERVICES:
        with ws_client(source) as client:
            version = client.version()
            skills = client.skills()  # the version call needs no credentials: prove them too
        return gettext("Web Services %(version)s, %(count)s skills") % {"version": version, "count": len(skills)}
    with export_client(source, page_size=1) as client:
        page = client.page()
    return gettext("export answered: %(count)s employee(s) on a one-record page") % {"count": len(page.records)}


@admin.register(SkillSource)
class SkillSourceAdmin(admin.ModelAdmin):
    form = SkillSourceForm
    list_display = ("name", "kind", "where", "enabled", "last_sync_at", "last_ok", "sync_status")
    list_filter = ("kind", "enabled")
    readonly_fields = (
        "secret_state",
        "sync_status",
        "last_sync_at",
        "last_ok",
        "last_result",
        "resume_cursor",
        "run_started_at",
    )
    actions = ["test_connection", "sync_now", "sync_now_force"]
    fieldsets = (
        (None, {"fields": ("name", "kind", "base_url", "enabled")}),
        (gettext_lazy("Credentials"), {"fields": ("username", "secret", "secret_state")}),
        (
            gettext_lazy("Export sign-in (skill-clusters export only)"),
            {"fields": ("export_auth", "token_url", "client_id", "token_scope", "token_audience")},
        ),
        (gettext_lazy("Agent identity (Web Services only)"), {"fields": ("agent_id_rule", "agent_id_pattern")}),
        (
            gettext_lazy("Sync"),
            {"fields": ("sync_status", "last_sync_at", "last_ok", "last_result", "resume_cursor", "run_started_at")},
        ),
    )

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        """While a sync is queued or running the list reloads itself, so it shows the progress."""
        from dashboard.skills.requests import REFRESH_S, in_progress

        extra = {"sync_pending": REFRESH_S if in_progress() else 0}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    @admin.display(description=gettext_lazy("base URL"))
    def where(self, source: SkillSource) -> str:
        return source.base_url or gettext("built-in simulator")

    @admin.display(description=gettext_lazy("secret"))
    def secret_state(self, source: SkillSource) -> str:
        return gettext("set (hidden)") if source.secret else gettext("not set")

    @admin.display(description=gettext_lazy("sync"))
    def sync_status(self, source: SkillSource) -> str:
        from dashboard.skills.requests import status_of

        text = status_of(source)
        return text[:160] + ("…" if len(text) > 160 else "")

    @admin.action(description=gettext_lazy("Test connection"))
    def test_connection(self, request: HttpRequest, queryset: QuerySet[SkillSource]) -> None:
        for source in queryset:
            try:
                said = gettext("%(source)s: OK, %(answer)s") % {"source": source, "answer": check_connection(source)}
                self.message_user(request, said, messages.SUCCESS)
            except SkillSourceError as error:  # safe to show: no secrets (statsbridge.skillsources.errors)
                self.message_user(request, f"{source}: {error}", messages.ERROR)

    @admin.action(description=gettext_lazy("Sync now"))
    def sync_now(self, request: HttpRequest, queryset: QuerySet[SkillSource]) -> None:
        self._queue(request, queryset, force=False)

    @admin.action(description=gettext_lazy("Sync now, accepting removals (more than half, or every skill)"))
    def sync_now_force(self, request: HttpRequest, queryset: QuerySet[SkillSource]) -> None:
        self._queue(request, queryset, force=True)

    def _queue(self, request: HttpRequest, queryset: QuerySet[SkillSource], *, force: bool) -> None:
        """Hand the sync to the skills job (a whole sync is far too long for a request)."""
        from dashboard.skills.requests import request_sync

        names = ", ".join(request_sync(queryset, force=force))
        said = gettext(
            "Sync of %(names)s queued: the skills job starts it within seconds. "
            "Reload this page for its progress and result (the Sync column). Deployments "
            "without a bridge process run it at the next `sync_skills`."
        )
        self.message_user(request, said % {"names": names}, messages.SUCCESS)


# -- who is who -------------------------------------------------------------------


class MappedFilter(admin.SimpleListFilter):
    title = gettext_lazy("agent")
    parameter_name = "mapped"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", gettext("unmapped")), ("yes", gettext("mapped"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.filter(agent_object_id="")
        if self.value() == "yes":
            return queryset.exclude(agent_object_id="")
        return queryset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AgentSkillInline(ReadOnlyInline):
    model = AgentSkill
    fields = ("skill", "level", "source")


class AgentSkillClusterInline(ReadOnlyInline):
    model = AgentSkillCluster
    fields = ("cluster", "proficiency_level", "validation_state", "source")


@admin.register(AgentMapping)
class AgentMappingAdmin(admin.ModelAdmin):
    list_display = ("display_name", "ws_user_name", "external_id", "agent_object_id", "manual", "skill_list")
    list_editable = ("agent_object_id",)
    list_filter = (MappedFilter, "manual")
    search_fields = ("display_name", "ws_user_name", "external_id", "agent_object_id")
    fields = ("agent_object_id", "manual", "display_name", "ws_user_name", "ws_user_id", "external_id")
    readonly_fields = ("ws_user_name", "ws_user_id", "external_id")
    inlines = [AgentSkillInline, AgentSkillClusterInline]

    @admin.display(description=gettext_lazy("skills"))
    def skill_list(self, mapping: AgentMapping) -> str:
        return ", ".join(f"{s.skill.name} {s.level}" for s in mapping.skills.select_related("skill"))

    def save_model(self, request: HttpRequest, obj: AgentMapping, form: forms.ModelForm, change: bool) -> None:
        if "agent_object_id" in form.changed_data:
            obj.manual = True  # an admin's word outlives the default rule
        super().save_model(request, obj, form, change)
        transaction.on_commit(notify_skills_changed)  # coverage widgets follow the agent now named


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ("name", "description", "source", "agent_count", "updated_at")
    list_filter = ("source",)
    search_fields = ("name", "description")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Skill]:
        return super().get_queryset(request).annotate(n_agents=Count("agents"))

    @admin.display(description=gettext_lazy("people"), ordering="n_agents")
    def agent_count(self, skill: Skill) -> int:
        return skill.n_agents  # type: ignore[attr-defined]


@admin.register(AgentSkill)
class AgentSkillAdmin(ReadOnlyAdmin):
    list_display = ("mapping", "skill", "level", "source", "updated_at")
    list_filter = ("skill", "source")
    search_fields = ("mapping__display_name", "mapping__agent_object_id", "skill__name")


@admin.register(SkillCluster)
class SkillClusterAdmin(ReadOnlyAdmin):
    list_display = ("name", "domain", "cluster_id", "updated_at")
    list_filter = ("domain",)
    search_fields = ("name", "domain", "cluster_id")


@admin.register(AgentSkillCluster)
class AgentSkillClusterAdmin(ReadOnlyAdmin):
    list_display = ("mapping", "cluster", "proficiency_level", "validation_state", "updated_at")
    list_filter = ("cluster", "validation_state")
    search_fields = ("mapping__display_name", "mapping__agent_object_id", "cluster__name")
