"""Admin pages for connections: add, edit, test (the `check_genesys` preflight) and
disable. Secrets are write-only: the form never renders them back, an empty field keeps
the stored value, and the list shows only whether each is set."""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from dashboard.connections.models import Connection

SECRETS = ("api_key", "client_secret", "password")


def _secret_field(label: str | Promise, required_new: bool) -> forms.CharField:
    return forms.CharField(
        required=False,
        label=label,
        widget=forms.PasswordInput(render_value=False),
        help_text=(
            gettext_lazy("Required. Never shown again. Leave empty to keep the current one.")
            if required_new
            else gettext_lazy("Never shown again. Leave empty to keep the current one.")
        ),
    )


class ConnectionForm(forms.ModelForm):
    base_url = forms.URLField(
        max_length=300,
        assume_scheme="https",
        label=gettext_lazy("Base URL"),
        help_text=gettext_lazy("e.g. https://gapi-use1.genesyscloud.com"),
    )
    auth_base_url = forms.URLField(
        required=False,
        max_length=300,
        assume_scheme="https",
        label=gettext_lazy("Auth base URL"),
        help_text=gettext_lazy("Where sign-in lives, when not on the base URL (optional)"),
    )
    api_key = _secret_field(gettext_lazy("API key"), required_new=True)
    client_secret = _secret_field(gettext_lazy("Client secret"), required_new=True)
    password = _secret_field(gettext_lazy("Password"), required_new=False)

    class Meta:
        model = Connection
        fields = (
            "name",
            "enabled",
            "base_url",
            "auth_base_url",
            "api_key",
            "client_id",
            "client_secret",
            "username",
            "password",
            "groups",
        )

    def _kept(self, field: str, required: bool) -> str:
        value = self.cleaned_data.get(field) or (getattr(self.instance, field) if self.instance.pk else "")
        if required and not value:
            raise forms.ValidationError(gettext("This field is required."))
        return value

    def clean_api_key(self) -> str:
        return self._kept("api_key", required=True)

    def clean_client_secret(self) -> str:
        return self._kept("client_secret", required=True)

    def clean_password(self) -> str:
        return self._kept("password", required=False)


def test_lines(connections: list[Connection]) -> list[tuple[bool, list[str]]]:
    """The preflight of each connection, as the command prints it (never a secret). They
    run side by side, so the request waits one notification wait (the command's: long
    enough to tell a quiet tenant from a held poll), not one per connection."""
    from dashboard.access.preflight import run_preflight

    async def run_all() -> list:
        return await asyncio.gather(*(run_preflight(row.base_url, connection=row.name) for row in connections))

    return [(report.ok, list(report.lines())) for report in async_to_sync(run_all)()]


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionForm
    list_display = ("name", "enabled", "base_url", "sign_in", "secrets_state", "statistics_count")
    list_filter = ("enabled",)
    readonly_fields = ("secrets_state", "links")
    filter_horizontal = ("groups",)
    actions = ["test_connection", "disable", "enable"]
    fieldsets = (
        (None, {"fields": ("name", "enabled", "base_url", "auth_base_url")}),
        (
            gettext_lazy("Credentials"),
            {"fields": ("api_key", "client_id", "client_secret", "username", "password", "secrets_state")},
        ),
        (gettext_lazy("Access"), {"fields": ("groups",)}),
        (gettext_lazy("Check and sign-in"), {"fields": ("links",)}),
    )

    @admin.display(description=gettext_lazy("secrets"))
    def secrets_state(self, connection: Connection) -> str:
        return ", ".join(
            f"{name.replace('_', ' ')} {'set' if getattr(connection, name) else 'not set'}" for name in SECRETS
        )

    @admin.display(description=gettext_lazy("sign-in"))
    def sign_in(self, connection: Connection) -> str:
        if connection.username and connection.password:
            return gettext("service account")
        if hasattr(connection, "authorization"):
            return gettext("authorization code (connected)")
        return gettext("authorization code")

    @admin.display(description=gettext_lazy("statistics"))
    def statistics_count(self, connection: Connection) -> int:
        return connection.statistics.count()

    @admin.display(description=gettext_lazy("pages"))
    def links(self, connection: Connection) -> str:
        if not connection.pk:
            return gettext("save first")
        query = f"?connection={connection.name}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> ({})',
            reverse("check-connection") + query,
            gettext("Check connection"),
            reverse("connect-genesys") + query,
            gettext("Connect to Genesys"),
            gettext("authorization code"),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _tell_bridges()

    @admin.action(description=gettext_lazy("Test connection (check_genesys)"))
    def test_connection(self, request: HttpRequest, queryset: QuerySet[Connection]) -> None:
        connections = list(queryset)
        for connection, (ok, lines) in zip(connections, test_lines(connections), strict=True):
            level = messages.SUCCESS if ok else messages.ERROR
            status = gettext("every step passed") if ok else gettext("failed")
            self.message_user(request, f"{connection.name}: {status}", level)
            for line in lines:
                self.message_user(request, f"{connection.name}: {line}", level)

    @admin.action(description=gettext_lazy("Disable (no bridge reads it)"))
    def disable(self, request: HttpRequest, queryset: QuerySet[Connection]) -> None:
        count = queryset.update(enabled=False)
        _tell_bridges()
        self.message_user(request, gettext("%(count)s connection(s) disabled") % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Enable"))
    def enable(self, request: HttpRequest, queryset: QuerySet[Connection]) -> None:
        count = queryset.update(enabled=True)
        _tell_bridges()
        self.message_user(request, gettext("%(count)s connection(s) enabled") % {"count": count}, messages.SUCCESS)


def _tell_bridges() -> None:
    """A connection was added, changed or (dis)abled: the bridges re-read the configuration,
    once it is committed (a save runs in the admin's transaction: told before the commit,
    the bridges read the old rows). Its revision is bumped in that transaction."""
    from dashboard.boards.bridge_config import notify_bridge
    from dashboard.boards.revisions import bump, scopes_for

    revisions = bump(scopes_for())
    transaction.on_commit(lambda: notify_bridge("config.changed", revisions=revisions))
