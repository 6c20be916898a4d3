"""The built-in catalogue of labels for Genesys' usual pre-configured statistic names.

The builder's picker offers them (dashboard/builder/catalog.py), and pages use them
where a statistic has no label of its own for the column it heads (a table's header
reads "Calls waiting", not "Current Number Waiting Calls").
"""

from __future__ import annotations

import re

# name -> (label, unit, the object types it is meant for)
KNOWN_NAMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "CurrentNumberWaitingCalls": ("Calls waiting", "count", ("Queue", "GroupQueues", "Tenant")),
    "CurrentMaxCallWaitingTime": ("Longest wait", "duration", ("Queue", "GroupQueues", "Tenant")),
    "TotalNumberInboundCalls": ("Inbound calls", "count", ("Queue", "GroupQueues", "GroupAgents", "Agent", "Tenant")),
    "TotalNumberCallsAnswered": ("Calls answered", "count", ("Queue", "GroupQueues", "GroupAgents", "Agent", "Tenant")),
    "TotalNumberAbandonedCalls": ("Calls abandoned", "count", ("Queue", "GroupQueues", "Tenant")),
    "AverageHandlingTime": ("Average handling time", "duration", ("Queue", "GroupAgents", "Agent", "Tenant")),
    "AverageTalkTime": ("Average talk time", "duration", ("Queue", "GroupAgents", "Agent", "Tenant")),
    "AverageSpeedOfAnswer": ("Average speed of answer", "duration", ("Queue", "GroupQueues", "Tenant")),
    "ServiceFactor": ("Service level", "percent", ("Queue", "GroupQueues", "Tenant")),
    "CurrentNumberReadyAgents": ("Agents ready", "count", ("GroupAgents", "Tenant")),
    "CurrentNumberNotReadyAgents": ("Agents not ready", "count", ("GroupAgents", "Tenant")),
    "CurrentNumberBusyAgents": ("Agents on calls", "count", ("GroupAgents", "Tenant")),
    "CurrentNumberAfterCallWorkAgents": ("Agents in wrap-up", "count", ("GroupAgents", "Tenant")),
    "CurrentNumberLoggedInAgents": ("Agents logged in", "count", ("GroupAgents", "Tenant")),
    "CurrentAgentState": ("Agent state", "count", ("Agent",)),
    "TimeInCurrentState": ("Time in state", "duration", ("Agent",)),
}


def humanise(name: str) -> str:
    """CurrentNumberWaitingCalls -> Current number waiting calls."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).split()
    return " ".join([words[0], *[w.lower() for w in words[1:]]]) if words else name


def name_label(name: str | None, definition: dict | None = None) -> str:
    """What a statistic's name reads as: the catalogue's label, else the name humanised,
    else (an ad-hoc definition) its category humanised."""
    if name:
        return KNOWN_NAMES[name][0] if name in KNOWN_NAMES else humanise(name)
    return humanise(str((definition or {}).get("category", "")))
