"""The configuration pages: statistics, dashboards, widgets, thresholds, wallboards.

Saves reach a running bridge through dashboard/boards/signals.py; nothing here talks to it,
except the "test this statistic" action, which asks the upstream directly (a one-off
REST read, as a supervisor would before putting a statistic on a wallboard).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from dashboard.access.models import WallboardToken
from dashboard.access.policy import issue_token
from dashboard.alerts import admin as alerts_admin  # noqa: F401  (registers the alert pages)
from dashboard.boards.models import Dashboard, Statistic, Wallboard, WallboardPage, Widget, WidgetStatistic
from dashboard.boards.statistic_peek import peek_each_on_its_connection
from dashboard.boards.validation import definition_warnings
from dashboard.builder import admin as builder_admin  # noqa: F401  (registers the builder pages)
from dashboard.skills import admin as skills_admin

admin.site.site_header = gettext_lazy("Contact center live: configuration")
admin.site.site_title = gettext_lazy("Contact center live: configuration")
admin.site.index_title = gettext_lazy("Statistics, dashboards, wallboards and skills")


def _shown(value: Any, unit: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}" + {"duration": " s", "percent": " %"}.get(unit, "")
    return json.dumps(value)[:300]


# -- statistics -----------------------------------------------------------------


class RefusedFilter(admin.SimpleListFilter):
    """The statistics Genesys refused to open (recorded by the bridge, dashboard/boards/refused.py)."""

    title = "Genesys"
    parameter_name = "refused"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Refused by Genesys"), ("no", "Not refused")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Statistic]) -> QuerySet[Statistic]:
        if self.value() == "yes":
            return queryset.exclude(refused="")
        if self.value() == "no":
            return queryset.filter(refused="")
        return queryset


@admin.register(Statistic)
class StatisticAdmin(admin.ModelAdmin):
    list_display = ("label", "summary", "refused_by_genesys", "object_type", "object_id", "unit")
    list_display_links = ("label", "summary")
    list_filter = (RefusedFilter, "connection", "object_type", "unit")
    search_fields = ("label", "name", "object_type", "object_id")
    actions = ["peek_statistics"]
    readonly_fields = ("refused", "refused_at")
    fieldsets = (
        (None, {"fields": ("label", "unit", "connection", "object_type", "object_id")}),
        (gettext_lazy("What to measure: a name or a definition"), {"fields": ("name", "definition")}),
        (
            gettext_lazy("Refused by Genesys (asked again after any change to the configuration)"),
            {"fields": ("refused", "refused_at")},
        ),
        (gettext_lazy("Freshness"), {"fields": ("expected_period_s",), "classes": ("collapse",)}),
    )

    @admin.display(description=gettext_lazy("refused by Genesys"), ordering="refused")
    def refused_by_genesys(self, stat: Statistic) -> str:
        if not stat.refused:
            return "-"
        short = stat.refused if len(stat.refused) <= 90 else stat.refused[:87] + "..."
        return format_html('<span title="{}">{}</span>', stat.refused, short)

    def save_model(self, request: HttpRequest, obj: Statistic, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        for warning in definition_warnings(obj.definition):
            self.message_user(
                request,
                gettext('%(statistic)s: %(warning)s. Saved; use "Test this statistic" to ask Genesys.')
                % {"statistic": obj, "warning": warning},
                messages.WARNING,
            )

    @admin.display(description=gettext_lazy("statistic"), ordering="name")
    def summary(self, stat: Statistic) -> str:
        if stat.name:
            return stat.name
        definition = stat.definition if isinstance(stat.definition, dict) else {}
        parts = [definition.get(k) for k in ("category", "subject", "mainMask")]
        return "ad hoc: " + " / ".join(str(p) for p in parts if p)

    @admin.action(description=gettext_lazy("Test this statistic (ask Genesys for its current value)"))
    def peek_statistics(self, request: HttpRequest, queryset: QuerySet[Statistic]) -> None:
        stats = list(queryset.select_related("connection"))
        for stat, (value, error) in zip(stats, peek_each_on_its_connection(stats), strict=False):
            if error:
                self.message_user(
                    request,
                    gettext("%(statistic)s: the upstream refused it: %(error)s") % {"statistic": stat, "error": error},
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"{stat} = {_shown(value, stat.unit)}", messages.SUCCESS)


# -- dashboards and widgets -----------------------------------------------------


class WidgetInline(admin.TabularInline):
    model = Widget
    form = skills_admin.WidgetForm
    fields = ("position", "kind", "title", "width", "warning", "critical", "direction", "compare", "skills")
    extra = 0
    show_change_link = True  # its statistics are edited on the widget's own page


@admin.register(Dashboard)
class DashboardAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "widget_count", "view_live")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("groups",)
    inlines = [WidgetInline]

    @admin.display(description=gettext_lazy("widgets"))
    def widget_count(self, dashboard: Dashboard) -> int:
        return dashboard.widgets.count()

    @admin.display(description=gettext_lazy("live"))
    def view_live(self, dashboard: Dashboard) -> str:
        try:
            url = dashboard.get_absolute_url()
        except NoReverseMatch:
            url = f"/dashboards/{dashboard.slug}/"
        return format_html('<a href="{}" target="_blank" rel="noopener">view live</a>', url)


class WidgetStatisticInline(admin.TabularInline):
    model = WidgetStatistic
    fields = ("position", "statistic")
    autocomplete_fields = ("statistic",)
    extra = 1


@admin.register(Widget)
class WidgetAdmin(admin.ModelAdmin):
    list_display = ("title", "dashboard", "kind", "position", "width", "warning", "critical", "direction")
    list_filter = ("dashboard", "kind")
    search_fields = ("title", "dashboard__title", "dashboard__slug")
    autocomplete_fields = ("dashboard",)
    inlines = [WidgetStatisticInline]
    form = skills_admin.WidgetForm
    fieldsets = (
        (None, {"fields": ("dashboard", "kind", "title", "position", "width")}),
        (
            gettext_lazy("Skill coverage"),
            {
                "fields": ("skills",),
                "description": gettext_lazy(
                    "Counts, per skill, the agents who are Ready, on a call, in wrap-up "
                    "or Not ready. Other widgets leave this empty."
                ),
            },
        ),
        (
            gettext_lazy("Thresholds"),
            {
                "fields": ("warning", "critical", "direction"),
                "description": gettext_lazy("Tiles turn amber at the warning level and red at the critical one."),
            },
        ),
        (
            gettext_lazy("History"),
            {
                "fields": ("compare", "interval_minutes"),
                "description": gettext_lazy(
                    "Line and KPI widgets: compare with the same time in the past (a faint line; "
                    "a KPI says the difference). Intraday tables: the interval of each row."
                ),
            },
        ),
    )


@admin.register(WidgetStatistic)
class WidgetStatisticAdmin(admin.ModelAdmin):
    list_display = ("widget", "statistic", "position")
    list_filter = ("widget__dashboard",)
    autocomplete_fields = ("widget", "statistic")


# -- wallboards and kiosk tokens ------------------------------------------------


def kiosk_url(request: HttpRequest, wallboard: Wallboard, token: str) -> str:
    return request.build_absolute_uri(f"/wallboards/{wallboard.slug}/?token={quote(token, safe='')}")


def revoke(tokens: QuerySet[WallboardToken]) -> int:
    return tokens.filter(revoked__isnull=True).update(revoked=timezone.now())


class WallboardPageInline(admin.TabularInline):
    model = WallboardPage
    fields = ("position", "dashboard")
    autocomplete_fields = ("dashboard",)
    extra = 1


class WallboardTokenInline(admin.TabularInline):
    model = WallboardToken
    fields = readonly_fields = ("label", "created", "last_seen", "revoked")
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("kiosk tokens (issue and revoke them with the actions on the wallboard list)")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a token is only worth anything with its URL: use the action


@admin.register(Wallboard)
class WallboardAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "rotate_seconds", "theme", "live_tokens")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [WallboardPageInline, WallboardTokenInline]
    actions = ["issue_kiosk_token", "revoke_tokens"]

    @admin.display(description=gettext_lazy("live tokens"))
    def live_tokens(self, wallboard: Wallboard) -> int:
        return wallboard.tokens.filter(revoked__isnull=True).count()

    @admin.action(description=gettext_lazy("Issue a kiosk token"))
    def issue_kiosk_token(self, request: HttpRequest, queryset: QuerySet[Wallboard]) -> None:
        for wallboard in queryset:
            token = issue_token(wallboard, label=f"issued by {request.user} in the admin")
            url = kiosk_url(request, wallboard, token)
            self.message_user(
                request,
                format_html(
                    gettext('Kiosk URL for {}: <a href="{}">{}</a> (shown only once: copy it now)'), wallboard, url, url
                ),
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Revoke tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[Wallboard]) -> None:
        count = revoke(WallboardToken.objects.filter(wallboard__in=queryset))
        self.message_user(
            request,
            gettext("Revoked %(count)s kiosk token(s): their URLs no longer open the wallboard.") % {"count": count},
        )


@admin.register(WallboardPage)
class WallboardPageAdmin(admin.ModelAdmin):
    list_display = ("wallboard", "dashboard", "position")
    list_filter = ("wallboard",)
    autocomplete_fields = ("dashboard",)


@admin.register(WallboardToken)
class WallboardTokenAdmin(admin.ModelAdmin):
    list_display = ("wallboard", "label", "created", "last_seen", "revoked")
    list_filter = ("wallboard", ("revoked", admin.EmptyFieldListFilter))
    search_fields = ("label", "wallboard__slug")
    readonly_fields = ("wallboard", "created", "last_seen", "revoked")
    fields = ("wallboard", "label", "created", "last_seen", "revoked")
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # issued by the wallboard action, which shows the URL

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[WallboardToken]) -> None:
        self.message_user(request, gettext("Revoked %(count)s kiosk token(s).") % {"count": revoke(queryset)})
