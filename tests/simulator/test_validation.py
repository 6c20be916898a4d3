"""Validation of statistic descriptors and ad-hoc definitions: every refusal names its field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statsbridge.simulator.definitions import Definition, InvalidStatistic, parse_definition
from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.statistics import PRECONFIGURED, StatisticSpec, evaluate, parse_statistic
from tests.simulator.samples import PEAK, SEED_SAMPLE


@pytest.fixture(scope="module")
def center() -> ContactCenter:
    return ContactCenter(agents=50, queues=8, seed=11, start=PEAK)


# --- accepted definitions ------------------------------------------------------------------


def test_defaults_are_filled_in_and_survive_a_round_trip() -> None:
    definition = parse_definition({"category": "CurrentNumber"})
    assert definition == Definition("CurrentNumber")
    assert (
        definition.notification_mode,
        definition.notification_frequency,
        definition.insensitivity,
        definition.interval_type,
    ) == ("Periodical", 10, 1, "GrowingWindow")
    for stat in PRECONFIGURED.values():
        assert parse_definition(stat.definition.as_dict()) == stat.definition


@pytest.mark.parametrize(
    ("category", "target"),
    [
        ("TotalNumberInTimeRange", {"objectType": "Queue", "objectId": "8001@SIP_Switch"}),
        ("TotalNumberInTimeRangePercentage", {"objectType": "Queue", "objectId": "8001@SIP_Switch"}),
        ("EstimWaitTime", {"objectType": "Queue", "objectId": "8001@SIP_Switch"}),
        ("CurrentContinuousTime", {"objectType": "Agent", "objectId": "agent001"}),
    ],
)
def test_approximated_categories_get_plausible_numbers(center: ContactCenter, category: str, target: dict) -> None:
    definition = {
        "category": category,
        "mainMask": "CallAnswered",
        "timeRange": "0-20",
        "objects": "Queue",
        "filter": "VoiceCalls",
        "timeProfile": "Default",
    }
    value = evaluate(parse_statistic({**target, "definition": definition}, center), center)
    assert isinstance(value, (int, float)) and value >= 0
    if category.endswith("Percentage"):
        assert value <= 100


def test_stat_server_mask_names_it_does_not_model_count_nothing(center: ContactCenter) -> None:
    spec = parse_statistic(
        {
            "objectType": "GroupAgents",
            "objectId": "Sales",
            "definition": {"category": "CurrentNumber", "subject": "AgentStatus", "mainMask": "LoggedIn"},
        },
        center,
    )
    assert evaluate(spec, center) == 0


def test_a_sliding_window_is_accepted_with_its_length() -> None:
    definition = parse_definition(
        {"category": "TotalNumber", "mainMask": "CallAbandoned", "intervalType": "SlidingWindow", "intervalLength": 900}
    )
    assert definition.interval_length == 900


# --- refused descriptors -------------------------------------------------------------------


def refused(raw: object, center: ContactCenter, **kwargs: object) -> str:
    with pytest.raises(InvalidStatistic) as caught:
        parse_statistic(raw, center, where="statistics[2]", **kwargs)
    return caught.value.message


AGENT = {"objectType": "Agent", "objectId": "agent001"}
QUEUE = {"objectType": "Queue", "objectId": "8001@SIP_Switch"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "statistics[2]: expected an object, got array"),
        ({**AGENT, "name": "TimeInCurrentState", "label": "x"}, "statistics[2].label: unknown field"),
        (
            {**AGENT, "name": "TimeInCurrentState", "statisticId": 7},
            "statistics[2].statisticId: expected a string, got integer",
        ),
        ({"objectId": "agent001", "name": "TimeInCurrentState"}, "statistics[2].objectType: required"),
        (
            {**AGENT, "objectType": 3, "name": "TimeInCurrentState"},
            "statistics[2].objectType: expected a string, got integer",
        ),
        (
            {**AGENT, "objectType": "Agnt", "name": "TimeInCurrentState"},
            "statistics[2].objectType: unknown object type 'Agnt' (did you mean 'Agent'?)",
        ),
        (
            {**AGENT, "objectType": "RoutePoint", "name": "TimeInCurrentState"},
            "statistics[2].objectType: this contact center has no RoutePoint objects",
        ),
        ({"objectType": "Agent", "name": "TimeInCurrentState"}, "statistics[2].objectId: required"),
        ({**AGENT, "objectId": "", "name": "TimeInCurrentState"}, "statistics[2].objectId: must not be empty"),
        (
            {**AGENT, "objectId": ["agent001"], "name": "TimeInCurrentState"},
            "statistics[2].objectId: expected a string, got array",
        ),
        (
            {**AGENT, "objectId": "agent999", "name": "TimeInCurrentState"},
            "statistics[2].objectId: no Agent 'agent999' in this contact center",
        ),
        (
            {**AGENT, "name": "TimeInCurrentState", "definition": SEED_SAMPLE},
            "statistics[2]: give either name or definition, not both",
        ),
        (AGENT, "statistics[2]: give either name or definition, one is required"),
        ({**AGENT, "name": 5}, "statistics[2].name: expected a string, got integer"),
        (
            {**AGENT, "name": "TimeInCurentState"},
            "statistics[2].name: unknown statistic 'TimeInCurentState' (did you mean 'TimeInCurrentState'?)",
        ),
        (
            {**QUEUE, "name": "CurrentAgentState"},
            "statistics[2].name: CurrentAgentState does not apply to Queue objects (it applies to Agent)",
        ),
        ({**AGENT, "name": "ServiceFactor"}, "statistics[2].name: ServiceFactor does not apply to Agent"),
    ],
)
def test_rejects_bad_descriptors_naming_the_item_and_field(center: ContactCenter, raw: object, message: str) -> None:
    assert refused(raw, center).startswith(message)


def definition_refused(definition: object, center: ContactCenter, target: dict = QUEUE) -> str:
    return refused({**target, "definition": definition}, center)


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ("CurrentNumber", "definition: expected an object, got string"),
        (
            {"category": "CurrentNumber", "mainmask": "CallWait"},
            "definition.mainmask: unknown field (did you mean 'mainMask'?)",
        ),
        ({"mainMask": "CallWait"}, "definition.category: required"),
        ({"category": 4}, "definition.category: expected a string, got integer"),
        (
            {"category": "CurentNumber"},
            "definition.category: unknown category 'CurentNumber' (did you mean 'CurrentNumber'?)",
        ),
        ({"category": "Bogus"}, "definition.category: unknown category 'Bogus'"),
        (
            {"category": "RelativeNumber"},
            "definition.category: category 'RelativeNumber' is not computed by this simulated Stat Server",
        ),
        (
            {"category": "CurrentNumber", "subject": "AgentStatuses"},
            "definition.subject: unknown subject 'AgentStatuses' (did you mean 'AgentStatus'?)",
        ),
        (
            {"category": "CurrentNumber", "intervalType": "Growing"},
            "definition.intervalType: unknown interval type 'Growing'",
        ),
        (
            {"category": "CurrentNumber", "intervalType": "SlidingWindow"},
            "definition.intervalLength: required with intervalType SlidingWindow",
        ),
        (
            {"category": "CurrentNumber", "intervalType": "SlidingWindow", "intervalLength": 0},
            "definition.intervalLength: must be 1 or more, got 0",
        ),
        (
            {"category": "CurrentNumber", "intervalLength": "60"},
            "definition.intervalLength: expected an integer, got string",
        ),
        (
            {"category": "CurrentNumber", "notificationMode": "Sometimes"},
            "definition.notificationMode: unknown notification mode 'Sometimes'",
        ),
        (
            {"category": "CurrentNumber", "notificationFrequency": 0},
            "definition.notificationFrequency: must be 1 or more, got 0",
        ),
        (
            {"category": "CurrentNumber", "notificationFrequency": 2.5},
            "definition.notificationFrequency: expected an integer, got number",
        ),
        (
            {"category": "CurrentNumber", "notificationFrequency": True},
            "definition.notificationFrequency: expected an integer, got boolean",
        ),
        ({"category": "CurrentNumber", "insensitivity": -1}, "definition.insensitivity: must be 0 or more, got -1"),
        (
            {"category": "CurrentNumber", "insensitivity": "1"},
            "definition.insensitivity: expected a number, got string",
        ),
        ({"category": "CurrentNumber", "mainMask": ["CallWait"]}, "definition.mainMask: expected a string, got array"),
        ({"category": "CurrentNumber", "mainMask": " "}, "definition.mainMask: empty mask"),
        (
            {"category": "CurrentNumber", "mainMask": "CallWait,,"},
            "definition.mainMask: unknown action '' (empty name between commas)",
        ),
        (
            {"category": "CurrentNumber", "mainMask": "WaitForNextCal"},
            "definition.mainMask: unknown action 'WaitForNextCal' (did you mean 'WaitForNextCall'?)",
        ),
        ({"category": "CurrentNumber", "relMask": "Nope"}, "definition.relMask: unknown action 'Nope'"),
        ({"category": "CurrentNumber", "dynamicFilter": 1}, "definition.dynamicFilter: expected a string, got integer"),
        ({"category": "CurrentNumber", "maskType": None}, "definition.maskType: expected a string, got null"),
        (
            {"category": "CurrentNumber", "mainMask": "CallAnswered"},
            "definition.mainMask: CurrentNumber cannot use call action 'CallAnswered'",
        ),
        (
            {"category": "TotalTime", "mainMask": "CallAnswered,WaitForNextCall"},
            "definition.mainMask: mixes call actions and agent states",
        ),
        ({"category": "CurrentState"}, "definition.category: CurrentState is computed for Agent objects only"),
    ],
)
def test_rejects_bad_definitions_field_by_field(center: ContactCenter, definition: object, message: str) -> None:
    assert definition_refused(definition, center).startswith(f"statistics[2].{message}")


def test_rejects_service_factor_of_an_agent(center: ContactCenter) -> None:
    message = definition_refused({"category": "ServiceFactor"}, center, AGENT)
    assert message.startswith("statistics[2].definition.category: ServiceFactor is computed for")


def test_rejects_definitions_where_only_names_are_served(center: ContactCenter) -> None:
    message = refused({**AGENT, "definition": SEED_SAMPLE}, center, adhoc=False)
    assert message.startswith("statistics[2].definition: only pre-configured statistics")
    assert parse_statistic({**AGENT, "name": "CurrentAgentState"}, center, adhoc=False).name


def test_the_error_carries_path_and_problem_apart(center: ContactCenter) -> None:
    with pytest.raises(InvalidStatistic) as caught:
        parse_statistic({**AGENT, "objectType": "Agnt", "name": "x"}, center, where="statistics[0]")
    assert caught.value.path == "statistics[0].objectType"
    assert caught.value.problem.startswith("unknown object type 'Agnt'")
    assert isinstance(caught.value, ValueError)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=10,
)
descriptor_parts = st.fixed_dictionaries(
    {},
    optional={
        "objectType": st.sampled_from(["Agent", "Queue", "Tenant", "Agnt"]) | json_values,
        "objectId": st.sampled_from(["agent001", "8001@SIP_Switch", "Environment"]) | json_values,
        "name": st.sampled_from(sorted(PRECONFIGURED)) | json_values,
        "definition": st.fixed_dictionaries(
            {"category": st.sampled_from(["CurrentNumber", "AverageTime"])},
            optional={"mainMask": st.text(max_size=20), "notificationFrequency": json_values},
        )
        | json_values,
    },
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(descriptor_parts, json_values))
def test_any_json_is_either_a_statistic_or_an_invalid_statistic(raw: object) -> None:
    center = ContactCenter(agents=3, queues=1, seed=0, start=PEAK)
    try:
        spec = parse_statistic(raw, center, where="statistics[0]")
    except InvalidStatistic as error:
        assert error.message.startswith("statistics[0]")
        return
    assert isinstance(spec, StatisticSpec)
    json.dumps(evaluate(spec, center))
