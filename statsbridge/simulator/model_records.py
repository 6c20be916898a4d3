"""The records the contact-center model is made of: agents, queues, calls, counters.

They are plain mutable objects with `__slots__` because the model touches thousands of
them per simulated minute; the statistics module reads them but never writes them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, fields

from statsbridge.agent_status import STATUS_BY_NAME, STATUS_CODES, AgentState

SWITCH = "SIP_Switch"
SERVICE_LEVEL_THRESHOLD = 20.0  # seconds: "answered within" for ServiceFactor

# Stat Server status codes the model puts agents in.
READY = STATUS_BY_NAME["WaitForNextCall"]
NOT_READY = STATUS_BY_NAME["NotReadyForNextCall"]
RINGING = STATUS_BY_NAME["CallRinging"]
TALKING = STATUS_BY_NAME["CallInbound"]
ON_HOLD = STATUS_BY_NAME["CallOnHold"]
INTERNAL = STATUS_BY_NAME["CallInternal"]
AFTER_CALL_WORK = STATUS_BY_NAME["AfterCallWork"]
LOGGED_OUT = STATUS_BY_NAME["LoggedOut"]

# A call is waiting in its queue, on an agent (ringing counts: see ContactCenter), or gone.
WAITING, DISTRIBUTED, ABANDONED = "waiting", "distributed", "abandoned"


@dataclass(slots=True)
class CallCounters:
    """Call totals since the simulation started, for one queue or one agent.

    `answered` counts a call when it is distributed to an agent (its ring time is
    known then and included in `answer_wait`), so that at every instant
    waiting == offered - answered - abandoned.
    """

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    answered_in_threshold: int = 0
    queued: int = 0  # calls that found no Ready agent and had to wait
    answer_wait: float = 0.0  # summed over answered calls, ring time included
    abandon_wait: float = 0.0  # summed over abandoned calls
    talk_time: float = 0.0
    talked: int = 0  # calls whose talk has ended
    hold_time: float = 0.0
    handle_time: float = 0.0  # talk + hold + after-call work
    handled: int = 0  # calls whose after-call work has ended

    def add(self, other: CallCounters) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @classmethod
    def total(cls, many: list[CallCounters]) -> CallCounters:
        out = cls()
        for one in many:
            out.add(one)
        return out


@dataclass(slots=True, eq=False)
class Call:
    queue: Queue
    arrival: float
    state: str = WAITING
    talk: float = 0.0
    hold: float = 0.0
    acw: float = 0.0
    talk_counted: bool = False


@dataclass(slots=True, eq=False)
class Agent:
    index: int
    agent_id: str
    name: str
    login_id: str
    place_id: str
    dn: str
    groups: tuple[int, ...]
    talk_mean: float
    acw_mean: float
    code: int = LOGGED_OUT
    since: float = 0.0
    reason: str | None = None
    token: int = 0  # bumped on every change, so stale scheduled events are ignored
    call: Call | None = None
    call_start: float | None = None  # when the current call's talk began (DN Actions)
    plan: list[tuple[int, float, str | None]] = field(default_factory=list)  # steps to go
    time_in: dict[int, float] = field(default_factory=dict)  # finished spells only
    entries: dict[int, int] = field(default_factory=dict)
    counters: CallCounters = field(default_factory=CallCounters)

    @property
    def state(self) -> AgentState:
        return STATUS_CODES[self.code][1]


@dataclass(slots=True, eq=False)
class Queue:
    index: int
    queue_id: str
    name: str
    group: int  # the agent group that serves it
    patience_mean: float
    counters: CallCounters = field(default_factory=CallCounters)
    waiting: int = 0
    line: deque[Call] = field(default_factory=deque)  # front is always a waiting call
    closed: bool = False  # control `queue-closed`: outside its opening hours, no call arrives

    def close(self) -> None:
        """Closed for the day: no more arrivals; its day starts over (counters and line
        cleared), so a dashboard sees a queue that was offered no call."""
        self.closed = True
        for call in self.line:
            call.state = ABANDONED
        self.line.clear()
        self.waiting = 0
        self.counters = CallCounters()

    def drop_dead_front(self) -> None:
        """Abandoned calls stay in the line until they reach its front (O(1) abandon)."""
        line = self.line
        while line and line[0].state != WAITING:
            line.popleft()


@dataclass(slots=True, eq=False)
class AgentGroup:
    index: int
    group_id: str
    members: list[Agent] = field(default_factory=list)
    queues: list[Queue] = field(default_factory=list)
    # Ready agents, longest idle first: agents become Ready in time order, so
    # insertion order is idle order.
    ready: dict[int, Agent] = field(default_factory=dict)
    code_counts: dict[int, int] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class QueueGroup:
    group_id: str
    name: str
    queues: list[Queue]
    agents: list[Agent]  # members of the serving agent groups, each once
