"""Upstream statistic values, normalised to numbers the charts can draw.

Stat Server values come in several shapes: a bare number for counters and times,
an object with a single numeric field, or an AgentStatus structure for current
state. Each becomes (number or None, named state or None); the raw value is always
kept beside it. An unknown shape is not an error: value None, counted, no crash.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import orjson

from statsbridge.agent_status import agent_field, has_agent_field, state_for_code


@dataclass(frozen=True, slots=True)
class Normalised:
    value: float | int | None
    state: str | None = None
    known: bool = True


UNKNOWN = Normalised(None, None, False)


def _number(raw: object) -> float | int | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    return raw


def normalise(raw: object) -> Normalised:
    number = _number(raw)
    if number is not None:
        return Normalised(number)
    if not isinstance(raw, dict):
        return UNKNOWN
    if has_agent_field(raw, "Status"):  # AgentStatus; its key case is unverified
        code = agent_field(raw, "Status")
        state = state_for_code(code)
        if state is None or not isinstance(code, int):
            return UNKNOWN
        return Normalised(code, state.value, True)
    numeric = [v for v in raw.values() if _number(v) is not None]
    if len(raw) == 1 and len(numeric) == 1:
        return Normalised(numeric[0])
    if "value" in raw and _number(raw["value"]) is not None:
        return Normalised(raw["value"])
    return UNKNOWN


MAX_FUTURE_MS = 3_600_000  # a clock may be off; a value stamped an hour ahead is not data


def timestamp_ms(raw: object) -> int | None:
    """The upstream timestamp if it is a plausible epoch-milliseconds integer: positive,
    and not more than an hour in the future (one such value would otherwise make every
    later value of its statistic look older and be dropped)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        return None
    stamp = int(raw)
    return stamp if 0 < stamp < time.time() * 1000 + MAX_FUTURE_MS else None


MAX_DEPTH = 32  # AgentStatus is 5 deep; orjson cannot write more than 254 levels


def too_deep(raw: object, limit: int = MAX_DEPTH) -> bool:
    """True for values nested deeper than `limit` (they could not be re-encoded)."""
    stack = [(raw, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


MAX_RAW_BYTES = 64 * 1024  # an AgentStatus is ~1 KB; daphne closes a socket (1011) on frames over 1 MiB


def too_large(raw: object, limit: int = MAX_RAW_BYTES) -> int | None:
    """The encoded size of a raw value over `limit` bytes (None if it fits): one such
    value would make every frame carrying it too big for every socket of its dashboard."""
    if isinstance(raw, str):
        size = len(raw.encode())
    elif isinstance(raw, (dict, list)):
        size = len(orjson.dumps(raw))
    else:
        return None
    return size if size > limit else None
