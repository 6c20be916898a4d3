"""The admin's own words in German, in process: a model's and the app's name, a field's help text, a
fieldset title, an admin action and a list column, plus the sign-in and skill-pattern
messages an admin reads (all marked lazily, so they follow the reader's language)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.utils import translation

from dashboard.access.upstream_auth import _denied_message
from dashboard.boards.models import Widget
from dashboard.connections.models import Connection
from dashboard.floor.models import FloorMessage
from dashboard.skills.identity import pattern_problem
from dashboard.supervisor.models import QueueRouting


def test_model_names_and_help_texts_read_in_german() -> None:
    with translation.override("de"):
        assert str(QueueRouting._meta.verbose_name) == "Warteschlangen-Routing"
        assert str(Connection._meta.verbose_name_plural) == "Verbindungen"
        assert str(FloorMessage._meta.verbose_name_plural) == "Nachrichten an die Fläche"
        assert str(apps.get_app_config("dashboard").verbose_name) == "Statistik-Dashboard"
        assert str(QueueRouting._meta.get_field("queue_id").verbose_name) == "Warteschlangen-objectId"
        assert str(Widget._meta.get_field("width").help_text) == "Rasterspalten, die es überspannt"
        assert str(Widget._meta.get_field("width").verbose_name) == "Breite"
        assert str(Connection._meta.get_field("base_url").verbose_name) == "Basis-URL"
    with translation.override("en"):
        assert str(QueueRouting._meta.verbose_name) == "queue routing"


def test_admin_actions_columns_and_fieldsets_read_in_german() -> None:
    from dashboard.boards.models import Statistic, Wallboard

    wallboards = admin.site._registry[Wallboard]
    statistics = admin.site._registry[Statistic]
    with translation.override("de"):
        assert str(wallboards.issue_kiosk_token.short_description) == "Ein Kiosk-Token ausstellen"
        assert str(wallboards.live_tokens.short_description) == "gültige Tokens"
        titles = [str(title) for title, _ in statistics.fieldsets if title]
        assert "Aktualität" in titles
        assert str(admin.site.index_title) == "Statistiken, Dashboards, Wallboards und Skills"


def test_sign_in_and_pattern_problems_read_in_german() -> None:
    with translation.override("de"):
        assert _denied_message("access_denied").startswith("Die Anmeldung wurde bei Genesys abgebrochen")
        assert pattern_problem("") == "Die Musterregel braucht ein Muster, z. B. ^([^@]+)@"
        assert pattern_problem("(").startswith("Kein regulärer Ausdruck: ")


def test_a_skill_sources_sync_status_reads_in_german() -> None:
    """The Sync column; the stored result itself (written by the job) stays as written."""
    import datetime

    from dashboard.skills.models import SkillSource
    from dashboard.skills.requests import status_of

    at = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
    with translation.override("de"):
        assert status_of(SkillSource(name="ws")) == "nie synchronisiert"
        assert status_of(SkillSource(name="ws", sync_requested_at=at, sync_request_force=True)).startswith(
            "eingereiht um "
        )
        failed = SkillSource(name="ws", last_sync_at=at, last_ok=False, last_result="HTTP 500")
        assert status_of(failed).startswith("fehlgeschlagen am ") and status_of(failed).endswith(": HTTP 500")
