"""Admin pages for alerts: channels show their last error and never their secret;
the history is read-only and filterable by dashboard, level and date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dashboard.alerts.models import AlertEvent, AlertRule, NotificationChannel
from dashboard.boards.models import Dashboard, Widget

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def configured() -> tuple[NotificationChannel, AlertRule]:
    board = Dashboard.objects.create(slug="probe", title="Probe")
    widget = Widget.objects.create(dashboard=board, title="Calls waiting", warning=5, critical=10)
    channel = NotificationChannel.objects.create(
        name="ops",
        kind="webhook",
        url="http://127.0.0.1:9/hook",
        secret="never-shown-secret",
        last_error="HTTP 500 (try 3 of 8)",
        last_error_at=datetime.now(tz=UTC),
    )
    rule = AlertRule.objects.create(dashboard=board, name="Queue backing up", widget=widget)
    rule.channels.add(channel)
    at = datetime(2026, 1, 2, tzinfo=UTC)
    for event, level in (("raised", "critical"), ("acknowledged", "critical"), ("raised", "warning")):
        AlertEvent.objects.create(
            alert_id="al-1",
            event=event,
            at=at,
            since=at,
            dashboard=board,
            rule=rule,
            rule_name=rule.name,
            level=level,
            value=12,
            threshold=10,
            by="supervisor" if event == "acknowledged" else "",
        )
    return channel, rule


def test_channel_pages_show_the_last_error_and_never_the_secret(staff: Client, configured) -> None:  # type: ignore[no-untyped-def]
    channel, _ = configured
    listing = staff.get("/admin/dashboard/notificationchannel/").content.decode()
    assert "HTTP 500 (try 3 of 8)" in listing
    page = staff.get(f"/admin/dashboard/notificationchannel/{channel.pk}/change/").content.decode()
    assert "set (hidden)" in page and "never-shown-secret" not in page and "never-shown-secret" not in listing


def test_saving_a_channel_without_a_secret_keeps_the_old_one(staff: Client, configured) -> None:  # type: ignore[no-untyped-def]
    channel, _ = configured
    response = staff.post(
        f"/admin/dashboard/notificationchannel/{channel.pk}/change/",
        {
            "name": "ops",
            "kind": "webhook",
            "url": "http://127.0.0.1:9/other",
            "to": "[]",
            "secret": "",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.secret == "never-shown-secret" and channel.url.endswith("/other")


def test_rule_pages_render(staff: Client, configured) -> None:  # type: ignore[no-untyped-def]
    _, rule = configured
    assert staff.get("/admin/dashboard/alertrule/").status_code == 200
    assert staff.get(f"/admin/dashboard/alertrule/{rule.pk}/change/").status_code == 200
    assert staff.get("/admin/dashboard/alertrule/add/").status_code == 200


def test_history_is_filterable_by_dashboard_level_and_date(staff: Client, configured) -> None:  # type: ignore[no-untyped-def]
    board = Dashboard.objects.get(slug="probe")
    base = "/admin/dashboard/alertevent/"
    everything = staff.get(base).content.decode()
    assert everything.count('class="field-event"') == 3
    warning = staff.get(base, {"level__exact": "warning", "dashboard__id__exact": board.pk}).content.decode()
    assert warning.count('class="field-event"') == 1
    by_day = staff.get(base, {"at__year": 2026, "at__month": 1, "at__day": 2}).content.decode()
    assert by_day.count('class="field-event"') == 3
    assert staff.get(base, {"at__year": 2025}).content.decode().count('class="field-event"') == 0
    assert staff.get(base + "add/").status_code == 403
