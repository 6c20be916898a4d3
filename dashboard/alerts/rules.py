"""Reads the enabled rules and their channels into plain specs for the engine and the
delivery queue (blocking ORM: called in a worker thread by the service)."""

from __future__ import annotations

from django.db import close_old_connections

from dashboard.alerts.senders import ChannelSpec
from dashboard.alerts.spec import RuleSpec
from dashboard.supervisor.no_calls import is_service_level, offered_key


def _rule_spec(rule: object) -> RuleSpec | None:
    widget = rule.widget  # type: ignore[attr-defined]
    threshold = getattr(widget, rule.level)  # type: ignore[attr-defined]
    if threshold is None:
        return None  # the widget lost that threshold: nothing to compare with
    rows = [
        row
        for row in widget.widgetstatistic_set.all()
        if not rule.statistic_id or row.statistic_id == rule.statistic_id
    ]  # type: ignore[attr-defined]
    stats = [row.statistic for row in rows]
    return RuleSpec(
        id=rule.id,
        name=rule.name,
        dashboard=rule.dashboard.slug,
        dashboard_id=rule.dashboard_id,  # type: ignore[attr-defined]
        widget=widget.title,
        level=rule.level,
        threshold=float(threshold),
        direction=widget.direction,  # type: ignore[attr-defined]
        keys=tuple(s.key for s in stats),
        labels={s.key: str(s) for s in stats},
        periods={s.key: s.expected_period() for s in stats},
        offered={
            s.key: offered_key(s.object_type, s.object_id) for s in stats if is_service_level(s.name, s.definition)
        },
        after_s=float(rule.after_seconds),
        repeat_s=float(rule.repeat_seconds),  # type: ignore[attr-defined]
        channels=tuple(c.id for c in rule.channels.all() if c.enabled),  # type: ignore[attr-defined]
        sound=rule.sound,  # type: ignore[attr-defined]
        escalate_after_s=(
            rule.escalate_after_minutes * 60.0  # type: ignore[attr-defined]
            if rule.escalate_after_minutes is not None
            else None
        ),  # type: ignore[attr-defined]
        escalation_channels=tuple(c.id for c in rule.escalation_channels.all() if c.enabled),
    )  # type: ignore[attr-defined]


def load_rules() -> tuple[list[RuleSpec], dict[int, ChannelSpec]]:
    from dashboard.alerts.models import AlertRule, NotificationChannel

    close_old_connections()  # a long-lived service thread: never reuse a dead connection
    try:
        rules = (
            AlertRule.objects.filter(enabled=True)
            .select_related("dashboard", "widget")
            .prefetch_related("channels", "escalation_channels", "widget__widgetstatistic_set__statistic")
        )
        specs = [spec for spec in map(_rule_spec, rules) if spec is not None]
        channels = {
            c.id: ChannelSpec(c.id, c.name, c.kind, c.url, tuple(c.to or ()), str(c.secret or ""))
            for c in NotificationChannel.objects.filter(enabled=True)
        }
        return specs, channels
    finally:
        close_old_connections()
