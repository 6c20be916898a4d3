"""Finding the model's objects by Stat Server type and id, and reading totals over them.

Stat Server objects nest: a Queue is served by one agent group, a queue group gathers
queues (and so the agents serving them), the Tenant holds everything. Each lookup here
answers "which agents / which queues does this object stand for", which is all the
statistics need to aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable

from statsbridge.simulator.model_records import (
    LOGGED_OUT,
    READY,
    Agent,
    AgentGroup,
    CallCounters,
    Queue,
    QueueGroup,
)
from statsbridge.simulator.model_roster import Roster

AGENT, GROUP_AGENTS, QUEUE, GROUP_QUEUES, TENANT = ("Agent", "GroupAgents", "Queue", "GroupQueues", "Tenant")
OBJECT_TYPES: tuple[str, ...] = (AGENT, GROUP_AGENTS, QUEUE, GROUP_QUEUES, TENANT)
TENANT_ID = "Environment"


class Directory:
    """The roster plus per-state head counts kept up to date by the model."""

    def __init__(self, roster: Roster) -> None:
        self.agents: list[Agent] = roster.agents
        self.groups: list[AgentGroup] = roster.groups
        self.queues: list[Queue] = roster.queues
        self.queue_groups: list[QueueGroup] = roster.queue_groups
        self._by_type: dict[str, dict[str, object]] = {
            AGENT: {a.agent_id: a for a in self.agents},
            GROUP_AGENTS: {g.group_id: g for g in self.groups},
            QUEUE: {q.queue_id: q for q in self.queues},
            GROUP_QUEUES: {g.group_id: g for g in self.queue_groups},
            TENANT: {TENANT_ID: None},
        }
        # Everyone starts logged out; the model moves them into their first state.
        self.tenant_counts: dict[int, int] = {LOGGED_OUT: len(self.agents)}
        for group in self.groups:
            group.code_counts = {LOGGED_OUT: len(group.members)}

    @property
    def now(self) -> float:
        raise NotImplementedError

    def objects(self) -> list[dict]:
        """Every object, as the simulator's control API lists them."""
        rows = [(AGENT, a.agent_id, a.name) for a in self.agents]
        rows += [(GROUP_AGENTS, g.group_id, g.group_id) for g in self.groups]
        rows += [(QUEUE, q.queue_id, q.name) for q in self.queues]
        rows += [(GROUP_QUEUES, g.group_id, g.name) for g in self.queue_groups]
        rows.append((TENANT, TENANT_ID, TENANT_ID))
        return [{"objectType": t, "objectId": i, "name": n} for t, i, n in rows]

    def has_object(self, object_type: str, object_id: str) -> bool:
        return object_id in self._by_type.get(object_type, {})

    def agent(self, agent_id: str) -> Agent:
        try:
            return self._by_type[AGENT][agent_id]  # type: ignore[return-value]
        except KeyError:
            raise KeyError(f"no agent {agent_id!r}") from None

    def agents_in(self, object_type: str, object_id: str) -> list[Agent]:
        obj = self._lookup(object_type, object_id)
        if object_type == AGENT:
            return [obj]  # type: ignore[list-item]
        if object_type == GROUP_AGENTS:
            return obj.members  # type: ignore[union-attr]
        if object_type == QUEUE:
            return self.groups[obj.group].members  # type: ignore[union-attr]
        if object_type == GROUP_QUEUES:
            return obj.agents  # type: ignore[union-attr]
        return self.agents

    def queues_in(self, object_type: str, object_id: str) -> list[Queue]:
        """The queues whose calls an object's call statistics add up (none for an Agent)."""
        obj = self._lookup(object_type, object_id)
        if object_type == AGENT:
            return []
        if object_type == QUEUE:
            return [obj]  # type: ignore[list-item]
        if object_type in (GROUP_AGENTS, GROUP_QUEUES):
            return obj.queues  # type: ignore[union-attr]
        return self.queues

    def count_in_states(self, object_type: str, object_id: str, codes: Iterable[int]) -> int:
        """How many of the object's agents are now in one of the status `codes`."""
        counts = self._counts_for(object_type, object_id)
        if counts is not None:
            return sum(counts.get(code, 0) for code in codes)
        wanted = set(codes)
        return sum(1 for a in self.agents_in(object_type, object_id) if a.code in wanted)

    def call_counters(self, object_type: str, object_id: str) -> CallCounters:
        """Call totals: an agent's own calls, or the sum over the object's queues."""
        if object_type == AGENT:
            return CallCounters.total([self.agent(object_id).counters])
        return CallCounters.total([q.counters for q in self.queues_in(object_type, object_id)])

    def waiting_calls(self, object_type: str, object_id: str) -> int:
        return sum(q.waiting for q in self.queues_in(object_type, object_id))

    def oldest_wait(self, object_type: str, object_id: str) -> float:
        """Seconds the longest-waiting call of the object's queues has waited (0 if none)."""
        arrivals = [q.line[0].arrival for q in self.queues_in(object_type, object_id) if q.waiting]
        return self.now - min(arrivals) if arrivals else 0.0

    def _lookup(self, object_type: str, object_id: str) -> object:
        try:
            return self._by_type[object_type][object_id]
        except KeyError:
            raise KeyError(f"no {object_type} {object_id!r}") from None

    def _counts_for(self, object_type: str, object_id: str) -> dict[int, int] | None:
        obj = self._lookup(object_type, object_id)
        if object_type == GROUP_AGENTS:
            return obj.code_counts  # type: ignore[union-attr]
        if object_type == QUEUE:
            return self.groups[obj.group].code_counts  # type: ignore[union-attr]
        if object_type == TENANT:
            return self.tenant_counts
        return None

    def _move_counts(self, agent: Agent, old: int, new: int) -> None:
        """Keep head counts per state current, so CurrentNumber needs no scan."""
        for counts in [self.groups[g].code_counts for g in agent.groups] + [self.tenant_counts]:
            counts[old] -= 1
            counts[new] = counts.get(new, 0) + 1
        # Ready pools stay in idle order: a re-entered Ready goes to the back.
        for g in agent.groups:
            ready = self.groups[g].ready
            if old == READY:
                del ready[agent.index]
            if new == READY:
                ready[agent.index] = agent
