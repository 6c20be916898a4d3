"""The simulated contact center: its objects, its behaviour, and what always holds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statsbridge.agent_status import STATUS_CODES, AgentState
from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.model_records import READY, CallCounters
from statsbridge.simulator.statistics import PRECONFIGURED, evaluate, parse_statistic

PEAK = 1_700_006_400 + 10.5 * 3600  # 10:30 UTC, the busiest time of the simulated day
NIGHT = 1_700_006_400 + 3 * 3600  # 03:00 UTC


def counters_ok(c: CallCounters) -> None:
    for name in c.__slots__:
        assert getattr(c, name) >= 0, name
    assert c.answered + c.abandoned <= c.offered
    assert c.answered_in_threshold <= c.answered
    assert c.handled <= c.talked <= c.answered


def assert_invariants(center: ContactCenter, *, forced: bool = False) -> None:
    """What must hold at every instant, whatever the seed and the steps."""
    for queue in center.queues:
        c = queue.counters
        counters_ok(c)
        assert queue.waiting == c.offered - c.answered - c.abandoned >= 0
        assert (queue.waiting == 0) == (not queue.line)
        if queue.waiting and not forced:  # nobody Ready while their queue has callers
            assert not center.groups[queue.group].ready
    counters_ok(CallCounters.total([q.counters for q in center.queues]))
    for agent in center.agents:
        counters_ok(agent.counters)
        assert agent.code in STATUS_CODES and agent.state is not AgentState.UNKNOWN
        assert agent.since <= center.now
    assert sum(center.tenant_counts.values()) == len(center.agents)
    for group in center.groups:
        recount: dict[int, int] = {}
        for agent in group.members:
            recount[agent.code] = recount.get(agent.code, 0) + 1
        assert {k: v for k, v in group.code_counts.items() if v} == recount
        assert set(group.ready) == {a.index for a in group.members if a.code == READY}


def snapshot(center: ContactCenter) -> list[object]:
    """Every pre-configured statistic of every object, plus every agent's state."""
    values: list[object] = [(a.code, a.since, a.reason) for a in center.agents]
    for obj in center.objects():
        for stat in PRECONFIGURED.values():
            if obj["objectType"] in stat.object_types:
                spec = parse_statistic({"name": stat.name, **obj_ref(obj)}, center)
                values.append(evaluate(spec, center))
    return values


def obj_ref(obj: dict) -> dict:
    return {"objectType": obj["objectType"], "objectId": obj["objectId"]}


def ids(center: ContactCenter, object_type: str) -> list[str]:
    return [o["objectId"] for o in center.objects() if o["objectType"] == object_type]


# --- objects ---------------------------------------------------------------------------


def test_it_names_objects_the_documented_way() -> None:
    center = ContactCenter(agents=50, queues=8, seed=0, start=PEAK)
    assert ids(center, "Agent")[:3] == ["agent001", "agent002", "agent003"]
    assert ids(center, "Agent")[-1] == "agent050"
    assert ids(center, "GroupAgents") == ["Sales", "Support", "Billing", "Retention"]
    assert ids(center, "Queue") == [f"{8001 + i}@SIP_Switch" for i in range(8)]
    assert ids(center, "GroupQueues") == [
        "AllQueues",
        "SalesQueues",
        "SupportQueues",
        "BillingQueues",
        "RetentionQueues",
    ]
    assert ids(center, "Tenant") == ["Environment"]
    names = {o["objectId"]: o["name"] for o in center.objects()}
    assert names["8001@SIP_Switch"] == "Sales Inbound"
    assert len({names[i] for i in ids(center, "Agent")}) == 50


def test_ids_and_names_depend_on_counts_not_on_seed() -> None:
    one = ContactCenter(agents=20, queues=3, seed=1, start=PEAK).objects()
    other = ContactCenter(agents=20, queues=3, seed=99, start=PEAK).objects()
    assert one == other


def test_agents_have_a_login_a_place_and_a_dn() -> None:
    center = ContactCenter(agents=1200, queues=40, seed=0, start=PEAK)
    first = center.agent("agent001")
    assert (first.login_id, first.place_id, first.dn) == ("1001", "place001", "7001")
    dns = [a.dn for a in center.agents]
    assert len(set(dns)) == len(dns)
    assert not {q.queue_id.split("@")[0] for q in center.queues} & set(dns)
    assert all(1 <= len(a.groups) <= 2 for a in center.agents)


def test_it_has_at_least_two_agent_groups_and_each_queue_has_one() -> None:
    center = ContactCenter(agents=1, queues=1, seed=0, start=PEAK)
    assert len(ids(center, "GroupAgents")) == 2
    assert ids(center, "GroupQueues") == ["AllQueues", "SalesQueues"]
    big = ContactCenter(agents=100, queues=40, seed=0, start=PEAK)
    assert sorted(q.group for q in big.queues) == sorted(list(range(20)) * 2)


