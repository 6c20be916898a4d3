"""Alert events to the database in batches, and pruning of old ones.

Why batches: events are emitted on the bridge's loop, which must never wait for the
database. `EventWriter.add` only appends; `flush` (every FLUSH_S, from the service)
writes what accumulated in one `bulk_create` in a worker thread. A failed write is
logged and its rows kept for the next flush (bounded: the oldest go first).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from django.db import close_old_connections

from dashboard.alerts.spec import BRIDGE_RULE, Alert
from dashboard.project.db_thread import in_db_thread

log = logging.getLogger(__name__)
MAX_PENDING = 10_000


def _row(event: str, alert: Alert, at: datetime) -> dict:
    rule = alert.rule
    return {
        "alert_id": alert.id,
        "event": event,
        "at": at,
        "dashboard_id": rule.dashboard_id if rule else None,
        "rule_id": rule.id if rule else None,
        "rule_name": rule.name if rule else BRIDGE_RULE,
        "widget": rule.widget if rule else "",
        "statistic": (rule.labels.get(alert.statistic) or alert.statistic) if rule else alert.detail[:200],
        "level": alert.level,
        "value": alert.value,
        "threshold": rule.threshold if rule else None,
        "since": datetime.fromtimestamp(alert.since_ms / 1000, tz=UTC),
        "by": (alert.acknowledged_by or "") if event == "acknowledged" else "",
    }


def _write(rows: list[dict]) -> None:
    from dashboard.alerts.models import AlertEvent, AlertRule
    from dashboard.boards.models import Dashboard

    close_old_connections()
    try:
        live_rules = set(AlertRule.objects.filter(id__in={r["rule_id"] for r in rows}).values_list("id", flat=True))
        live_boards = set(
            Dashboard.objects.filter(id__in={r["dashboard_id"] for r in rows}).values_list("id", flat=True)
        )
        AlertEvent.objects.bulk_create(
            [
                AlertEvent(
                    **{
                        **row,
                        "rule_id": row["rule_id"] if row["rule_id"] in live_rules else None,
                        "dashboard_id": row["dashboard_id"] if row["dashboard_id"] in live_boards else None,
                    }
                )
                for row in rows
            ]
        )
    finally:
        close_old_connections()


def prune(days: int) -> int:
    """Delete events older than `days`; returns how many."""
    from dashboard.alerts.models import AlertEvent

    close_old_connections()
    try:
        cutoff = datetime.now(tz=UTC) - timedelta(days=days)
        return AlertEvent.objects.filter(at__lt=cutoff).delete()[0]
    finally:
        close_old_connections()


class EventWriter:
    def __init__(self) -> None:
        self.pending: list[dict] = []
        self.written = 0
        self.dropped = 0

    def add(self, event: str, alert: Alert) -> None:
        self.pending.append(_row(event, alert, datetime.now(tz=UTC)))
        if len(self.pending) > MAX_PENDING:
            self.pending.pop(0)
            self.dropped += 1

    async def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        try:
            await in_db_thread(_write, rows)
            self.written += len(rows)
        except Exception:
            log.exception("could not store %d alert events; kept for the next try", len(rows))
            self.pending = rows + self.pending
