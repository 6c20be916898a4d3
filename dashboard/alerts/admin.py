"""Admin pages for alerts: channels (secret write-only; last error and last success),
rules, and the history (read-only, filterable by dashboard, level, event and date).
Saving a rule or a channel needs no signal: the engine re-reads them every few seconds."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from dashboard.alerts.models import AlertEvent, AlertRule, NotificationChannel


class ChannelForm(forms.ModelForm):
    url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Webhook or Slack incoming-webhook URL"),
    )
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        label=gettext_lazy("Signing secret"),
        help_text=gettext_lazy(
            "Webhook only. Each POST carries X-Alert-Signature: sha256=<hex HMAC-SHA256 of the body "
            "with this secret>. Never shown again; leave empty to keep the current one."
        ),
    )

    class Meta:
        model = NotificationChannel
        fields = ("name", "kind", "url", "to", "secret", "enabled")

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")


@admin.register(NotificationChannel)
class NotificationChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ("name", "kind", "enabled", "last_success", "last_error_at", "last_error")
    list_filter = ("kind", "enabled")
    readonly_fields = ("secret_state", "last_success", "last_error_at", "last_error")

    @admin.display(description=gettext_lazy("secret"))
    def secret_state(self, channel: NotificationChannel) -> str:
        return gettext("set (hidden)") if channel.secret else gettext("not set")


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "dashboard", "widget", "level", "after_seconds", "repeat_seconds", "sound", "enabled")
    list_filter = ("dashboard", "level", "enabled")
    list_select_related = ("dashboard", "widget")
    filter_horizontal = ("channels", "escalation_channels")
    autocomplete_fields = ()
    fieldsets = (
        (None, {"fields": ("dashboard", "name", "widget", "statistic", "level", "enabled")}),
        (gettext_lazy("Timing"), {"fields": ("after_seconds", "repeat_seconds")}),
        (
            gettext_lazy("Where it goes"),
            {"fields": ("channels", "sound", "escalate_after_minutes", "escalation_channels")},
        ),
    )


@admin.register(AlertEvent)
class AlertEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "event",
        "level",
        "rule_name",
        "dashboard",
        "widget",
        "statistic",
        "value",
        "threshold",
        "by",
        "alert_id",
    )
    list_filter = ("dashboard", "level", "event", ("at", admin.DateFieldListFilter))
    search_fields = ("rule_name", "widget", "statistic", "alert_id", "by")
    date_hierarchy = "at"
    list_select_related = ("dashboard",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
