"""Computing a statistic's current value from the contact-center model.

How each category reads its main mask (see definitions.mask_terms):

| category | agent states in the mask | call actions in the mask |
|---|---|---|
| CurrentNumber | agents now in one of them | CallWait/CallEntered: calls waiting now |
| CurrentMaxTime | longest any agent has been in one | CallWait/CallEntered: oldest waiting call's wait |
| CurrentTime | (Agent) time in its current state if masked, else 0 | - |
| CurrentState | (Agent) its AgentStatus structure; mask ignored | - |
| TotalNumber, TotalAdjustedNumber | times agents entered one | CallEntered/CallInbound: offered (to an Agent: calls distributed to it); CallAnswered/CallDistributed: answered; CallAbandoned; CallWait: calls that had to queue. Several: their sum |
| TotalTime, TotalAdjustedTime | seconds agents spent in them | CallAnswered/CallDistributed: talk; CallWait/CallEntered: waiting (answered and abandoned); CallAbandoned: waiting before abandoning. Several: their sum |
| AverageTime | mean spell in them | CallInbound: handling time (talk + hold + after-call work) per handled call; CallAnswered/CallDistributed: talk per call; CallWait/CallEntered: speed of answer; CallAbandoned: time to abandon |
| ServiceFactor | percent of answered + abandoned calls answered within 20 s; mask ignored | |
| TotalNumberInTimeRange (approximated) | as TotalNumber | calls answered within 20 s (the time range is not read) |
| TotalNumberInTimeRangePercentage (approximated) | percent of answered calls answered within 20 s; mask ignored | |
| EstimWaitTime (approximated) | the average wait of answered calls, whole seconds; mask ignored | |
| CurrentContinuousTime (approximated) | as CurrentTime | - |

Other Stat Server categories (statsbridge/definitions.py CATEGORIES) are refused one
statistic at a time (definitions.UNSUPPORTED_CATEGORIES).

Intervals: every interval type is computed as a GrowingWindow from the start of the
simulation. SlidingWindow, SinceLogin and Selection are approximations (Stat Server would
forget older data); dynamicTimeProfile, dynamicFilter and relMask are accepted and ignored.
Nothing-happened-yet is 0, never an error; an average with nothing to average is 0.
Times are whole seconds (as Stat Server reports them); averages and percentages keep one
decimal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from statsbridge.agent_status import STATUS_CODES
from statsbridge.simulator.definitions import Definition, mask_terms
from statsbridge.simulator.model_records import (
    LOGGED_OUT,
    NOT_READY,
    ON_HOLD,
    SWITCH,
    TALKING,
    Agent,
)

if TYPE_CHECKING:
    from statsbridge.simulator.model import ContactCenter

Handler = Callable[["ContactCenter", str, str, Definition], object]


def evaluate_definition(center: ContactCenter, object_type: str, object_id: str, definition: Definition) -> object:
    return _HANDLERS[definition.category](center, object_type, object_id, definition)


def agent_status(agent: Agent) -> dict[str, object]:
    """An AgentStatus shaped after Stat Server's: the agent, its place, its one DN."""
    since = int(agent.since)
    status: dict[str, object] = {
        "AgentId": agent.agent_id,
        "LoginId": agent.login_id,
        "Status": agent.code,
        "Time": since,
    }
    if agent.code == NOT_READY and agent.reason:
        # Genesys' key-value list shape for reasons (docs/genesys-fidelity.md, "reason codes")
        status["Reasons"] = [{"key": "ReasonCode", "type": "str", "value": agent.reason}]
    dn = {"DN": agent.dn, "SwitchId": SWITCH, "Status": agent.code, "Time": since, "Actions": _dn_actions(agent)}
    status["Place"] = {
        "PlaceId": agent.place_id,
        "PlaceStatus": {"Status": agent.code, "Time": since},
        "DnStatuses": [dn],
    }
    return status


def _dn_actions(agent: Agent) -> list[dict[str, object]]:
    """The actions in progress on the DN; a call's CallInbound dates from its first word."""
    if agent.code == LOGGED_OUT:
        return []
    since = int(agent.since)
    talk_start = int(agent.call_start) if agent.call_start is not None else since
    if agent.code == ON_HOLD:
        return [{"Action": "CallInbound", "Time": talk_start}, {"Action": "CallOnHold", "Time": since}]
    start = talk_start if agent.code == TALKING else since
    return [{"Action": STATUS_CODES[agent.code][0], "Time": start}]


# --- agent states -------------------------------------------------------------------


def _state_seconds(agent: Agent, codes: frozenset[int], now: float) -> float:
    finished = sum(v for code, v in agent.time_in.items() if code in codes)
    return finished + (now - agent.since if agent.code in codes else 0.0)


def _current_number(center: ContactCenter, otype: str, oid: str, d: Definition) -> int:
    codes, actions = mask_terms(d)
    if actions:
        return center.waiting_calls(otype, oid)
    return center.count_in_states(otype, oid, codes)


def _current_max_time(center: ContactCenter, otype: str, oid: str, d: Definition) -> int:
    codes, actions = mask_terms(d)
    if actions:
        return int(center.oldest_wait(otype, oid))
    spells = [center.now - a.since for a in center.agents_in(otype, oid) if a.code in codes]
    return int(max(spells, default=0.0))


