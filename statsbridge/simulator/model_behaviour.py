"""How long things take and how often they happen in the simulated contact center.

Every draw goes through the model's one `random.Random`, in event order, so a seed
and the advance times fully determine a run. Numbers are chosen to look like a
mid-sized inbound voice operation: talk 3-6 min, after-call work 20-60 s, a few agents
on breaks, queues that build up at the daily peaks and drain at night.
"""

from __future__ import annotations

import random

from statsbridge.simulator.day_shape import NIGHT_FLOOR, daily_curve  # noqa: F401  (the day's shape: day_shape.py)
from statsbridge.simulator.model_records import (
    AFTER_CALL_WORK,
    INTERNAL,
    LOGGED_OUT,
    NOT_READY,
    ON_HOLD,
    RINGING,
    TALKING,
    Agent,
)

Step = tuple[int, float, str | None]  # (status code, duration, reason code)
Plan = list[Step]

PEAK_OCCUPANCY = 0.92  # offered load at the peak, as a share of logged-in capacity
AVAILABLE_SHARE = 0.8  # of members, roughly, logged in and not on a break
MEAN_HANDLE = 320.0  # ring + talk + hold + after-call work, seconds, on average
HOLD_CHANCE = 0.15
MEAN_IDLE_BEFORE_BREAK = 2700.0  # a Ready agent with no calls drifts away eventually

# Not-ready reason codes: (weight, shortest, longest) spell in seconds.
REASONS: dict[str, tuple[float, float, float]] = {
    "Break": (0.55, 300.0, 900.0),
    "Lunch": (0.2, 1500.0, 2400.0),
    "Meeting": (0.15, 900.0, 2700.0),
    "Training": (0.1, 1200.0, 3600.0),
}
_REASON_NAMES = tuple(REASONS)
_REASON_WEIGHTS = tuple(w for w, _, _ in REASONS.values())


def pick_reason(rng: random.Random) -> str:
    return rng.choices(_REASON_NAMES, _REASON_WEIGHTS)[0]


def not_ready_step(rng: random.Random, reason: str | None = None) -> Step:
    """A not-ready spell; unknown reasons (forced from outside) last like a break."""
    reason = reason or pick_reason(rng)
    _, low, high = REASONS.get(reason, REASONS["Break"])
    return (NOT_READY, rng.uniform(low, high), reason)


def logged_out_step(rng: random.Random) -> Step:
    return (LOGGED_OUT, rng.uniform(300.0, 2400.0), None)


def talk_duration(rng: random.Random, agent: Agent) -> float:
    return max(10.0, rng.gammavariate(2.0, agent.talk_mean / 2.0))


def acw_duration(rng: random.Random, agent: Agent) -> float:
    return max(3.0, rng.gammavariate(4.0, agent.acw_mean / 4.0))


def call_plan(rng: random.Random, agent: Agent) -> tuple[float, Plan]:
    """(ring time, the states an answered call takes the agent through)."""
    ring = rng.uniform(2.0, 6.0)
    talk = talk_duration(rng, agent)
    plan: Plan = [(RINGING, ring, None)]
    if rng.random() < HOLD_CHANCE:
        before = talk * rng.uniform(0.3, 0.7)
        hold = rng.expovariate(1 / 45.0)
        plan += [(TALKING, before, None), (ON_HOLD, hold, None), (TALKING, talk - before, None)]
    else:
        plan.append((TALKING, talk, None))
    plan.append((AFTER_CALL_WORK, acw_duration(rng, agent), None))
    return ring, plan


def after_work_plan(rng: random.Random) -> Plan:
    """What an agent does once after-call work ends: usually back to Ready (empty plan)."""
    r = rng.random()
    if r < 0.003:
        return [logged_out_step(rng)]
    if r < 0.035:
        return [not_ready_step(rng)]
    return []


def initial_plan(rng: random.Random, agent: Agent, load: float) -> Plan:
    """Where an agent is when the simulation starts: mostly logged in, many on calls.

    Calls already in progress at the start belong to no queue (they were offered before
    the statistics began), so they never enter the counters.
    """
    r = rng.random()
    if r < 0.05:
        return [(LOGGED_OUT, rng.uniform(0.0, 1800.0), None)]
    if r < 0.15:
        code, spell, reason = not_ready_step(rng)
        return [(code, rng.uniform(0.0, spell), reason)]
    if r < 0.15 + 0.75 * load:
        remaining = rng.uniform(0.0, 1.5 * agent.talk_mean)
        return [(TALKING, remaining, None), (AFTER_CALL_WORK, acw_duration(rng, agent), None)]
    return []


def internal_call_plan(rng: random.Random, agent: Agent) -> Plan:
    """A call forced on an agent from outside (set_agent_state Busy): no queue involved."""
    return [(INTERNAL, talk_duration(rng, agent), None), (AFTER_CALL_WORK, acw_duration(rng, agent), None)]
