"""The ad-hoc statistic definition grammar: the documented fields, their types, the names we know.

A subscribed statistic may carry a `definition` (raw Stat Server parameters) instead of
a pre-configured `name`. Only the tenant's Stat Server knows every category, mask,
filter and time profile it can compute, so this module refuses only what is malformed
(not an object, a field of the wrong type, a frequency below 1) and *warns* about names
it does not know: the upstream stays the judge, and answers a statistic it cannot open
with a per-statistic error (statsbridge/reconciler.py shows it on the tile).
The product (dashboard/boards/validation.py) and the simulator both read the grammar here.
Imports nothing from Django or the simulator.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from statsbridge.agent_status import STATUS_BY_NAME


@dataclass(frozen=True)
class FieldType:
    kind: str  # "string", "integer" or "number" (JSON names, shown to admins)
    minimum: float | None = None


STRING, INTEGER = FieldType("string"), FieldType("integer")

# Reference: seed 002 "Statistics Overview", "Create a subscription": the sample
# definition's fields (string, integer and number values as shown there).
DOCUMENTED_FIELDS: dict[str, FieldType] = {
    "notificationMode": STRING,
    "notificationFrequency": FieldType("integer", 1),
    "insensitivity": FieldType("number", 0),
    "category": STRING,
    "subject": STRING,
    "intervalType": STRING,
    "mainMask": STRING,
    "dynamicTimeProfile": STRING,
    "dynamicFilter": STRING,
    "maskType": STRING,
}
# Reference: ../shared/genesys-statistics-api.md "Statistics REST" (intervalLength, relMask)
# and Stat Server's statistic-type options (Objects, Filter, TimeProfile, TimeRange).
# Not in seed 002: unverified, accepted with these types.
OTHER_FIELDS: dict[str, FieldType] = {
    "intervalLength": FieldType("integer", 1),
    "relMask": STRING,
    "objects": STRING,
    "filter": STRING,
    "timeProfile": STRING,
    "timeRange": STRING,
}
FIELDS: dict[str, FieldType] = {**DOCUMENTED_FIELDS, **OTHER_FIELDS}
REQUIRED = ("category",)

# Names we know, for warnings and suggestions only (never a reason to refuse).
# Reference: seed 002 "Create a subscription" (TotalAdjustedTime, DNStatus, GrowingWindow,
# Periodical, WaitForNextCall, DN); the rest are Stat Server's own names (Stat Server
# reference, not in the seeds: unverified).
CATEGORIES = (
    "TotalTime",
    "TotalAdjustedTime",
    "TotalNumber",
    "TotalAdjustedNumber",
    "AverageTime",
    "MaxTime",
    "MinTime",
    "CurrentState",
    "CurrentStateReasons",
    "CurrentTargetState",
    "CurrentTime",
    "CurrentContinuousTime",
    "CurrentNumber",
    "CurrentMaxTime",
    "CurrentMinTime",
    "CurrentAverageTime",
    "CurrentRelativeNumber",
    "CurrentNumberInTimeRange",
    "TotalNumberInTimeRange",
    "TotalNumberInTimeRangePercentage",
    "TotalTimeInTimeRange",
    "RelativeNumber",
    "RelativeTime",
    "AverageNumber",
    "ServiceFactor",
    "EstimWaitTime",
    "EstimTimeToComplete",
    "LoadBalance",
    "TotalNumberPerSecond",
    "TotalCustomValue",
    "JavaCategory",
    "Formula",
)
SUBJECTS = (
    "DNStatus",
    "DNAction",
    "AgentStatus",
    "AgentAction",
    "PlaceStatus",
    "PlaceAction",
    "GroupStatus",
    "CampaignAction",
)
INTERVAL_TYPES = ("GrowingWindow", "SlidingWindow", "SinceLogin", "Selection")
NOTIFICATION_MODES = ("Periodical", "Immediate", "ChangesBased", "NoNotification", "Reset")
MASK_TYPES = ("DN", "Agent", "Place")
CALL_ACTIONS = (
    "CallAnswered",
    "CallAbandoned",
    "CallEntered",
    "CallDistributed",
    "CallWait",
    "CallAbandonedFromRinging",
    "CallTransferMade",
    "CallTransferTaken",
    "CallPartyChanged",
)
MASK_NAMES = frozenset(STATUS_BY_NAME) | frozenset(CALL_ACTIONS) | {"*", "LoggedIn"}
KNOWN_NAMES: dict[str, tuple[str, ...] | frozenset[str]] = {
    "category": CATEGORIES,
    "subject": SUBJECTS,
    "intervalType": INTERVAL_TYPES,
    "notificationMode": NOTIFICATION_MODES,
    "maskType": MASK_TYPES,
}


@dataclass(frozen=True)
class Finding:
    """One problem with a definition: `path` (e.g. "definition.mainMask") and what is wrong,
    in English (`problem`) and as `code` + `params`, from which the product words it in the
    reader's language (dashboard/boards/definition_messages.py: this module has no Django)."""

    path: str
    problem: str
    code: str = ""
    params: dict[str, str] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class InvalidDefinition(ValueError):
    """A malformed definition (structure or types). `str(e)` is "<path>: <problem>";
    `code` and `params` as in Finding."""

    def __init__(self, path: str, problem: str, code: str = "", **params: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
        self.code = code
        self.params = params


def json_type(value: object) -> str:
    """The JSON name of a value's type, for messages read by API clients and admins."""
    if value is None:
        return "null"
    for kind, name in (
        (bool, "boolean"),
        (int, "integer"),
        (float, "number"),
        (str, "string"),
        (list, "array"),
        (dict, "object"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def suggest(word: str, options: tuple[str, ...] | frozenset[str]) -> str:
    """A hint for a misspelt name: the closest option, or all of them."""
    ordered = sorted(options) if isinstance(options, frozenset) else list(options)
    close = difflib.get_close_matches(word, ordered, n=1)
    return f"did you mean '{close[0]}'?" if close else "expected one of " + ", ".join(ordered)


def check_value(value: object, kind: FieldType, path: str) -> None:
    """Raise InvalidDefinition unless `value` has the field's JSON type and bounds."""
    ok = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
    }[kind.kind]
    if not ok:
        got = json_type(value)
        article = "an" if kind.kind == "integer" else "a"
        raise InvalidDefinition(path, f"expected {article} {kind.kind}, got {got}", f"expected-{kind.kind}", got=got)
    if kind.minimum is not None and not value >= kind.minimum:  # type: ignore[operator]  (NaN too)
        minimum = f"{kind.minimum:g}"
        raise InvalidDefinition(
            path, f"must be {minimum} or more, got {value}", "minimum", minimum=minimum, value=str(value)
        )


def mask_names(mask: str) -> list[str]:
    """The action names of a comma-separated mask, stripped."""
    return [part.strip() for part in mask.split(",")]


def check_definition(raw: object, path: str = "definition") -> list[Finding]:
    """Raise InvalidDefinition if `raw` is malformed; else the warnings (unknown names)."""
    if not isinstance(raw, dict):
        got = json_type(raw)
        raise InvalidDefinition(path, f"expected an object, got {got}", "expected-object", got=got)
    for key in REQUIRED:
        if key not in raw:
            raise InvalidDefinition(f"{path}.{key}", "required", "required")
    warnings: list[Finding] = []
    for key, value in raw.items():
        kind = FIELDS.get(key)
        if kind is None:
            warnings.append(_unknown_field(str(key), f"{path}.{key}"))
            continue
        check_value(value, kind, f"{path}.{key}")
        warnings.extend(_name_warnings(key, value, f"{path}.{key}"))
    if raw.get("intervalType") == "SlidingWindow" and "intervalLength" not in raw:
        problem = "usually given with intervalType SlidingWindow"
        warnings.append(Finding(f"{path}.intervalLength", problem, "sliding-window-length"))
    return warnings


def _unknown_field(key: str, path: str) -> Finding:
    close = difflib.get_close_matches(key, FIELDS, n=1)
    params = {"close": close[0]} if close else {"options": ", ".join(FIELDS)}
    return Finding(path, f"unknown field ({suggest(key, tuple(FIELDS))}); sent to Genesys as given", "field", params)


def _name_warnings(key: str, value: object, path: str) -> list[Finding]:
    if key in ("mainMask", "relMask"):
        names = mask_names(str(value))
        if not any(names):
            return [Finding(path, "empty mask (give action names, or * for all)", "empty-mask")]
        return [
            _unknown(path, f"action '{name}'", name, MASK_NAMES, {"action": name})
            for name in names
            if name not in MASK_NAMES
        ]
    known = KNOWN_NAMES.get(key)
    if known is not None and value not in known:
        return [_unknown(path, f"{key} '{value}'", str(value), known, {"key": key, "value": str(value)})]
    return []


def _unknown(
    path: str, what: str, word: str, options: tuple[str, ...] | frozenset[str], params: dict[str, str]
) -> Finding:
    """`code` "unknown-action" (params action) or "unknown-name" (key, value), with
    `close` when a known name is near."""
    close = difflib.get_close_matches(word, sorted(options), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    code = "unknown-action" if "action" in params else "unknown-name"
    params = {**params, "close": close[0]} if close else params
    return Finding(path, f"{what} is not one we know{hint}; Genesys will say whether it exists", code, params)