def _current_time(center: ContactCenter, otype: str, oid: str, d: Definition) -> int:
    agent = center.agent(oid)
    codes, _ = mask_terms(d)
    return int(center.now - agent.since) if agent.code in codes else 0


def _current_state(center: ContactCenter, otype: str, oid: str, d: Definition) -> object:
    return recase(agent_status(center.agent(oid)), center.agent_status_keys)


def recase(value: object, style: str) -> object:
    """AgentStatus keys in another case (control `agent-status-keys`): PSDK prints
    `Status`, but the JSON key case of the v3 API is in no source, so clients must cope."""
    if style == "pascal":
        return value
    if isinstance(value, list):
        return [recase(item, style) for item in value]
    if not isinstance(value, dict):
        return value
    spell = str.lower if style == "lower" else (lambda key: key[:1].lower() + key[1:])
    return {spell(key): recase(item, style) for key, item in value.items()}


# --- totals and averages --------------------------------------------------------------

_NUMBER_FIELDS = {
    "CallEntered": "offered",
    "CallInbound": "offered",
    "CallAnswered": "answered",
    "CallDistributed": "answered",
    "CallAbandoned": "abandoned",
    "CallWait": "queued",
}
_TIME_FIELDS = {
    "CallAnswered": ("talk_time",),
    "CallDistributed": ("talk_time",),
    "CallWait": ("answer_wait", "abandon_wait"),
    "CallEntered": ("answer_wait", "abandon_wait"),
    "CallAbandoned": ("abandon_wait",),
}
# (action, total field, count field), first match wins.
_AVERAGES = (
    ("CallInbound", "handle_time", "handled"),
    ("CallAnswered", "talk_time", "talked"),
    ("CallDistributed", "talk_time", "talked"),
    ("CallWait", "answer_wait", "answered"),
    ("CallEntered", "answer_wait", "answered"),
    ("CallAbandoned", "abandon_wait", "abandoned"),
)


def _total_number(center: ContactCenter, otype: str, oid: str, d: Definition) -> int:
    codes, actions = mask_terms(d)
    if actions:
        counters = center.call_counters(otype, oid)
        return sum(getattr(counters, f) for f in {_NUMBER_FIELDS[a] for a in actions})
    agents = center.agents_in(otype, oid)
    return sum(n for a in agents for code, n in a.entries.items() if code in codes)


def _total_time(center: ContactCenter, otype: str, oid: str, d: Definition) -> int:
    codes, actions = mask_terms(d)
    if actions:
        counters = center.call_counters(otype, oid)
        fields = {f for a in actions for f in _TIME_FIELDS[a]}
        return int(sum(getattr(counters, f) for f in fields))
    now = center.now
    return int(sum(_state_seconds(a, codes, now) for a in center.agents_in(otype, oid)))


def _average_time(center: ContactCenter, otype: str, oid: str, d: Definition) -> float:
    codes, actions = mask_terms(d)
    if actions:
        counters = center.call_counters(otype, oid)
        _, total, count = next(entry for entry in _AVERAGES if entry[0] in actions)
        return _ratio(getattr(counters, total), getattr(counters, count))
    agents, now = center.agents_in(otype, oid), center.now
    seconds = sum(_state_seconds(a, codes, now) for a in agents)
    spells = sum(n for a in agents for code, n in a.entries.items() if code in codes)
    return _ratio(seconds, spells)


def _service_factor(center: ContactCenter, otype: str, oid: str, d: Definition) -> float:
    counters = center.call_counters(otype, oid)
    return _ratio(100.0 * counters.answered_in_threshold, counters.answered + counters.abandoned)


def _number_in_range(center: ContactCenter, otype: str, oid: str, d: Definition) -> int:
    _, actions = mask_terms(d)
    if actions:
        return center.call_counters(otype, oid).answered_in_threshold
    return _total_number(center, otype, oid, d)


def _in_range_percentage(center: ContactCenter, otype: str, oid: str, d: Definition) -> float:
    counters = center.call_counters(otype, oid)
    return _ratio(100.0 * counters.answered_in_threshold, counters.answered)


def _estimated_wait(center: ContactCenter, otype: str, oid: str, d: Definition) -> int:
    counters = center.call_counters(otype, oid)
    return int(_ratio(counters.answer_wait, counters.answered))


def _ratio(total: float, count: int) -> float:
    return round(total / count, 1) if count else 0


_HANDLERS: dict[str, Handler] = {
    "CurrentNumber": _current_number,
    "CurrentMaxTime": _current_max_time,
    "CurrentTime": _current_time,
    "CurrentState": _current_state,
    "TotalNumber": _total_number,
    "TotalAdjustedNumber": _total_number,
    "TotalTime": _total_time,
    "TotalAdjustedTime": _total_time,
    "AverageTime": _average_time,
    "ServiceFactor": _service_factor,
    "TotalNumberInTimeRange": _number_in_range,
    "TotalNumberInTimeRangePercentage": _in_range_percentage,
    "EstimWaitTime": _estimated_wait,
    "CurrentContinuousTime": _current_time,
}
