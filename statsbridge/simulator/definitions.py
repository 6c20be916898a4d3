"""Ad-hoc statistic definitions: validated field by field, as Stat Server would refuse them.

A subscription may carry a `definition` instead of a pre-configured `name`: the raw
Stat Server parameters (category, subject, masks, interval, notification). A real
service refuses a bad one with a terse error; the simulator names the exact field and
what it expected, because its job is to make client bugs obvious.

Masks are comma-separated names: Stat Server status names (agent_status.STATUS_CODES,
e.g. WaitForNextCall, CallInbound), the call actions CallAnswered, CallAbandoned,
CallEntered, CallDistributed, CallWait, or `*` (every status). How each category reads
its mask is written beside `evaluate` in evaluation.py; `mask_terms` is the one place
that decides whether a mask counts agent states or calls.
"""
from __future__ import annotations

import functools

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from statsbridge.agent_status import STATUS_BY_NAME

CATEGORIES = ("TotalAdjustedTime", "TotalTime", "TotalNumber", "TotalAdjustedNumber",
              "CurrentNumber", "AverageTime", "CurrentState", "CurrentMaxTime",
              "CurrentTime", "ServiceFactor")
# Real Stat Server categories the simulator knows but does not compute.
UNSUPPORTED_CATEGORIES = ("AverageNumber", "CurrentContinuousTime", "CurrentRelativeNumber",
                          "CurrentStateReasons", "CurrentTargetState", "EstimWaitTime",
                          "MaxTime", "MinTime", "RelativeNumber", "RelativeTime",
                          "TotalNumberInTimeRange", "TotalNumberInTimeRangePercentage")
SUBJECTS = ("DNStatus", "DNAction", "AgentStatus", "AgentAction", "PlaceStatus",
            "PlaceAction", "GroupStatus")
INTERVAL_TYPES = ("GrowingWindow", "SlidingWindow", "SinceLogin", "Selection")
NOTIFICATION_MODES = ("Periodical", "Immediate", "ChangesBased", "NoNotification", "Reset")
CALL_ACTIONS = ("CallAnswered", "CallAbandoned", "CallEntered", "CallDistributed", "CallWait")
MASK_NAMES = frozenset(STATUS_BY_NAME) | frozenset(CALL_ACTIONS) | {"*"}

# Which call actions each category can count; the rest of a mask must be states.
_WAITING = frozenset({"CallWait", "CallEntered"})
CALL_CATEGORIES: dict[str, frozenset[str]] = {
    "CurrentNumber": _WAITING,
    "CurrentMaxTime": _WAITING,
    "TotalNumber": frozenset(CALL_ACTIONS),
    "TotalAdjustedNumber": frozenset(CALL_ACTIONS),
    "TotalTime": frozenset(CALL_ACTIONS),
    "TotalAdjustedTime": frozenset(CALL_ACTIONS),
    "AverageTime": frozenset(CALL_ACTIONS),
}
# Categories where CallInbound means inbound *calls* (offered; handled) not the status.
CALL_INBOUND_AS_CALLS = frozenset({"TotalNumber", "TotalAdjustedNumber", "AverageTime"})
_HANDLING = frozenset(STATUS_BY_NAME[n] for n in ("CallRinging", "CallOnHold", "AfterCallWork"))
AGENT_ONLY = frozenset({"CurrentState", "CurrentTime"})
NOT_FOR_AGENT = frozenset({"ServiceFactor"})


