"""Pre-configured and ad-hoc statistics: their values, and when they are pushed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statsbridge.agent_status import STATUS_CODES, AgentState
from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.statistics import (
    PRECONFIGURED,
    NotificationPolicy,
    evaluate,
    parse_statistic,
)
from tests.simulator.samples import PEAK, SEED_SAMPLE

AHT_SAMPLE = {
    "category": "AverageTime",
    "subject": "AgentStatus",
    "mainMask": "CallInbound",
    "intervalType": "GrowingWindow",
    "notificationMode": "Periodical",
    "notificationFrequency": 5,
}
AGENT = {"objectType": "Agent", "objectId": "agent001"}
QUEUE = {"objectType": "Queue", "objectId": "8001@SIP_Switch"}
SAMPLE_IDS = {
    "Agent": "agent001",
    "GroupAgents": "Sales",
    "Queue": "8001@SIP_Switch",
    "GroupQueues": "AllQueues",
    "Tenant": "Environment",
}


@pytest.fixture(scope="module")
def center() -> ContactCenter:
    """A center two hours into a busy morning (read-only in tests that share it)."""
    c = ContactCenter(agents=50, queues=8, seed=11, start=PEAK)
    c.advance(PEAK + 7200)
    return c


def value(
    center: ContactCenter, object_type: str, object_id: str, name: str | None = None, definition: dict | None = None
) -> object:
    raw = {"objectType": object_type, "objectId": object_id}
    raw.update({"name": name} if name else {"definition": definition})
    return evaluate(parse_statistic(raw, center), center)


# --- accepted descriptors ----------------------------------------------------------------


def test_accepts_the_seed_sample_definition(center: ContactCenter) -> None:
    spec = parse_statistic(
        {"statisticId": "UUID3", "objectId": "agent001", "objectType": "Agent", "definition": SEED_SAMPLE}, center
    )
    assert spec.is_adhoc and spec.statistic_id == "UUID3"
    assert spec.definition.main_mask == ("WaitForNextCall",)
    assert spec.definition.as_dict() == SEED_SAMPLE
    ready_seconds = evaluate(spec, center)
    assert isinstance(ready_seconds, int) and 0 <= ready_seconds <= 7200


def test_accepts_the_aht_definition_of_the_dashboard_file(center: ContactCenter) -> None:
    spec = parse_statistic({"objectType": "GroupAgents", "objectId": "Sales", "definition": AHT_SAMPLE}, center)
    assert spec.definition.notification_frequency == 5
    aht = evaluate(spec, center)
    assert aht == value(center, "GroupAgents", "Sales", "AverageHandlingTime")
    assert 120 < aht < 600


def test_every_preconfigured_statistic_opens_on_its_object_types(center: ContactCenter) -> None:
    for stat in PRECONFIGURED.values():
        assert stat.object_types
        for object_type in stat.object_types:
            result = value(center, object_type, SAMPLE_IDS[object_type], stat.name)
            json.dumps(result)
            if stat.name != "CurrentAgentState":
                assert isinstance(result, (int, float)) and result >= 0, stat.name


def test_the_catalogue_has_the_documented_statistics() -> None:
    expected = {
        "CurrentAgentState": {"Agent"},
        "TimeInCurrentState": {"Agent"},
        "ServiceFactor": {"Queue", "GroupQueues", "Tenant"},
        "CurrentNumberReadyAgents": {"GroupAgents", "Tenant", "Queue"},
        "TotalNumberInboundCalls": {"Queue", "GroupQueues", "Tenant"},
        "AverageHandlingTime": {"Queue", "GroupAgents", "Agent"},
    }
    for name, types in expected.items():
        assert types <= set(PRECONFIGURED[name].object_types), name
    for name in (
        "TotalNumberCallsAnswered",
        "TotalNumberAbandonedCalls",
        "AverageTalkTime",
        "AverageSpeedOfAnswer",
        "CurrentNumberWaitingCalls",
        "CurrentMaxCallWaitingTime",
        "CurrentNumberNotReadyAgents",
        "CurrentNumberBusyAgents",
    ):
        assert name in PRECONFIGURED
    assert PRECONFIGURED["TimeInCurrentState"].definition.notification_frequency == 1
    assert PRECONFIGURED["CurrentNumberWaitingCalls"].definition.notification_mode == "ChangesBased"
    assert PRECONFIGURED["TotalNumberInboundCalls"].definition.notification_frequency == 5
    assert PRECONFIGURED["AverageHandlingTime"].definition.notification_frequency == 10


# --- values -------------------------------------------------------------------------------


def test_agent_state_is_an_agent_status_structure(center: ContactCenter) -> None:
    status = value(center, "Agent", "agent001", "CurrentAgentState")
    assert status["AgentId"] == "agent001" and status["LoginId"] == "1001"
    assert status["Status"] in STATUS_CODES and isinstance(status["Time"], int)
    place = status["Place"]
    assert place["PlaceId"] == "place001" and place["PlaceStatus"]["Status"] == status["Status"]
    (dn,) = place["DnStatuses"]
    assert (dn["DN"], dn["SwitchId"], dn["Status"]) == ("7001", "SIP_Switch", status["Status"])
    assert all(set(a) == {"Action", "Time"} for a in dn["Actions"])


def test_reason_code_appears_only_when_not_ready() -> None:
    c = ContactCenter(agents=3, queues=1, seed=0, start=PEAK)
    c.set_agent_state("agent001", AgentState.NOT_READY, reason="Lunch")
    c.set_agent_state("agent002", AgentState.READY)
    c.set_agent_state("agent003", AgentState.LOGGED_OUT)
    lunch = value(c, "Agent", "agent001", "CurrentAgentState")
    assert lunch["Reasons"] == [{"key": "ReasonCode", "type": "str", "value": "Lunch"}] and lunch["Status"] == 8
    assert lunch["Place"]["DnStatuses"][0]["Actions"] == [{"Action": "NotReadyForNextCall", "Time": int(PEAK)}]
    ready = value(c, "Agent", "agent002", "CurrentAgentState")
    assert "Reasons" not in ready and ready["Status"] == 4
    gone = value(c, "Agent", "agent003", "CurrentAgentState")
    assert gone["Status"] == 23 and gone["Place"]["DnStatuses"][0]["Actions"] == []


def test_a_call_on_hold_shows_both_actions() -> None:
    c = ContactCenter(agents=50, queues=2, seed=1, start=PEAK)
    for second in range(1, 3 * 3600):
        c.advance(PEAK + second)
        held = [a for a in c.agents if a.code == 13]
        if held:
            break
    status = value(c, "Agent", held[0].agent_id, "CurrentAgentState")
    actions = status["Place"]["DnStatuses"][0]["Actions"]
    assert [a["Action"] for a in actions] == ["CallInbound", "CallOnHold"]
    assert actions[0]["Time"] <= actions[1]["Time"] == status["Time"]


def test_time_in_current_state_counts_up() -> None:
    c = ContactCenter(agents=3, queues=1, seed=0, start=PEAK)
    c.set_agent_state("agent001", AgentState.NOT_READY, reason="Lunch")
    c.advance(PEAK + 42.5)
    assert value(c, "Agent", "agent001", "TimeInCurrentState") == 42


def test_nothing_happened_yet_is_zero_everywhere() -> None:
    c = ContactCenter(agents=10, queues=2, seed=0, start=PEAK)
    for stat in PRECONFIGURED.values():
        if stat.name.startswith("CurrentNumber") and stat.name.endswith("Agents"):
            continue
        for object_type in stat.object_types:
            result = value(c, object_type, SAMPLE_IDS[object_type], stat.name)
            if stat.name != "CurrentAgentState":
                assert result == 0, (stat.name, object_type)


def test_counts_agree_between_names_and_definitions(center: ContactCenter) -> None:
    for object_type in ("GroupAgents", "Tenant", "Queue"):
        oid = SAMPLE_IDS[object_type]
        ready = value(center, object_type, oid, definition={"category": "CurrentNumber", "mainMask": "WaitForNextCall"})
        assert ready == value(center, object_type, oid, "CurrentNumberReadyAgents")
    offered = value(center, "Tenant", "Environment", "TotalNumberInboundCalls")
    entered = value(center, "Tenant", "Environment", definition={"category": "TotalNumber", "mainMask": "CallEntered"})
    answered = value(center, "Tenant", "Environment", "TotalNumberCallsAnswered")
    abandoned = value(center, "Tenant", "Environment", "TotalNumberAbandonedCalls")
    both = value(
        center,
        "Tenant",
        "Environment",
        definition={"category": "TotalNumber", "mainMask": "CallAnswered,CallAbandoned"},
    )
    waiting = value(center, "Tenant", "Environment", "CurrentNumberWaitingCalls")
    assert offered == entered == answered + abandoned + waiting
    assert both == answered + abandoned
    assert 0 < answered <= offered


def test_head_counts_add_up_to_the_tenant(center: ContactCenter) -> None:
    names = ("Ready", "NotReady", "Busy", "AfterCallWork")
    heads = [value(center, "Tenant", "Environment", f"CurrentNumber{n}Agents") for n in names]
    logged_in = value(center, "Tenant", "Environment", "CurrentNumberLoggedInAgents")
    out = sum(1 for a in center.agents if a.state is AgentState.LOGGED_OUT)
    assert sum(heads) == logged_in == 50 - out


def test_time_in_all_states_is_the_time_elapsed(center: ContactCenter) -> None:
    everything = {"category": "TotalTime", "subject": "AgentStatus", "mainMask": "*"}
    assert value(center, "Agent", "agent007", definition=everything) in (7199, 7200)
    assert value(center, "Tenant", "Environment", definition=everything) in (50 * 7200 - 1, 50 * 7200)


def test_averages_and_maxima_are_consistent(center: ContactCenter) -> None:
    asa = value(center, "Queue", "8001@SIP_Switch", "AverageSpeedOfAnswer")
    assert asa == value(
        center, "Queue", "8001@SIP_Switch", definition={"category": "AverageTime", "mainMask": "CallWait"}
    )
    assert 2 <= asa < 120
    aht = value(center, "Tenant", "Environment", "AverageHandlingTime")
    assert aht > value(center, "Tenant", "Environment", "AverageTalkTime") > 0
    longest_ready = value(
        center, "Tenant", "Environment", definition={"category": "CurrentMaxTime", "mainMask": "WaitForNextCall"}
    )
    ready = [a for a in center.agents if a.state is AgentState.READY]
    assert longest_ready == max((int(center.now - a.since) for a in ready), default=0)
    breaks = value(
        center, "GroupAgents", "Sales", definition={"category": "AverageTime", "mainMask": "NotReadyForNextCall"}
    )
    assert breaks >= 0


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 60),
    st.integers(1, 8),
    st.integers(0, 1000),
    st.lists(st.floats(0, 1800, allow_nan=False), max_size=6),
)
def test_service_factor_stays_a_percentage(agents: int, queues: int, seed: int, steps: list[float]) -> None:
    c = ContactCenter(agents=agents, queues=queues, seed=seed, start=PEAK)
    for step in steps:
        c.advance(c.now + step)
        for obj in c.objects():
            if obj["objectType"] in PRECONFIGURED["ServiceFactor"].object_types:
                factor = value(c, obj["objectType"], obj["objectId"], "ServiceFactor")
                assert 0 <= factor <= 100


# --- notification policy ---------------------------------------------------------------------


def policy_for(center: ContactCenter, name: str | None = None, **definition: object) -> NotificationPolicy:
    raw = {**QUEUE, **({"name": name} if name else {"definition": definition})}
    return NotificationPolicy.for_spec(parse_statistic(raw, center))


def test_periodical_statistics_are_due_every_frequency_seconds(center: ContactCenter) -> None:
    policy = policy_for(center, "TotalNumberInboundCalls")
    assert (policy.mode, policy.frequency) == ("Periodical", 5)
    assert policy.due(100.0, 3, 3, None)
    assert not policy.due(104.0, 9, 3, 100.0)
    assert policy.due(104.95, 3, 3, 100.0)  # a slightly early tick still counts
    assert policy.due(105.0, 3, 3, 100.0)  # unchanged values are still sent


def test_changes_based_statistics_wait_for_a_big_enough_change(center: ContactCenter) -> None:
    policy = policy_for(center, "CurrentNumberWaitingCalls")
    assert not policy.due(100.0, 3, 3, 50.0)
    assert policy.due(100.0, 4, 3, 99.9)
    coarse = policy_for(
        center, category="CurrentNumber", mainMask="CallWait", notificationMode="Immediate", insensitivity=5
    )
    assert not coarse.due(100.0, 7, 3, 10.0)
    assert coarse.due(100.0, 8, 3, 10.0)
    assert coarse.due(100.0, {"Status": 4}, {"Status": 8}, 10.0)
    assert not coarse.due(100.0, {"Status": 4}, {"Status": 4}, 10.0)


def test_no_notification_is_never_due_and_reset_is_periodical(center: ContactCenter) -> None:
    silent = policy_for(center, category="CurrentNumber", notificationMode="NoNotification")
    assert not silent.due(1e9, 5, 0, None)
    reset = policy_for(center, category="TotalNumber", notificationMode="Reset", notificationFrequency=30)
    assert not reset.due(120.0, 5, 0, 100.0)
    assert reset.due(130.0, 5, 5, 100.0)


def test_agent_state_changes_are_pushed_as_structures(center: ContactCenter) -> None:
    spec = parse_statistic({**AGENT, "name": "CurrentAgentState"}, center)
    policy = NotificationPolicy.for_spec(spec)
    assert policy.mode == "ChangesBased"
    status = evaluate(spec, center)
    assert not policy.due(center.now, status, dict(status), center.now - 1)
    assert policy.due(center.now, {**status, "Status": 23}, status, center.now - 1)
