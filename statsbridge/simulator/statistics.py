"""The simulator's statistics: what may be opened, how it is valued, when it is pushed.

A statistic descriptor (one item of a subscription's `statistics` array) names an
object and either a pre-configured statistic (`name`) or an ad-hoc `definition`. Every
pre-configured statistic is itself written as a definition, so one evaluator serves
both and the catalogue below doubles as examples of valid definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from statsbridge.agent_status import STATUS_CODES, AgentState
from statsbridge.simulator.definitions import (
    Definition,
    InvalidStatistic,
    check_applies,
    json_type,
    parse_definition,
    suggest,
)
from statsbridge.simulator.evaluation import evaluate_definition
from statsbridge.simulator.model_directory import (
    AGENT,
    GROUP_AGENTS,
    GROUP_QUEUES,
    OBJECT_TYPES,
    QUEUE,
    TENANT,
)

if TYPE_CHECKING:
    from statsbridge.simulator.model import ContactCenter

__all__ = [
    "PRECONFIGURED",
    "InvalidStatistic",
    "NotificationPolicy",
    "Preconfigured",
    "StatisticSpec",
    "evaluate",
    "parse_statistic",
]

# Stat Server object types that exist upstream but not in this simulated center.
UNMODELLED_TYPES = (
    "AgentPlace",
    "Place",
    "GroupPlaces",
    "RoutePoint",
    "StagingArea",
    "CallingList",
    "Campaign",
    "CampaignGroup",
    "Switch",
    "DN",
    "RegDN",
)
DESCRIPTOR_FIELDS = ("statisticId", "objectType", "objectId", "name", "definition")


@dataclass(frozen=True)
class Preconfigured:
    name: str
    object_types: tuple[str, ...]
    definition: Definition


def _stat(name: str, object_types: tuple[str, ...], **raw: object) -> Preconfigured:
    return Preconfigured(name, object_types, parse_definition(raw, f"PRECONFIGURED[{name}]"))


def _mask_of(*states: AgentState) -> str:
    """A main mask naming every Stat Server status that maps to one of `states`."""
    return ",".join(name for name, state in STATUS_CODES.values() if state in states)


_CALLS = (QUEUE, GROUP_QUEUES, TENANT, GROUP_AGENTS, AGENT)
_QUEUED = (QUEUE, GROUP_QUEUES, TENANT, GROUP_AGENTS)
_HEADS = (GROUP_AGENTS, TENANT, QUEUE, GROUP_QUEUES)
_LOGGED_IN = (AgentState.READY, AgentState.BUSY, AgentState.AFTER_CALL_WORK, AgentState.NOT_READY)
_CHANGES = {"notificationMode": "ChangesBased", "insensitivity": 1}
_EVERY_5S = {"notificationMode": "Periodical", "notificationFrequency": 5}
_EVERY_10S = {"notificationMode": "Periodical", "notificationFrequency": 10}

PRECONFIGURED: dict[str, Preconfigured] = {
    p.name: p
    for p in (
        _stat("CurrentAgentState", (AGENT,), category="CurrentState", subject="AgentStatus", **_CHANGES),
        _stat(
            "TimeInCurrentState",
            (AGENT,),
            category="CurrentTime",
            subject="AgentStatus",
            notificationMode="Periodical",
            notificationFrequency=1,
        ),
        _stat(
            "TotalNumberInboundCalls",
            _CALLS,
            category="TotalNumber",
            subject="DNAction",
            mainMask="CallInbound",
            **_EVERY_5S,
        ),
        _stat(
            "TotalNumberCallsAnswered",
            _CALLS,
            category="TotalNumber",
            subject="DNAction",
            mainMask="CallAnswered",
            **_EVERY_5S,
        ),
        _stat(
            "TotalNumberAbandonedCalls",
            _QUEUED,
            category="TotalNumber",
            subject="DNAction",
            mainMask="CallAbandoned",
            **_EVERY_5S,
        ),
        _stat(
            "AverageHandlingTime",
            _CALLS,
            category="AverageTime",
            subject="DNAction",
            mainMask="CallInbound,CallOnHold,AfterCallWork",
            **_EVERY_10S,
        ),
        _stat(
            "AverageTalkTime", _CALLS, category="AverageTime", subject="DNAction", mainMask="CallAnswered", **_EVERY_10S
        ),
        _stat(
            "AverageSpeedOfAnswer",
            _CALLS,
            category="AverageTime",
            subject="DNAction",
            mainMask="CallWait",
            **_EVERY_10S,
        ),
        _stat(
            "CurrentNumberWaitingCalls",
            _QUEUED,
            category="CurrentNumber",
            subject="DNAction",
            mainMask="CallWait",
            **_CHANGES,
        ),
        _stat(
            "CurrentMaxCallWaitingTime",
            _QUEUED,
            category="CurrentMaxTime",
            subject="DNAction",
            mainMask="CallWait",
            **_CHANGES,
        ),
        _stat("ServiceFactor", _QUEUED, category="ServiceFactor", subject="DNAction", **_EVERY_10S),
        _stat(
            "CurrentNumberReadyAgents",
            _HEADS,
            category="CurrentNumber",
            subject="AgentStatus",
            mainMask=_mask_of(AgentState.READY),
            **_CHANGES,
        ),
        _stat(
            "CurrentNumberNotReadyAgents",
            _HEADS,
            category="CurrentNumber",
            subject="AgentStatus",
            mainMask=_mask_of(AgentState.NOT_READY),
            **_CHANGES,
        ),
        _stat(
            "CurrentNumberBusyAgents",
            _HEADS,
            category="CurrentNumber",
            subject="AgentStatus",
            mainMask=_mask_of(AgentState.BUSY),
            **_CHANGES,
        ),
        _stat(
            "CurrentNumberAfterCallWorkAgents",
            _HEADS,
            category="CurrentNumber",
            subject="AgentStatus",
            mainMask=_mask_of(AgentState.AFTER_CALL_WORK),
            **_CHANGES,
        ),
        _stat(
            "CurrentNumberLoggedInAgents",
            _HEADS,
            category="CurrentNumber",
            subject="AgentStatus",
            mainMask=_mask_of(*_LOGGED_IN),
            **_CHANGES,
        ),
    )
}


@dataclass(frozen=True)
class StatisticSpec:
    """One validated statistic: the object, and its definition (a pre-configured
    statistic's own definition when opened by `name`; `name` is None for ad-hoc ones)."""

    object_type: str
    object_id: str
    definition: Definition
    name: str | None = None
    statistic_id: str | None = None

    @property
    def is_adhoc(self) -> bool:
        return self.name is None


def parse_statistic(
    raw: object, center: ContactCenter, *, where: str = "statistic", adhoc: bool = True
) -> StatisticSpec:
    """Validate one descriptor against the model; raise InvalidStatistic naming the field.

    `where` prefixes every message (a server passes e.g. "statistics[2]" to get
    "statistics[2].objectType: unknown object type 'Agnt'"). `adhoc=False` refuses
    definitions, for the peek endpoints that serve pre-configured statistics only.
    The statisticId is only type-checked: its uniqueness is the subscription's business.
    """
    if not isinstance(raw, dict):
        raise InvalidStatistic(where, f"expected an object, got {json_type(raw)}")
    for key in raw:
        if key not in DESCRIPTOR_FIELDS:
            raise InvalidStatistic(f"{where}.{key}", f"unknown field ({suggest(str(key), DESCRIPTOR_FIELDS)})")
    statistic_id = raw.get("statisticId")
    if statistic_id is not None and not isinstance(statistic_id, str):
        raise InvalidStatistic(f"{where}.statisticId", f"expected a string, got {json_type(statistic_id)}")
    object_type = _object_type(raw, where)
    object_id = _object_id(raw, object_type, center, where)
    name, definition = _name_or_definition(raw, object_type, where, adhoc)
    return StatisticSpec(object_type, object_id, definition, name, statistic_id)


def _object_type(raw: dict, where: str) -> str:
    path = f"{where}.objectType"
    value = _required_string(raw, "objectType", path)
    if value in UNMODELLED_TYPES:
        raise InvalidStatistic(path, f"this contact center has no {value} objects (it has {', '.join(OBJECT_TYPES)})")
    if value not in OBJECT_TYPES:
        raise InvalidStatistic(path, f"unknown object type '{value}' ({suggest(value, OBJECT_TYPES)})")
    return value


def _object_id(raw: dict, object_type: str, center: ContactCenter, where: str) -> str:
    path = f"{where}.objectId"
    value = _required_string(raw, "objectId", path)
    if not center.has_object(object_type, value):
        raise InvalidStatistic(path, f"no {object_type} '{value}' in this contact center")
    return value


def _name_or_definition(raw: dict, object_type: str, where: str, adhoc: bool) -> tuple[str | None, Definition]:
    has_name, has_definition = raw.get("name") is not None, raw.get("definition") is not None
    if has_name == has_definition:
        which = "not both" if has_name else "one is required"
        raise InvalidStatistic(where, f"give either name or definition, {which}")
    if has_definition:
        if not adhoc:
            raise InvalidStatistic(f"{where}.definition", "only pre-configured statistics (by name) can be read here")
        definition = parse_definition(raw["definition"], f"{where}.definition")
        check_applies(definition, object_type, f"{where}.definition")
        return None, definition
    path = f"{where}.name"
    name = _required_string(raw, "name", path)
    stat = PRECONFIGURED.get(name)
    if stat is None:
        raise InvalidStatistic(path, f"unknown statistic '{name}' ({suggest(name, tuple(PRECONFIGURED))})")
    if object_type not in stat.object_types:
        raise InvalidStatistic(
            path, f"{name} does not apply to {object_type} objects (it applies to {', '.join(stat.object_types)})"
        )
    return name, stat.definition


def _required_string(raw: dict, key: str, path: str) -> str:
    if key not in raw or raw[key] is None:
        raise InvalidStatistic(path, "required")
    value = raw[key]
    if not isinstance(value, str):
        raise InvalidStatistic(path, f"expected a string, got {json_type(value)}")
    if not value:
        raise InvalidStatistic(path, "must not be empty")
    return value


def evaluate(spec: StatisticSpec, center: ContactCenter) -> object:
    """The statistic's value now: a number, or an AgentStatus dict for CurrentState."""
    return evaluate_definition(center, spec.object_type, spec.object_id, spec.definition)


@dataclass(frozen=True)
class NotificationPolicy:
    """When a subscribed statistic's value is pushed, after Stat Server's notification modes.

    - Periodical: Stat Server reports the value every NotificationFrequency seconds,
      changed or not. Pushed here every `frequency` seconds (a tick up to 0.1 s early
      counts, so a server polling once a second does not slip a whole second).
    - Immediate / ChangesBased: Stat Server reports as soon as the value changes by at
      least Insensitivity (a number), or changes at all (a structure such as AgentStatus).
      A change of exactly `insensitivity` counts, so the default 1 reports every new call.
    - NoNotification: Stat Server never pushes; the client asks (here: only the value in
      the subscription reply and explicit reads).
    - Reset: Stat Server reports periodically and restarts the statistic's interval after
      each report. Values here are never reset; it is treated like Periodical.
    A statistic never sent yet (`last_sent` None) is due at once, except NoNotification.
    """

    mode: str = "Periodical"
    frequency: float = 10
    insensitivity: float = 1

    @classmethod
    def for_spec(cls, spec: StatisticSpec) -> NotificationPolicy:
        d = spec.definition
        return cls(d.notification_mode, d.notification_frequency, d.insensitivity)

    def due(self, now: float, value: object, last_value: object, last_sent: float | None) -> bool:
        if self.mode == "NoNotification":
            return False
        if last_sent is None:
            return True
        if self.mode in ("Periodical", "Reset"):
            return now - last_sent >= self.frequency - 0.1
        return self.changed(value, last_value)

    def changed(self, value: object, last_value: object) -> bool:
        if _is_number(value) and _is_number(last_value):
            delta = abs(value - last_value)  # type: ignore[operator]
            return delta > 0 and delta >= self.insensitivity
        return value != last_value


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
