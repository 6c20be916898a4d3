"""A live, deterministic contact center: the data behind the simulator's statistics.

The model is a discrete-event simulation. Every future happening (a call arriving, a
caller giving up, an agent's talk or break ending) sits in one heap keyed by its time;
`advance(now)` pops and applies every event up to `now`. Nothing is done for agents
with nothing due, so 2,000 agents cost about what their few events per second cost.

Determinism: one `random.Random(seed)` is drawn from in event order and the wall clock
is never read (except for the default `start`). Event times do not depend on how the
advance calls split time, so the state at time T is the same whether T was reached in
one call or in a thousand: the outcome depends only on the seed and the times given
(and on any `set_agent_state` calls, at the times they were made).

Ringing counts as answered: a call is counted answered when it is distributed to an
agent, with its ring time (drawn then) included in its answer wait. That keeps
waiting == offered - answered - abandoned true at every instant.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import time
from bisect import bisect_right

from statsbridge.agent_status import AgentState
from statsbridge.simulator import model_behaviour as behaviour
from statsbridge.simulator.day_shape import curve_of
from statsbridge.simulator.model_directory import Directory
from statsbridge.simulator.model_records import (
    ABANDONED,
    AFTER_CALL_WORK,
    DISTRIBUTED,
    NOT_READY,
    ON_HOLD,
    READY,
    RINGING,
    SERVICE_LEVEL_THRESHOLD,
    TALKING,
    WAITING,
    Agent,
    Call,
    Queue,
)
from statsbridge.simulator.model_roster import build_roster

# Event kinds, in the order of ContactCenter._handlers.
ARRIVAL, STEP_END, ABANDON, DISPATCH, IDLE = range(5)
_CALL_STATES = frozenset({TALKING, ON_HOLD, RINGING})


class ContactCenter(Directory):
    """Agents, groups and queues living through simulated time (see module docstring)."""

    def __init__(
        self,
        *,
        agents: int = 50,
        queues: int = 8,
        seed: int = 0,
        start: float | None = None,
        first_agent: int = 1,
        first_queue: int = 8001,
        day_shape: str = "week",
    ) -> None:
        """`day_shape`: the arrival curve (day_shape.curve_of): "week" follows the time
        of day and weekday; "flat[:share]" keeps one rate, whatever the hour."""
        self.day_shape = day_shape
        self._curve = curve_of(day_shape)
        self._rng = random.Random(seed)
        self._now = float(time.time() if start is None else start)
        self.start = self._now
        self.agent_status_keys = "pascal"  # control `agent-status-keys`: "camel" or "lower"
        super().__init__(build_roster(agents, queues, self._rng, first_agent, first_queue))
        self._events: list[tuple[float, int, int, object, int]] = []
        self._seq = itertools.count()
        self._handlers = (self._on_arrival, self._on_step_end, self._on_abandon, self._on_dispatch, self._on_idle)
        self._setup_arrivals()
        self._setup_agents()

    @property
    def now(self) -> float:
        return self._now

    def advance(self, now: float) -> None:
        """Apply every event due up to `now`; earlier or equal times do nothing."""
        if not math.isfinite(now):
            raise ValueError(f"advance needs a finite epoch time, got {now!r}")
        if now <= self._now:
            return
        events, handlers = self._events, self._handlers
        while events and events[0][0] <= now:
            when, _, kind, target, token = heapq.heappop(events)
            self._now = when
            handlers[kind](target, token)
        self._now = now

    def set_agent_state(self, agent_id: str, state: AgentState | str, reason: str | None = None) -> None:
        """Force an agent into a state now, as a supervisor or a test would.

        Any call in progress ends at once (its talk and handle time are counted).
        The agent then carries on normally: a break ends, a forced call (CallInternal,
        no queue involved) goes to after-call work. A forced-Ready agent is offered
        waiting calls at the next `advance`, so the Ready state can be observed first.
        Raises KeyError for an unknown agent, ValueError for Unknown or a reason code
        on a state other than NotReady.
        """
        agent = self.agent(agent_id)
        state = AgentState(state)
        if reason is not None and state is not AgentState.NOT_READY:
            raise ValueError("a reason code goes with NotReady only")
        if state is AgentState.UNKNOWN:
            raise ValueError("an agent cannot be forced into the Unknown state")
        self._close_call(agent)
        agent.plan = []
        if state is AgentState.READY:
            self._enter(agent, READY)
            self._schedule(self._now, DISPATCH, agent, agent.token)
            self._schedule_idle(agent)
        else:
            self._follow(agent, self._forced_plan(agent, state, reason))

    def _forced_plan(self, agent: Agent, state: AgentState, reason: str | None) -> list[behaviour.Step]:
        rng = self._rng
        if state is AgentState.NOT_READY:
            return [behaviour.not_ready_step(rng, reason)]
        if state is AgentState.BUSY:
            return behaviour.internal_call_plan(rng, agent)
        if state is AgentState.AFTER_CALL_WORK:
            return [(AFTER_CALL_WORK, behaviour.acw_duration(rng, agent), None)]
        return [behaviour.logged_out_step(rng)]

    # --- set-up -------------------------------------------------------------------

    def _setup_arrivals(self) -> None:
        """Peak arrival rates per queue, sized to each serving group's head count."""
        rates: list[float] = []
        for group in self.groups:
            heads = sum(1.0 / len(a.groups) for a in group.members)
            group_rate = (
                behaviour.PEAK_OCCUPANCY * behaviour.AVAILABLE_SHARE * heads / behaviour.MEAN_HANDLE
            ) or 1 / 900.0  # unstaffed: rare callers
            shares = [self._rng.uniform(0.6, 1.4) for _ in group.queues]
            rates += [group_rate * s / sum(shares) for s in shares]
        by_queue = [q for g in self.groups for q in g.queues]
        self._arrival_queues = by_queue
        self._cumulative = list(itertools.accumulate(rates))
        self._peak_rate = self._cumulative[-1]
        self._schedule(self._now + self._rng.expovariate(self._peak_rate), ARRIVAL, None, 0)

    def _setup_agents(self) -> None:
        load = self._curve(self._now)
        for agent in self.agents:
            agent.since = self._now
            self._follow(agent, behaviour.initial_plan(self._rng, agent, load))

    # --- event handlers -------------------------------------------------------------

    def _on_arrival(self, _target: object, _token: int) -> None:
        """A candidate arrival at the peak rate, kept with the day curve's odds
        (thinning), so arrivals are Poisson with a rate that follows the time of day
        (or a constant share of the peak, with a flat day shape)."""
        now, rng = self._now, self._rng
        self._schedule(now + rng.expovariate(self._peak_rate), ARRIVAL, None, 0)
        if rng.random() >= self._curve(now):
            return
        pick = bisect_right(self._cumulative, rng.random() * self._peak_rate)
        queue = self._arrival_queues[min(pick, len(self._arrival_queues) - 1)]
        if queue.closed:
            return
        patience = rng.expovariate(1.0 / queue.patience_mean)
        call = Call(queue, now)
        queue.counters.offered += 1
        ready = self.groups[queue.group].ready
        if ready:
            self._distribute(call, next(iter(ready.values())))  # longest idle first
            return
        queue.line.append(call)
        queue.waiting += 1
        queue.counters.queued += 1
        self._schedule(now + patience, ABANDON, call, 0)

    def _on_abandon(self, call: Call, _token: int) -> None:
        if call.state != WAITING:
            return
        call.state = ABANDONED
        queue = call.queue
        queue.waiting -= 1
        queue.counters.abandoned += 1
        queue.counters.abandon_wait += self._now - call.arrival
        queue.drop_dead_front()

    def _on_step_end(self, agent: Agent, token: int) -> None:
        if agent.token != token:
            return
        if agent.plan:
            self._start_step(agent, agent.plan.pop(0))
            return
        finished_work = agent.code == AFTER_CALL_WORK
        self._close_call(agent)
        self._follow(agent, behaviour.after_work_plan(self._rng) if finished_work else [])

    def _on_dispatch(self, agent: Agent, token: int) -> None:
        if agent.token == token and agent.code == READY:
            self._take_waiting_call(agent)

    def _on_idle(self, agent: Agent, token: int) -> None:
        """A Ready agent nobody called for a long while goes on a break or home."""
        if agent.token != token:
            return
        rng = self._rng
        step = behaviour.logged_out_step(rng) if rng.random() < 0.1 else behaviour.not_ready_step(rng)
        self._follow(agent, [step])

    # --- agent transitions -------------------------------------------------------------

    def _follow(self, agent: Agent, plan: list[behaviour.Step]) -> None:
        """Start the first step of `plan`; an empty plan means back to Ready."""
        agent.plan = plan
        if plan:
            self._start_step(agent, plan.pop(0))
        else:
            self._become_ready(agent)

    def _start_step(self, agent: Agent, step: behaviour.Step) -> None:
        code, duration, reason = step
        self._enter(agent, code, reason)
        if code == AFTER_CALL_WORK and agent.call is not None:
            self._count_talk(agent, agent.call)
        self._schedule(self._now + duration, STEP_END, agent, agent.token)

    def _become_ready(self, agent: Agent) -> None:
        self._enter(agent, READY)
        if not self._take_waiting_call(agent):
            self._schedule_idle(agent)

    def _schedule_idle(self, agent: Agent) -> None:
        delay = self._rng.expovariate(1.0 / behaviour.MEAN_IDLE_BEFORE_BREAK)
        self._schedule(self._now + delay, IDLE, agent, agent.token)

    def _enter(self, agent: Agent, code: int, reason: str | None = None) -> None:
        """Switch an agent's status, keeping every running total in step with it."""
        now, old = self._now, agent.code
        elapsed = now - agent.since
        agent.time_in[old] = agent.time_in.get(old, 0.0) + elapsed
        if agent.call is not None:
            _accrue(agent.call, old, elapsed)
        self._move_counts(agent, old, code)
        agent.code, agent.since = code, now
        agent.reason = reason if code == NOT_READY else None
        agent.entries[code] = agent.entries.get(code, 0) + 1
        agent.token += 1
        if code == TALKING:
            agent.call_start = agent.call_start if agent.call_start is not None else now
        elif code not in _CALL_STATES:
            agent.call_start = None

    def _take_waiting_call(self, agent: Agent) -> bool:
        """Give a newly Ready agent the longest-waiting call among its groups' queues."""
        best: Queue | None = None
        for g in agent.groups:
            for queue in self.groups[g].queues:
                if queue.waiting and (best is None or queue.line[0].arrival < best.line[0].arrival):
                    best = queue
        if best is None:
            return False
        call = best.line.popleft()
        best.waiting -= 1
        best.drop_dead_front()
        self._distribute(call, agent)
        return True

    def _distribute(self, call: Call, agent: Agent) -> None:
        ring, plan = behaviour.call_plan(self._rng, agent)
        wait = self._now - call.arrival + ring
        call.state = DISTRIBUTED
        agent.counters.offered += 1
        for counters in (call.queue.counters, agent.counters):
            counters.answered += 1
            counters.answer_wait += wait
            counters.answered_in_threshold += wait <= SERVICE_LEVEL_THRESHOLD
        agent.call = call
        self._follow(agent, plan)

    def _count_talk(self, agent: Agent, call: Call) -> None:
        call.talk_counted = True
        for counters in (call.queue.counters, agent.counters):
            counters.talk_time += call.talk
            counters.hold_time += call.hold
            counters.talked += 1

    def _close_call(self, agent: Agent) -> None:
        """End the agent's call now: count its talk (if not yet) and handle time."""
        call = agent.call
        if call is None:
            return
        _accrue(call, agent.code, self._now - agent.since)
        agent.call = None  # so the next _enter does not accrue the same time again
        if not call.talk_counted:
            self._count_talk(agent, call)
        for counters in (call.queue.counters, agent.counters):
            counters.handle_time += call.talk + call.hold + call.acw
            counters.handled += 1

    def _schedule(self, when: float, kind: int, target: object, token: int) -> None:
        heapq.heappush(self._events, (when, next(self._seq), kind, target, token))


def _accrue(call: Call, code: int, elapsed: float) -> None:
    if code == TALKING:
        call.talk += elapsed
    elif code == ON_HOLD:
        call.hold += elapsed
    elif code == AFTER_CALL_WORK:
        call.acw += elapsed
