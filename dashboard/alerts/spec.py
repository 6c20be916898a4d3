"""What the engine knows of a rule and an alert: plain data, no Django, no I/O.

`RuleSpec` is read from the database once per reload (dashboard/alerts/rules.py);
`Alert` lives in memory while open. `Alert.as_json` is the `alert` object of the
webhook body and of the WebSocket frame (../shared/interfaces.md, "Alerts").
"""

from __future__ import annotations

from dataclasses import dataclass, field

BRIDGE_RULE = "Statistics link down"


@dataclass(frozen=True)
class RuleSpec:
    id: int
    name: str
    dashboard: str  # slug
    dashboard_id: int
    widget: str
    level: str  # warning | critical
    threshold: float
    direction: str  # above | below
    keys: tuple[str, ...]  # the statistics it watches
    labels: dict = field(default_factory=dict, compare=False)  # key -> label
    periods: dict = field(default_factory=dict, compare=False)  # key -> expected seconds between values
    after_s: float = 60.0
    repeat_s: float = 600.0
    channels: tuple[int, ...] = ()
    sound: bool = True
    escalate_after_s: float | None = None
    escalation_channels: tuple[int, ...] = ()
    # key -> the calls-offered key of a service level: while that is 0 there is no service
    # level to judge ("no calls", dashboard/supervisor/no_calls.py), so no breach
    offered: dict = field(default_factory=dict, compare=False)

    def breached(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False  # null, an agent state, an error: never a breach
        return value >= self.threshold if self.direction == "above" else value <= self.threshold


@dataclass
class Alert:
    id: str
    rule: RuleSpec | None  # None: the statistics link's own alert
    statistic: str
    value: float | None
    since_ms: int
    raised_at: float  # monotonic
    last_sent: float  # monotonic: raised or last repeated
    acknowledged_by: str | None = None
    acknowledged_at_ms: int | None = None
    escalated: bool = False
    detail: str = ""

    @property
    def dashboard(self) -> str | None:
        return self.rule.dashboard if self.rule else None

    @property
    def level(self) -> str:
        return self.rule.level if self.rule else "critical"

    def as_json(self) -> dict:
        rule = self.rule
        return {
            "id": self.id,
            "rule": rule.name if rule else BRIDGE_RULE,
            "dashboard": rule.dashboard if rule else None,
            "widget": rule.widget if rule else None,
            "statistic": self.statistic or None,
            "label": (rule.labels.get(self.statistic) if rule else None) or self.detail or None,
            "level": self.level,
            "value": self.value,
            "threshold": rule.threshold if rule else None,
            "since": self.since_ms,
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": self.acknowledged_at_ms,
            "sound": rule.sound if rule else True,
        }