def test_has_object_knows_every_listed_object_and_nothing_else() -> None:
    center = ContactCenter(agents=5, queues=2, seed=0, start=PEAK)
    for obj in center.objects():
        assert center.has_object(obj["objectType"], obj["objectId"])
    assert not center.has_object("Agent", "agent006")
    assert not center.has_object("Queue", "agent001")
    assert not center.has_object("Agnt", "agent001")


def test_it_refuses_an_empty_contact_center() -> None:
    with pytest.raises(ValueError):
        ContactCenter(agents=0, queues=1)


# --- behaviour ---------------------------------------------------------------------------


def test_most_agents_are_logged_in_at_the_start() -> None:
    center = ContactCenter(agents=200, queues=8, seed=4, start=PEAK)
    logged_out = sum(1 for a in center.agents if a.state is AgentState.LOGGED_OUT)
    assert logged_out < 30
    assert center.now == PEAK


def test_advancing_backwards_or_to_now_does_nothing() -> None:
    center = ContactCenter(agents=20, queues=2, seed=1, start=PEAK)
    center.advance(PEAK + 600)
    before = snapshot(center)
    center.advance(PEAK + 600)
    center.advance(PEAK + 10)
    assert center.now == PEAK + 600
    assert snapshot(center) == before
    with pytest.raises(ValueError):
        center.advance(float("nan"))


def test_calls_arrive_wait_and_get_answered_at_the_peak() -> None:
    center = ContactCenter(agents=50, queues=8, seed=2, start=PEAK)
    center.advance(PEAK + 3 * 3600)
    total = CallCounters.total([q.counters for q in center.queues])
    assert 600 < total.offered < 2500
    assert total.answered > 0.8 * total.offered
    assert total.queued > 0 and total.abandoned > 0
    aht = total.handle_time / total.handled
    assert 180 < aht < 480
    acw = aht - (total.talk_time + total.hold_time) / total.talked
    assert 10 < acw < 90


def test_night_is_quieter_than_the_peak_but_not_dead() -> None:
    def offered(start: float) -> int:
        center = ContactCenter(agents=100, queues=4, seed=3, start=start)
        center.advance(start + 3600)
        return CallCounters.total([q.counters for q in center.queues]).offered

    night, peak = offered(NIGHT), offered(PEAK)
    assert 0 < night < 0.6 * peak


def test_agents_go_through_every_state_over_a_day() -> None:
    center = ContactCenter(agents=60, queues=4, seed=5, start=NIGHT)
    seen: set[AgentState] = set()
    reasons: set[str] = set()
    for minute in range(1, 24 * 60):
        center.advance(NIGHT + 60 * minute)
        seen.update(a.state for a in center.agents)
        reasons.update(a.reason for a in center.agents if a.reason)
    assert seen == set(AgentState) - {AgentState.UNKNOWN}
    assert {"Break", "Lunch", "Meeting", "Training"} <= reasons
    on_hold = sum(a.entries.get(13, 0) for a in center.agents)
    assert on_hold > 0


def test_callers_abandon_when_nobody_is_there() -> None:
    center = ContactCenter(agents=30, queues=1, seed=6, start=PEAK)
    for agent in center.agents:
        center.set_agent_state(agent.agent_id, AgentState.LOGGED_OUT)
    center.advance(PEAK + 290)  # logged-out spells last 300 s at least
    queue = center.queues[0]
    assert queue.counters.answered == 0
    assert queue.counters.abandoned > 0
    assert center.waiting_calls("Queue", queue.queue_id) == queue.waiting > 0
    assert center.oldest_wait("Queue", queue.queue_id) > 0
    assert_invariants(center)


# --- forcing states -------------------------------------------------------------------------


def test_a_forced_ready_agent_is_ready_until_the_next_advance() -> None:
    center = ContactCenter(agents=30, queues=1, seed=6, start=PEAK)
    for agent in center.agents:
        center.set_agent_state(agent.agent_id, AgentState.LOGGED_OUT)
    center.advance(PEAK + 200)
    queue = center.queues[0]
    waiting = queue.waiting
    assert waiting > 0
    center.set_agent_state("agent001", AgentState.READY)
    assert center.agent("agent001").state is AgentState.READY
    assert_invariants(center, forced=True)
    center.advance(PEAK + 200.01)
    assert center.agent("agent001").state is AgentState.BUSY
    assert queue.waiting == waiting - 1
    assert_invariants(center)


