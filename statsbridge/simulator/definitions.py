"""Ad-hoc statistic definitions as this simulated Stat Server opens them.

The grammar (documented fields, their types, the names Stat Server uses) is the
product's: statsbridge/definitions.py. On top of it the simulator refuses, one
statistic at a time, what a Stat Server would not open (unknown categories, subjects,
masks) and what it does not model (a per-statistic error, so the rest of the
subscription opens: seed 002 "Responses and errors", status code 2). Categories it
approximates are listed in APPROXIMATED, with how, in evaluation.py.

Masks are comma-separated names: Stat Server status names (agent_status.STATUS_CODES,
e.g. WaitForNextCall, CallInbound), the call actions CallAnswered, CallAbandoned,
CallEntered, CallDistributed, CallWait, or `*` (every status). Other names Stat Server
knows (statsbridge.definitions.MASK_NAMES) are accepted and match nothing here. How
each category reads its mask is written beside `evaluate` in evaluation.py;
`mask_terms` is the one place that decides whether a mask counts agent states or calls.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass

from statsbridge import definitions as grammar
from statsbridge.agent_status import STATUS_BY_NAME
from statsbridge.definitions import InvalidDefinition, json_type, suggest

MODELLED = (
    "TotalAdjustedTime",
    "TotalTime",
    "TotalNumber",
    "TotalAdjustedNumber",
    "CurrentNumber",
    "AverageTime",
    "CurrentState",
    "CurrentMaxTime",
    "CurrentTime",
    "ServiceFactor",
)
# Stat Server categories answered with a plausible value (evaluation.py says how).
APPROXIMATED = ("TotalNumberInTimeRange", "TotalNumberInTimeRangePercentage", "EstimWaitTime", "CurrentContinuousTime")
CATEGORIES = MODELLED + APPROXIMATED
# Known to Stat Server, not modelled: each such statistic gets its own error.
UNSUPPORTED_CATEGORIES = tuple(c for c in grammar.CATEGORIES if c not in CATEGORIES)
SUBJECTS = grammar.SUBJECTS
INTERVAL_TYPES = grammar.INTERVAL_TYPES
NOTIFICATION_MODES = grammar.NOTIFICATION_MODES
CALL_ACTIONS = ("CallAnswered", "CallAbandoned", "CallEntered", "CallDistributed", "CallWait")
MODELLED_MASK_NAMES = frozenset(STATUS_BY_NAME) | frozenset(CALL_ACTIONS) | {"*"}
MASK_NAMES = MODELLED_MASK_NAMES | grammar.MASK_NAMES

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
    "TotalNumberInTimeRange": frozenset(CALL_ACTIONS),
}
# Categories where CallInbound means inbound *calls* (offered; handled) not the status.
CALL_INBOUND_AS_CALLS = frozenset({"TotalNumber", "TotalAdjustedNumber", "AverageTime", "TotalNumberInTimeRange"})
_HANDLING = frozenset(STATUS_BY_NAME[n] for n in ("CallRinging", "CallOnHold", "AfterCallWork"))
AGENT_ONLY = frozenset({"CurrentState", "CurrentTime", "CurrentContinuousTime"})
NOT_FOR_AGENT = frozenset({"ServiceFactor", "TotalNumberInTimeRangePercentage", "EstimWaitTime"})


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
    objects: str | None = None
    filter: str | None = None
    time_profile: str | None = None
    time_range: str | None = None

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


def _typed(key: str, then: Callable[[object, str], object] | None = None) -> Callable[[object, str], object]:
    """The product grammar's type check for field `key`, then the simulator's own."""

    def parse(value: object, path: str) -> object:
        try:
            grammar.check_value(value, grammar.FIELDS[key], path)
        except InvalidDefinition as error:
            raise InvalidStatistic(error.path, error.problem) from None
        return then(value, path) if then else value

    return parse


def _choice(options: tuple[str, ...], what: str) -> Callable[[object, str], str]:
    def parse(value: object, path: str) -> str:
        if value not in options:
            raise InvalidStatistic(path, f"unknown {what} '{value}' ({suggest(str(value), options)})")
        return str(value)

    return parse


def _category(value: object, path: str) -> str:
    if value in UNSUPPORTED_CATEGORIES:
        raise InvalidStatistic(
            path,
            f"category '{value}' is not computed by this simulated Stat Server (it computes {', '.join(CATEGORIES)})",
        )
    if value not in CATEGORIES:
        close = difflib.get_close_matches(str(value), CATEGORIES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise InvalidStatistic(path, f"unknown category '{value}'{hint}")
    return str(value)


def _mask(value: object, path: str) -> tuple[str, ...]:
    names = tuple(grammar.mask_names(str(value)))
    if not any(names):
        raise InvalidStatistic(path, "empty mask (give action names, or * for all)")
    for name in names:
        if name not in MASK_NAMES:
            hint = suggest(name, MASK_NAMES) if name else "empty name between commas"
            raise InvalidStatistic(path, f"unknown action '{name}' ({hint})")
    return names


# Reference: statsbridge/definitions.py (seed 002 "Create a subscription" and the rest).
FIELDS: dict[str, tuple[str, Callable[[object, str], object]]] = {
    "category": ("category", _typed("category", _category)),
    "subject": ("subject", _typed("subject", _choice(SUBJECTS, "subject"))),
    "intervalType": ("interval_type", _typed("intervalType", _choice(INTERVAL_TYPES, "interval type"))),
    "intervalLength": ("interval_length", _typed("intervalLength")),
    "notificationMode": (
        "notification_mode",
        _typed("notificationMode", _choice(NOTIFICATION_MODES, "notification mode")),
    ),
    "notificationFrequency": ("notification_frequency", _typed("notificationFrequency")),
    "insensitivity": ("insensitivity", _typed("insensitivity")),
    "mainMask": ("main_mask", _typed("mainMask", _mask)),
    "relMask": ("rel_mask", _typed("relMask", _mask)),
    "dynamicTimeProfile": ("dynamic_time_profile", _typed("dynamicTimeProfile")),
    "dynamicFilter": ("dynamic_filter", _typed("dynamicFilter")),
    "maskType": ("mask_type", _typed("maskType")),
    "objects": ("objects", _typed("objects")),
    "filter": ("filter", _typed("filter")),
    "timeProfile": ("time_profile", _typed("timeProfile")),
    "timeRange": ("time_range", _typed("timeRange")),
}
assert set(FIELDS) == set(grammar.FIELDS), "the simulator reads every field of the grammar"


def parse_definition(raw: object, path: str = "definition") -> Definition:
    """Validate an ad-hoc definition field by field; raise InvalidStatistic on the first fault."""
    if not isinstance(raw, dict):
        raise InvalidStatistic(path, f"expected an object, got {json_type(raw)}")
    for key in raw:
        if key not in FIELDS:
            raise InvalidStatistic(f"{path}.{key}", f"unknown field ({suggest(str(key), tuple(FIELDS))})")
    for key in grammar.REQUIRED:
        if key not in raw:
            raise InvalidStatistic(f"{path}.{key}", "required")
    values = {attr: parse(raw[key], f"{path}.{key}") for key, (attr, parse) in FIELDS.items() if key in raw}
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
        elif name in CALL_ACTIONS or (name == "CallInbound" and definition.category in CALL_INBOUND_AS_CALLS):
            actions.add(name)
        elif name in STATUS_BY_NAME:
            codes.add(STATUS_BY_NAME[name])
        # other Stat Server names (LoggedIn, CallTransferMade...) match nothing modelled here
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
        raise InvalidStatistic(
            path,
            f"{definition.category} cannot use call action '{refused[0]}' "
            f"(it takes {', '.join(sorted(allowed))} or agent states)",
        )
    if codes and actions:
        raise InvalidStatistic(path, f"mixes call actions and agent states; {definition.category} takes one kind")


def check_applies(definition: Definition, object_type: str, path: str) -> None:
    """Refuse a category that means nothing for the object type (e.g. CurrentState of a Queue)."""
    if definition.category in AGENT_ONLY and object_type != "Agent":
        raise InvalidStatistic(f"{path}.category", f"{definition.category} is computed for Agent objects only")
    if definition.category in NOT_FOR_AGENT and object_type == "Agent":
        raise InvalidStatistic(
            f"{path}.category", f"{definition.category} is computed for queues, groups and the tenant, not Agent"
        )
