"""The alert engine's rules, driven step by step with a hand-moved clock."""

from __future__ import annotations

from dashboard.alerts.engine import AlertEngine
from dashboard.alerts.spec import Alert, RuleSpec


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def rule(**overrides: object) -> RuleSpec:
    values = dict(
        id=1,
        name="Queue backing up",
        dashboard="probe",
        dashboard_id=1,
        widget="Calls waiting",
        level="critical",
        threshold=10.0,
        direction="above",
        keys=("st-a",),
        after_s=60.0,
        repeat_s=600.0,
        periods={},
    )
    values.update(overrides)
    return RuleSpec(**values)  # type: ignore[arg-type]


def engine_with(*rules: RuleSpec, grace: float = 30.0) -> tuple[AlertEngine, Clock, list[tuple[str, Alert]]]:
    clock, events = Clock(), []
    engine = AlertEngine(lambda event, alert: events.append((event, alert)), bridge_grace_s=grace, clock=clock)
    engine.status("connected")
    engine.set_rules(list(rules))
    return engine, clock, events


def run_for(engine: AlertEngine, clock: Clock, seconds: int, value: float | None = None, key: str = "st-a") -> None:
    for _ in range(seconds):
        clock.now += 1
        if value is not None:
            engine.values([{"id": key, "value": value}])
        engine.tick()


def test_it_raises_only_after_after_seconds_at_the_threshold() -> None:
    engine, clock, events = engine_with(rule())
    engine.values([{"id": "st-a", "value": 10}])
    run_for(engine, clock, 59, 12)
    assert events == []
    run_for(engine, clock, 1, 12)
    assert [e for e, _ in events] == ["raised"]
    assert events[0][1].value == 12 and events[0][1].as_json()["threshold"] == 10.0


def test_a_dip_under_the_threshold_restarts_the_wait() -> None:
    engine, clock, events = engine_with(rule())
    run_for(engine, clock, 50, 11)
    run_for(engine, clock, 1, 3)
    run_for(engine, clock, 50, 11)
    assert events == []


def test_it_repeats_while_unacknowledged_and_stops_once_acknowledged() -> None:
    engine, clock, events = engine_with(rule(after_s=0, repeat_s=100))
    run_for(engine, clock, 250, 20)
    assert [e for e, _ in events] == ["raised", "repeated", "repeated"]
    alert = events[0][1]
    assert engine.acknowledge(alert.id, "supervisor", "other-dashboard") is None
    assert engine.acknowledge(alert.id, "supervisor", "probe") is alert
    run_for(engine, clock, 300, 20)
    assert [e for e, _ in events] == ["raised", "repeated", "repeated", "acknowledged"]
    assert alert.as_json()["acknowledged_by"] == "supervisor"


def test_it_clears_when_back_under_and_raises_anew_later() -> None:
    engine, clock, events = engine_with(rule(after_s=5))
    run_for(engine, clock, 6, 15)
    run_for(engine, clock, 1, 9)
    assert [e for e, _ in events] == ["raised", "cleared"]
    run_for(engine, clock, 6, 15)
    assert [e for e, _ in events] == ["raised", "cleared", "raised"]
    assert events[0][1].id != events[2][1].id


def test_below_direction_and_warning_level() -> None:
    engine, clock, events = engine_with(rule(direction="below", threshold=80.0, level="warning", after_s=0))
    run_for(engine, clock, 1, 81)
    assert events == []
    run_for(engine, clock, 1, 80)
    assert [(e, a.level) for e, a in events] == [("raised", "warning")]


def test_a_stale_statistic_never_raises() -> None:
    engine, clock, events = engine_with(rule(after_s=30, periods={"st-a": 5}))
    engine.values([{"id": "st-a", "value": 50}])
    run_for(engine, clock, 120)  # at the threshold, but no value for 3 x 5 s: stale
    assert events == []


def test_a_refused_statistic_never_raises() -> None:
    engine, clock, events = engine_with(rule(after_s=0))
    engine.set_refused({"st-a"})
    run_for(engine, clock, 10, 50)
    assert events == []


def test_null_and_agent_states_never_breach() -> None:
    engine, clock, events = engine_with(rule(after_s=0))
    for value in (None, "Ready", True, {"error": "x"}):
        engine.values([{"id": "st-a", "value": value}])
        run_for(engine, clock, 2)
    assert events == []


def test_the_link_going_down_raises_one_alert_not_one_per_tile() -> None:
    rules = [rule(id=n, keys=(f"st-{n}",), after_s=5) for n in range(20)]
    engine, clock, events = engine_with(*rules, grace=30)
    for n in range(20):
        engine.values([{"id": f"st-{n}", "value": 50}])
    engine.status("upstream-unavailable", "Genesys reports the statistics service unavailable")
    run_for(engine, clock, 29)
    assert events == []
    run_for(engine, clock, 120)
    assert [(e, a.rule) for e, a in events] == [("raised", None)]
    assert events[0][1].as_json()["rule"] == "Statistics link down"
    engine.status("connected")
    assert [e for e, _ in events] == ["raised", "cleared"]
    run_for(engine, clock, 3)  # values from before the outage do not raise by themselves
    assert [e for e, _ in events] == ["raised", "cleared"]


def test_a_short_blip_raises_nothing() -> None:
    engine, clock, events = engine_with(rule(), grace=30)
    engine.status("connecting")
    run_for(engine, clock, 10)
    engine.status("connected")
    run_for(engine, clock, 60)
    assert events == []


def test_escalation_once_after_the_delay() -> None:
    engine, clock, events = engine_with(rule(after_s=0, repeat_s=0, escalate_after_s=120.0, escalation_channels=(7,)))
    run_for(engine, clock, 300, 50)
    assert [e for e, _ in events] == ["raised", "escalated"]


def test_a_removed_rule_clears_its_alert() -> None:
    engine, clock, events = engine_with(rule(after_s=0))
    run_for(engine, clock, 1, 50)
    engine.set_rules([])
    assert [e for e, _ in events] == ["raised", "cleared"]
    assert engine.open_alerts() == []


def test_a_service_level_with_no_calls_offered_never_breaches() -> None:
    """Issue 17: 0% with no call behind it is "no calls", not a critical breach."""
    sl = rule(direction="below", threshold=70.0, after_s=0, offered={"st-a": "st-offered"})
    engine, clock, events = engine_with(sl)
    engine.values([{"id": "st-offered", "value": 0}])
    run_for(engine, clock, 5, 0)
    assert events == []
    engine.values([{"id": "st-offered", "value": 3}])  # calls came in: 0% is real now
    run_for(engine, clock, 1, 0)
    assert [e for e, _ in events] == ["raised"]
    engine.values([{"id": "st-offered", "value": 0}])  # a new day: no calls again
    assert [e for e, _ in events] == ["raised", "cleared"]