class InvalidStatistic(ValueError):
    """A statistic descriptor that cannot be opened. `str(e)` is "<path>: <problem>"."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Definition:
    """A definition with Stat Server's defaults filled in (hashable, comparable)."""

    category: str
    subject: str = "DNAction"
    interval_type: str = "GrowingWindow"
    interval_length: int | None = None
    notification_mode: str = "Periodical"
    notification_frequency: int = 10
    insensitivity: float = 1
    main_mask: tuple[str, ...] = ("*",)
    rel_mask: tuple[str, ...] = ()
    dynamic_time_profile: str | None = None
    dynamic_filter: str | None = None
    mask_type: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The wire (camelCase) form, without unset optional fields."""
        out: dict[str, object] = {}
        for key, (attr, _) in FIELDS.items():
            value = getattr(self, attr)
            if attr in ("main_mask", "rel_mask"):
                value = ",".join(value) or None
            if value is not None:
                out[key] = value
        return out


def json_type(value: object) -> str:
    """The JSON name of a value's type, for messages read by API clients."""
    if value is None:
        return "null"
    for kind, name in ((bool, "boolean"), (int, "integer"), (float, "number"),
                       (str, "string"), (list, "array"), (dict, "object")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def suggest(word: str, options: tuple[str, ...] | frozenset[str]) -> str:
    """A hint for a misspelt name: the closest option, or all of them."""
    ordered = sorted(options) if isinstance(options, frozenset) else list(options)
    close = difflib.get_close_matches(word, ordered, n=1)
    return f"did you mean '{close[0]}'?" if close else "expected one of " + ", ".join(ordered)


def _string(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise InvalidStatistic(path, f"expected a string, got {json_type(value)}")
    return value


def _choice(options: tuple[str, ...], what: str) -> Callable[[object, str], str]:
    def parse(value: object, path: str) -> str:
        text = _string(value, path)
        if text not in options:
            raise InvalidStatistic(path, f"unknown {what} '{text}' ({suggest(text, options)})")
        return text
    return parse


def _category(value: object, path: str) -> str:
    text = _string(value, path)
    if text in UNSUPPORTED_CATEGORIES:
        raise InvalidStatistic(path, f"category '{text}' is not computed by this simulator "
                                     f"(supported: {', '.join(CATEGORIES)})")
    return _choice(CATEGORIES, "category")(text, path)


def _integer(low: int, high: int | None) -> Callable[[object, str], int]:
    def parse(value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidStatistic(path, f"expected an integer, got {json_type(value)}")
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise InvalidStatistic(path, f"must be {bounds}, got {value}")
        return value
    return parse


def _insensitivity(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidStatistic(path, f"expected a number, got {json_type(value)}")
    if not value >= 0:  # also refuses NaN
        raise InvalidStatistic(path, f"must be 0 or more, got {value}")
    return value


def _mask(value: object, path: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in _string(value, path).split(","))
    if not any(names):
        raise InvalidStatistic(path, "empty mask (give action names, or * for all)")
    for name in names:
        if name not in MASK_NAMES:
            hint = suggest(name, MASK_NAMES) if name else "empty name between commas"
            raise InvalidStatistic(path, f"unknown action '{name}' ({hint})")
    return names


FIELDS: dict[str, tuple[str, Callable[[object, str], object]]] = {
    "category": ("category", _category),
    "subject": ("subject", _choice(SUBJECTS, "subject")),
    "intervalType": ("interval_type", _choice(INTERVAL_TYPES, "interval type")),
    "intervalLength": ("interval_length", _integer(1, None)),
    "notificationMode": ("notification_mode", _choice(NOTIFICATION_MODES, "notification mode")),
    "notificationFrequency": ("notification_frequency", _integer(1, 3600)),
    "insensitivity": ("insensitivity", _insensitivity),
    "mainMask": ("main_mask", _mask),
    "relMask": ("rel_mask", _mask),
    "dynamicTimeProfile": ("dynamic_time_profile", _string),
    "dynamicFilter": ("dynamic_filter", _string),
    "maskType": ("mask_type", _string),
}


def parse_definition(raw: object, path: str = "definition") -> Definition:
    """Validate an ad-hoc definition field by field; raise InvalidStatistic on the first fault."""
    if not isinstance(raw, dict):
        raise InvalidStatistic(path, f"expected an object, got {json_type(raw)}")
    for key in raw:
        if key not in FIELDS:
            raise InvalidStatistic(f"{path}.{key}", f"unknown field ({suggest(str(key), tuple(FIELDS))})")
    if "category" not in raw:
        raise InvalidStatistic(f"{path}.category", "required")
    values = {attr: parse(raw[key], f"{path}.{key}")
              for key, (attr, parse) in FIELDS.items() if key in raw}
    definition = Definition(**values)  # type: ignore[arg-type]
    if definition.interval_type == "SlidingWindow" and definition.interval_length is None:
        raise InvalidStatistic(f"{path}.intervalLength", "required with intervalType SlidingWindow")
    _check_mask(definition, f"{path}.mainMask")
    return definition


@functools.lru_cache(maxsize=4096)
def mask_terms(definition: Definition) -> tuple[frozenset[int], frozenset[str]]:
    """(status codes, call actions) named by the main mask, read the category's way.
    Cached: definitions are frozen, and this ran on every evaluation (a quarter of the
    simulator's CPU at 20,000 updates/s, py-spy)."""
    codes: set[int] = set()
    actions: set[str] = set()
    for name in definition.main_mask:
        if name == "*":
            codes.update(STATUS_BY_NAME.values())
        elif name in CALL_ACTIONS or (name == "CallInbound"
                                      and definition.category in CALL_INBOUND_AS_CALLS):
            actions.add(name)
        else:
            codes.add(STATUS_BY_NAME[name])
    if definition.category == "AverageTime" and "CallInbound" in actions:
        codes -= _HANDLING  # "CallInbound,AfterCallWork" is still handling time
    return frozenset(codes), frozenset(actions)


def _check_mask(definition: Definition, path: str) -> None:
    allowed = CALL_CATEGORIES.get(definition.category)
    if allowed is None:
        return  # this category ignores its mask
    codes, actions = mask_terms(definition)
    refused = sorted(actions - allowed - {"CallInbound"})
    if refused:
        raise InvalidStatistic(path, f"{definition.category} cannot use call action '{refused[0]}' "
                                     f"(it takes {', '.join(sorted(allowed))} or agent states)")
    if codes and actions:
        raise InvalidStatistic(path, "mixes call actions and agent states; "
                                     f"{definition.category} takes one kind")


def check_applies(definition: Definition, object_type: str, path: str) -> None:
    """Refuse a category that means nothing for the object type (e.g. CurrentState of a Queue)."""
    if definition.category in AGENT_ONLY and object_type != "Agent":
        raise InvalidStatistic(f"{path}.category",
                               f"{definition.category} is computed for Agent objects only")
    if definition.category in NOT_FOR_AGENT and object_type == "Agent":
        raise InvalidStatistic(f"{path}.category",
                               f"{definition.category} is computed for queues, groups and the tenant, not Agent")