@pytest.mark.parametrize(
    "state",
    [AgentState.NOT_READY, AgentState.BUSY, AgentState.AFTER_CALL_WORK, AgentState.LOGGED_OUT, AgentState.READY],
)
def test_set_agent_state_forces_each_state(state: AgentState) -> None:
    center = ContactCenter(agents=10, queues=2, seed=7, start=PEAK)
    center.advance(PEAK + 900)
    for agent in center.agents:  # whatever they were doing, calls included
        center.set_agent_state(agent.agent_id, state)
        assert agent.state is state
        assert agent.since == center.now
    assert_invariants(center, forced=True)
    center.advance(PEAK + 3600)
    assert_invariants(center)


def test_a_forced_not_ready_keeps_its_reason_code() -> None:
    center = ContactCenter(agents=3, queues=1, seed=0, start=PEAK)
    center.set_agent_state("agent002", "NotReady", reason="Coaching")
    agent = center.agent("agent002")
    assert (agent.state, agent.reason) == (AgentState.NOT_READY, "Coaching")
    center.set_agent_state("agent003", AgentState.NOT_READY)
    assert center.agent("agent003").reason  # a reason is picked when none is given


def test_forcing_an_agent_off_a_call_counts_the_call() -> None:
    center = ContactCenter(agents=20, queues=1, seed=8, start=PEAK)
    center.advance(PEAK + 1800)
    on_call = next(a for a in center.agents if a.call is not None)
    handled = on_call.counters.handled
    center.set_agent_state(on_call.agent_id, AgentState.NOT_READY, reason="Break")
    assert on_call.call is None and on_call.counters.handled == handled + 1
    assert_invariants(center)


def test_set_agent_state_refuses_nonsense() -> None:
    center = ContactCenter(agents=3, queues=1, seed=0, start=PEAK)
    with pytest.raises(KeyError):
        center.set_agent_state("agent999", AgentState.READY)
    with pytest.raises(ValueError):
        center.set_agent_state("agent001", AgentState.READY, reason="Break")
    with pytest.raises(ValueError):
        center.set_agent_state("agent001", AgentState.UNKNOWN)
    with pytest.raises(ValueError):
        center.set_agent_state("agent001", "Sleeping")


# --- properties -----------------------------------------------------------------------------

steps = st.lists(st.floats(min_value=0.0, max_value=900.0, allow_nan=False), max_size=8)
centers = st.fixed_dictionaries(
    {
        "agents": st.integers(1, 60),
        "queues": st.integers(1, 8),
        "seed": st.integers(0, 2**32),
        "start": st.floats(min_value=1.6e9, max_value=1.9e9, allow_nan=False),
    }
)


forcings = st.one_of(
    st.none(), st.tuples(st.integers(0, 59), st.sampled_from(sorted(set(AgentState) - {AgentState.UNKNOWN})))
)


@settings(max_examples=60, deadline=None)
@given(centers, st.lists(st.tuples(st.floats(0.0, 900.0, allow_nan=False), forcings), max_size=8))
def test_it_never_breaks_its_invariants(params: dict, moves: list[tuple]) -> None:
    center = ContactCenter(**params)
    assert_invariants(center)
    forced = False
    for delta, forcing in moves:
        if forcing is not None:
            index, state = forcing
            center.set_agent_state(center.agents[index % len(center.agents)].agent_id, state)
            forced = True
            assert_invariants(center, forced=True)
        before = center.now
        center.advance(before + delta)
        # A forced-Ready agent is dispatched on the next advance that moves the clock
        # (a delta of 1e-253 s is absorbed by the float: time did not move).
        forced = forced and center.now == before
        assert_invariants(center, forced=forced)


@settings(max_examples=20, deadline=None)
@given(centers, steps)
def test_same_seed_and_steps_give_the_same_values(params: dict, deltas: list[float]) -> None:
    runs = []
    for _ in range(2):
        center = ContactCenter(**params)
        for delta in deltas:
            center.advance(center.now + delta)
        runs.append(snapshot(center))
    assert runs[0] == runs[1]


@settings(max_examples=20, deadline=None)
@given(centers, steps)
def test_the_outcome_does_not_depend_on_how_time_is_split(params: dict, deltas: list[float]) -> None:
    stepped = ContactCenter(**params)
    for delta in deltas:
        stepped.advance(stepped.now + delta)
    direct = ContactCenter(**params)
    direct.advance(stepped.now)
    assert snapshot(direct) == snapshot(stepped)


def test_a_large_center_advances_a_minute() -> None:
    center = ContactCenter(agents=2000, queues=40, seed=0, start=PEAK)
    for second in range(1, 61):
        center.advance(PEAK + second)
    assert_invariants(center)
    assert sum(q.counters.offered for q in center.queues) > 0
