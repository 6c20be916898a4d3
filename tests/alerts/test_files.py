"""Channels and alert rules in dashboard files: exported as interfaces.md says, secrets
never exported, import all-or-nothing and idempotent."""

from __future__ import annotations

import copy

import pytest

from dashboard.alerts.models import AlertRule, NotificationChannel
from dashboard.boards.files import DashboardFileError, export_dashboards, import_dashboards
from dashboard.boards.models import Dashboard

pytestmark = pytest.mark.django_db

FILE = {
    "channels": [
        {"name": "ops", "kind": "webhook", "url": "http://127.0.0.1:9000/hook", "secret": "hush-webhook"},
        {"name": "chat", "kind": "slack", "url": "https://hooks.slack.example/services/T/B/hush-slack"},
        {"name": "boss", "kind": "email", "to": ["boss@example.com"]},
    ],
    "dashboards": [
        {
            "slug": "probe",
            "title": "Probe",
            "widgets": [
                {
                    "type": "kpi",
                    "title": "Calls waiting",
                    "statistics": [
                        {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "8001@SIP_Switch"}
                    ],
                    "thresholds": {"warning": 5, "critical": 10, "direction": "above"},
                }
            ],
            "alerts": [
                {
                    "name": "Queue backing up",
                    "widget": "Calls waiting",
                    "level": "critical",
                    "after_seconds": 60,
                    "repeat_seconds": 600,
                    "channels": ["ops", "chat"],
                    "sound": True,
                    "escalate": {"after_minutes": 15, "channels": ["boss"]},
                }
            ],
        }
    ],
    "wallboards": [],
}


def test_import_creates_channels_and_rules_and_a_second_import_changes_nothing() -> None:
    first = import_dashboards(copy.deepcopy(FILE))
    assert "channel ops" in first.created and "dashboard probe" in first.created
    rule = AlertRule.objects.get()
    assert (rule.name, rule.widget.title, rule.level, rule.after_seconds, rule.repeat_seconds) == (
        "Queue backing up",
        "Calls waiting",
        "critical",
        60,
        600,
    )
    assert sorted(c.name for c in rule.channels.all()) == ["chat", "ops"]
    assert [c.name for c in rule.escalation_channels.all()] == ["boss"]
    assert NotificationChannel.objects.get(name="ops").secret == "hush-webhook"
    second = import_dashboards(copy.deepcopy(FILE))
    assert second.created == [] and second.updated == []
    assert AlertRule.objects.get().pk == rule.pk


def test_export_carries_channels_and_alerts_but_no_secret() -> None:
    import_dashboards(copy.deepcopy(FILE))
    exported = export_dashboards()
    text = repr(exported)
    assert "hush-webhook" not in text and "hush-slack" not in text
    assert exported["channels"][0] == {"name": "boss", "kind": "email", "to": ["boss@example.com"]}
    assert {"name": "ops", "kind": "webhook", "url": "http://127.0.0.1:9000/hook"} in exported["channels"]
    assert exported["dashboards"][0]["alerts"][0]["widget"] == "Calls waiting"
    again = import_dashboards(exported)  # the export imports back without a change or a lost secret
    assert again.created == [] and again.updated == []
    assert NotificationChannel.objects.get(name="ops").secret == "hush-webhook"
    assert NotificationChannel.objects.get(name="chat").url.endswith("hush-slack")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f: f["dashboards"][0]["alerts"][0].update(widget="Nope"), "alerts[0].widget"),
        (lambda f: f["dashboards"][0]["alerts"][0].update(channels=["ghost"]), "unknown channel 'ghost'"),
        (lambda f: f["dashboards"][0]["widgets"][0].update(thresholds={"warning": 5}), "has no critical threshold"),
        (lambda f: f["channels"][0].update(kind="pager"), "channels[0].kind"),
        (lambda f: f["dashboards"][0]["alerts"][0].update(after_seconds=-1), "after_seconds"),
    ],
)
def test_a_bad_alert_or_channel_changes_nothing(change, message) -> None:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(FILE)
    change(data)
    with pytest.raises(DashboardFileError) as raised:
        import_dashboards(data)
    assert message in str(raised.value)
    assert not Dashboard.objects.exists() and not NotificationChannel.objects.exists()
