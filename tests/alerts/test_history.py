"""The alert history: events written in batches, pruned after ALERT_HISTORY_DAYS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.alerts.history import EventWriter, prune
from dashboard.alerts.models import AlertEvent, AlertRule
from dashboard.alerts.spec import Alert, RuleSpec
from dashboard.boards.models import Dashboard, Widget

pytestmark = pytest.mark.django_db(transaction=True)


def _event(days_ago: float) -> AlertEvent:
    at = datetime.now(tz=UTC) - timedelta(days=days_ago)
    return AlertEvent.objects.create(alert_id="al-x", event="raised", at=at, since=at, rule_name="r", level="warning")


def test_prune_removes_only_events_older_than_the_setting() -> None:
    old, recent = _event(91), _event(89)
    assert prune(90) == 1
    assert list(AlertEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk not in AlertEvent.objects.values_list("pk", flat=True)


async def test_writer_stores_a_batch_and_survives_a_deleted_rule() -> None:
    from asgiref.sync import sync_to_async

    def setup() -> tuple[int, int]:
        board = Dashboard.objects.create(slug="probe", title="Probe")
        widget = Widget.objects.create(dashboard=board, title="Calls waiting", critical=10)
        rule = AlertRule.objects.create(dashboard=board, name="Backing up", widget=widget)
        return board.pk, rule.pk

    board_id, rule_id = await sync_to_async(setup)()
    spec = RuleSpec(
        id=rule_id,
        name="Backing up",
        dashboard="probe",
        dashboard_id=board_id,
        widget="Calls waiting",
        level="critical",
        threshold=10.0,
        direction="above",
        keys=("st-a",),
        labels={"st-a": "Waiting"},
    )
    alert = Alert("al-1", spec, "st-a", 12.0, 1_700_000_000_000, raised_at=0.0, last_sent=0.0)
    writer = EventWriter()
    writer.add("raised", alert)
    alert.acknowledged_by = "supervisor"
    writer.add("acknowledged", alert)
    await sync_to_async(AlertRule.objects.filter(pk=rule_id).delete)()  # deleted while the batch waited
    writer.add("cleared", alert)
    await writer.flush()
    rows = await sync_to_async(
        lambda: list(
            AlertEvent.objects.order_by("id").values_list(
                "event", "by", "rule_id", "dashboard_id", "statistic", "value", "threshold"
            )
        )
    )()
    assert rows == [
        ("raised", "", None, board_id, "Waiting", 12.0, 10.0),
        ("acknowledged", "supervisor", None, board_id, "Waiting", 12.0, 10.0),
        ("cleared", "", None, board_id, "Waiting", 12.0, 10.0),
    ]
    assert writer.pending == []
