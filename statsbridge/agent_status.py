"""Stat Server's agent/DN status codes and the product's named agent states.

A current-state statistic (CurrentAgentState) carries an AgentStatus structure whose
`Status` is one of Stat Server's DN action codes. Supervisors think in five states,
so every code maps to one of them. The codes are Stat Server's `DnActions` values
as used by Genesys Pulse and Platform SDK clients.

Platform SDK prints the fields as `Status`, `Time`; the JSON key case of the v3 API is in
no source (docs/genesys-fidelity.md), so they are looked up without case (`agent_field`).
"""

from __future__ import annotations

from enum import Enum


class AgentState(str, Enum):
    READY = "Ready"
    BUSY = "Busy"
    NOT_READY = "NotReady"
    AFTER_CALL_WORK = "AfterCallWork"
    LOGGED_OUT = "LoggedOut"
    UNKNOWN = "Unknown"


# Stat Server status code -> (Stat Server name, product state)
STATUS_CODES: dict[int, tuple[str, AgentState]] = {
    0: ("Unknown", AgentState.UNKNOWN),
    4: ("WaitForNextCall", AgentState.READY),
    5: ("OffHook", AgentState.BUSY),
    6: ("CallDialing", AgentState.BUSY),
    7: ("CallRinging", AgentState.BUSY),
    8: ("NotReadyForNextCall", AgentState.NOT_READY),
    9: ("AfterCallWork", AgentState.AFTER_CALL_WORK),
    13: ("CallOnHold", AgentState.BUSY),
    16: ("ASM_Engaged", AgentState.BUSY),
    17: ("ASM_Outbound", AgentState.BUSY),
    18: ("CallUnknown", AgentState.BUSY),
    19: ("CallConsult", AgentState.BUSY),
    20: ("CallInternal", AgentState.BUSY),
    21: ("CallOutbound", AgentState.BUSY),
    22: ("CallInbound", AgentState.BUSY),
    23: ("LoggedOut", AgentState.LOGGED_OUT),
}

STATUS_BY_NAME: dict[str, int] = {name: code for code, (name, _) in STATUS_CODES.items()}

# The order the product shows states in (and numbers them for charts).
STATE_ORDER: tuple[AgentState, ...] = (
    AgentState.READY,
    AgentState.BUSY,
    AgentState.AFTER_CALL_WORK,
    AgentState.NOT_READY,
    AgentState.LOGGED_OUT,
    AgentState.UNKNOWN,
)


def state_for_code(code: object) -> AgentState | None:
    """The product state for a Stat Server status code, or None when it is unknown."""
    if isinstance(code, bool) or not isinstance(code, int):
        return None
    entry = STATUS_CODES.get(code)
    return entry[1] if entry else None


_MISSING = object()


def agent_field(raw: dict, name: str, default: object = None) -> object:
    """`raw[name]`, else the value of a key that differs only in case (`status`, `STATUS`)."""
    value = raw.get(name, _MISSING)
    if value is not _MISSING:
        return value
    wanted = name.lower()
    for key, value in raw.items():
        if isinstance(key, str) and key.lower() == wanted:
            return value
    return default


def has_agent_field(raw: dict, name: str) -> bool:
    return agent_field(raw, name, _MISSING) is not _MISSING
