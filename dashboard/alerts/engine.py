"""The alert engine: rules evaluated in memory as values arrive, on the bridge's loop.

Why in memory: it sits on the update path (thousands of values a second), so a value
costs a dict look-up and a comparison per rule watching it; no database, no network.
Events go to `emit` (the service queues frames, deliveries and history rows).

Per (rule, statistic) a tracker remembers since when the value has been at or past
the threshold. `tick()` (once a second) raises after `after_s`, repeats every
`repeat_s` while unacknowledged, escalates once, and forgets breaches of statistics
that went stale or were refused: a stale value never raises. A value back under the
threshold clears. The link itself being down longer than `bridge_grace_s` raises one
alert of its own (and value breaches wait for fresh values after it is back).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.alerts.spec import Alert, RuleSpec

Emit = Callable[[str, Alert], None]
BRIDGE_REPEAT_S = 600.0
DOWN_STATES = {"upstream-unavailable", "unauthorized", "error", "connecting"}


def _now_ms() -> int:
    return int(time.time() * 1000)


def new_alert_id() -> str:
    return "al-" + secrets.token_hex(8)


@dataclass(slots=True)
class Tracker:
    rule: RuleSpec
    key: str
    value: float | None = None
    arrived: float | None = None  # monotonic time of the last value
    breach_since: float | None = None
    breach_since_ms: int = 0
    alert: Alert | None = None


class AlertEngine:
    def __init__(
        self, emit: Emit, *, bridge_grace_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.emit = emit
        self.bridge_grace_s = bridge_grace_s
        self.clock = clock
        self.trackers: dict[tuple[int, str], Tracker] = {}
        self.by_key: dict[str, list[Tracker]] = {}
        self.refused: set[str] = set()
        self.link_up = True
        self.down_since: float | None = None
        self.down_detail = ""
        self.bridge_alert: Alert | None = None
        self.values_seen = 0
        self.offered: dict[str, list[Tracker]] = {}  # calls-offered key -> the service levels it gates
        self.offered_values: dict[str, object] = {}

    # -- configuration ----------------------------------------------------------

    def set_rules(self, rules: list[RuleSpec]) -> None:
        """Keep the state of (rule, statistic) pairs that remain; clear the others' alerts."""
        old, self.trackers = self.trackers, {}
        for rule in rules:
            for key in rule.keys:
                tracker = old.pop((rule.id, key), None) or Tracker(rule, key)
                tracker.rule = rule
                if tracker.alert is not None:
                    tracker.alert.rule = rule
                self.trackers[(rule.id, key)] = tracker
        for gone in old.values():
            if gone.alert is not None:
                self.emit("cleared", gone.alert)
        self.by_key, self.offered = {}, {}
        for tracker in self.trackers.values():
            self.by_key.setdefault(tracker.key, []).append(tracker)
            if tracker.key in tracker.rule.offered:
                self.offered.setdefault(tracker.rule.offered[tracker.key], []).append(tracker)

    # -- the update path ----------------------------------------------------------

    def values(self, stats: list[dict]) -> None:
        now = self.clock()
        for stat in stats:
            if stat.get("id") in self.offered:
                self._offered(stat["id"], stat.get("value"), now)
            trackers = self.by_key.get(stat.get("id"))  # type: ignore[arg-type]
            if trackers:
                self.values_seen += 1
                for tracker in trackers:
                    self._observe(tracker, stat.get("value"), now)

    def _offered(self, key: str, value: object, now: float) -> None:
        """A service level's calls-offered count: at 0, its breach (if any) ends."""
        self.offered_values[key] = value
        if value == 0:
            for tracker in self.offered[key]:
                if tracker.arrived is not None:
                    self._observe(tracker, tracker.value, now)

    def _observe(self, tracker: Tracker, value: object, now: float) -> None:
        offered = tracker.rule.offered.get(tracker.key)
        if offered is not None and self.offered_values.get(offered) == 0:
            value = None  # no calls: nothing to judge
        tracker.arrived = now
        tracker.value = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if tracker.rule.breached(value):
            if tracker.breach_since is None:
                tracker.breach_since, tracker.breach_since_ms = now, _now_ms()
            if tracker.alert is not None:
                tracker.alert.value = tracker.value
            elif tracker.rule.after_s <= 0:
                self._maybe_raise(tracker, now)
            return
        tracker.breach_since = None
        if tracker.alert is not None:
            tracker.alert.value = tracker.value
            alert, tracker.alert = tracker.alert, None
            self.emit("cleared", alert)

    def status(self, state: str, detail: str = "") -> None:
        """The bridge's link state changed."""
        if state in DOWN_STATES:
            if self.link_up:
                self.link_up, self.down_since, self.down_detail = False, self.clock(), detail
                for tracker in self.trackers.values():
                    tracker.breach_since = None  # values from before the outage prove nothing
        elif state == "connected":
            self.link_up, self.down_since = True, None
            if self.bridge_alert is not None:
                alert, self.bridge_alert = self.bridge_alert, None
                self.emit("cleared", alert)

    def set_refused(self, keys: set[str]) -> None:
        self.refused = set(keys)

    # -- once a second -------------------------------------------------------------

    def tick(self) -> None:
        now = self.clock()
        self._check_link(now)
        for tracker in self.trackers.values():
            fresh = self._fresh(tracker, now)
            if not fresh:
                tracker.breach_since = None
            elif tracker.alert is None:
                self._maybe_raise(tracker, now)
            if tracker.alert is not None:
                self._follow_up(tracker.alert, now, fresh)
        if self.bridge_alert is not None:
            self._follow_up(self.bridge_alert, now, True)

    def _fresh(self, tracker: Tracker, now: float) -> bool:
        if not self.link_up or tracker.key in self.refused or tracker.arrived is None:
            return False
        period = tracker.rule.periods.get(tracker.key)
        return not period or now - tracker.arrived <= 3 * period

    def _maybe_raise(self, tracker: Tracker, now: float) -> None:
        since = tracker.breach_since
        if since is None or now - since < tracker.rule.after_s or not self._fresh(tracker, now):
            return
        tracker.alert = Alert(
            new_alert_id(),
            tracker.rule,
            tracker.key,
            tracker.value,
            tracker.breach_since_ms,
            raised_at=now,
            last_sent=now,
        )
        self.emit("raised", tracker.alert)

    def _follow_up(self, alert: Alert, now: float, fresh: bool) -> None:
        """Repeats and escalation, only while unacknowledged (and, for values, fresh)."""
        if alert.acknowledged_by is not None or not fresh:
            return
        repeat_s = alert.rule.repeat_s if alert.rule else BRIDGE_REPEAT_S
        if repeat_s > 0 and now - alert.last_sent >= repeat_s:
            alert.last_sent = now
            self.emit("repeated", alert)
        escalate_s = alert.rule.escalate_after_s if alert.rule else None
        if escalate_s is not None and not alert.escalated and now - alert.raised_at >= escalate_s:
            alert.escalated = True
            self.emit("escalated", alert)

    def _check_link(self, now: float) -> None:
        if self.link_up or self.bridge_alert is not None or self.down_since is None:
            return
        if now - self.down_since >= self.bridge_grace_s:
            since_ms = _now_ms() - int((now - self.down_since) * 1000)
            self.bridge_alert = Alert(
                new_alert_id(), None, "", None, since_ms, raised_at=now, last_sent=now, detail=self.down_detail
            )
            self.emit("raised", self.bridge_alert)

    # -- supervisors -------------------------------------------------------------------

    def open_alerts(self, dashboard: str | None = None) -> list[Alert]:
        found = [
            t.alert
            for t in self.trackers.values()
            if t.alert is not None and (dashboard is None or t.rule.dashboard == dashboard)
        ]
        return ([self.bridge_alert] if self.bridge_alert else []) + found

    def acknowledge(self, alert_id: str, by: str, dashboard: str) -> Alert | None:
        """A supervisor of `dashboard` acknowledges: repeats and escalation stop."""
        for alert in self.open_alerts(dashboard):
            if alert.id == alert_id and alert.acknowledged_by is None:
                alert.acknowledged_by, alert.acknowledged_at_ms = by, _now_ms()
                self.emit("acknowledged", alert)
                return alert
        return None
