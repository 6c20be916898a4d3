"""The live model's day shape can be pinned (day_shape.curve_of): "flat" keeps the peak's
arrival rate at any hour, so tests and demos do not depend on when they run; "week", the
default, follows the time of day. Simulated time only (`advance`), fixed seeds."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from statsbridge.simulator.day_shape import DAY_SHAPE_ENV, curve_of, daily_curve
from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.model_records import CallCounters
from statsbridge.simulator.server import Simulator

MONDAY_PEAK = datetime(2026, 11, 30, 10, 30, tzinfo=UTC).timestamp()
SUNDAY_NIGHT = datetime(2026, 12, 6, 3, 0, tzinfo=UTC).timestamp()


def offered(start: float, day_shape: str) -> int:
    """Calls offered over one simulated hour from `start`."""
    center = ContactCenter(agents=100, queues=4, seed=3, start=start, day_shape=day_shape)
    for minute in range(1, 61):
        center.advance(start + 60 * minute)
    return CallCounters.total([q.counters for q in center.queues]).offered


def test_a_flat_day_takes_as_many_calls_on_a_sunday_night_as_on_a_monday_morning() -> None:
    night, peak = offered(SUNDAY_NIGHT, "flat"), offered(MONDAY_PEAK, "flat")
    assert peak > 500  # about the peak's rate: 100 agents, 92 % busy, ~320 s a call
    assert abs(night - peak) <= 0.1 * peak, (night, peak)


def test_the_week_default_differs_between_the_two() -> None:
    night, peak = offered(SUNDAY_NIGHT, "week"), offered(MONDAY_PEAK, "week")
    assert night < 0.5 * peak, (night, peak)
    assert offered(MONDAY_PEAK, "week") == offered(MONDAY_PEAK, "week")  # deterministic
    default = ContactCenter(agents=5, queues=1, seed=0, start=SUNDAY_NIGHT)
    assert default.day_shape == "week"


def test_a_flat_share_scales_the_rate_and_zero_means_no_callers() -> None:
    assert offered(SUNDAY_NIGHT, "flat:0") == 0
    half, full = offered(SUNDAY_NIGHT, "flat:0.5"), offered(SUNDAY_NIGHT, "flat:1")
    assert 0.4 * full < half < 0.6 * full, (half, full)


def test_specs_are_parsed_strictly() -> None:
    assert curve_of("week") is daily_curve
    assert curve_of(" Flat ")(SUNDAY_NIGHT) == 1.0 and curve_of("flat:0.3")(MONDAY_PEAK) == 0.3
    for bad in ("", "weekly", "flat:", "flat:1.5", "flat:-0.1", "flat:nan", "flat:x", "week:1"):
        with pytest.raises(ValueError):
            curve_of(bad)


def test_the_simulator_takes_the_environment_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DAY_SHAPE_ENV, "flat:0.25")
    assert Simulator(port=0).center.day_shape == "flat:0.25"
    assert Simulator(port=0, day_shape="week").center.day_shape == "week"
    assert Simulator(port=0).counts()["day_shape"] == "flat:0.25"  # GET /simulator/v1/state
    monkeypatch.delenv(DAY_SHAPE_ENV)
    assert Simulator(port=0).center.day_shape == "week"
    monkeypatch.setenv(DAY_SHAPE_ENV, "flat:2")
    with pytest.raises(ValueError, match="from 0 to 1"):
        Simulator(port=0)


def test_the_suite_runs_every_simulator_on_a_flat_day() -> None:
    """tests/conftest.py sets it once, for in-process simulators and subprocesses alike."""
    assert Simulator(port=0).center.day_shape == "flat"


def test_a_warmed_up_simulator_has_been_running_when_served() -> None:
    """The hosted check's simulators (embedded_hosting) skip a fresh center's calm: the
    first tick plays the warm-up, so calls are already queued and counted."""
    warm = Simulator(port=0, agents=20, queues=4, seed=1, warm_up_seconds=600)
    assert warm.center.now < warm.center.start + 1 and abs(warm.center.start - (time.time() - 600)) < 5
    warm.publisher.tick(warm.center.start + 600)
    assert CallCounters.total([q.counters for q in warm.center.queues]).offered > 0


def test_simulate_refuses_a_bad_day_shape_before_listening(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    with pytest.raises(SystemExit) as stopped:
        call_command("simulate", "--port", "0", "--day-shape", "weekly")
    assert stopped.value.code == 2
    assert "--day-shape / SIMULATOR_DAY_SHAPE" in capsys.readouterr().err
