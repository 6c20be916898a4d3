"""The built-in catalogue of labels for Genesys' usual pre-configured statistic names.

The builder's picker offers them (dashboard/builder/catalog.py), and pages use them
where a statistic has no label of its own for the column it heads (a table's header
reads "Calls waiting", not "Current Number Waiting Calls").
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy

# name -> (label, unit, the object types it is meant for). Labels are lazy: each page
# and the picker read them in its reader's language (str() where they are sent).
KNOWN_NAMES: dict[str, tuple[Any, str, tuple[str, ...]]] = {
    "CurrentNumberWaitingCalls": (gettext_lazy("Calls waiting"), "count", ("Queue", "GroupQueues", "Tenant")),
    "CurrentMaxCallWaitingTime": (gettext_lazy("Longest wait"), "duration", ("Queue", "GroupQueues", "Tenant")),
    "TotalNumberInboundCalls": (
        gettext_lazy("Inbound calls"),
        "count",
        ("Queue", "GroupQueues", "GroupAgents", "Agent", "Tenant"),
    ),
    "TotalNumberCallsAnswered": (
        gettext_lazy("Calls answered"),
        "count",
        ("Queue", "GroupQueues", "GroupAgents", "Agent", "Tenant"),
    ),
    "TotalNumberAbandonedCalls": (gettext_lazy("Calls abandoned"), "count", ("Queue", "GroupQueues", "Tenant")),
    "AverageHandlingTime": (
        gettext_lazy("Average handling time"),
        "duration",
        ("Queue", "GroupAgents", "Agent", "Tenant"),
    ),
    "AverageTalkTime": (gettext_lazy("Average talk time"), "duration", ("Queue", "GroupAgents", "Agent", "Tenant")),
    "AverageSpeedOfAnswer": (gettext_lazy("Average speed of answer"), "duration", ("Queue", "GroupQueues", "Tenant")),
    "ServiceFactor": (gettext_lazy("Service level"), "percent", ("Queue", "GroupQueues", "Tenant")),
    "CurrentNumberReadyAgents": (gettext_lazy("Agents ready"), "count", ("GroupAgents", "Tenant")),
    "CurrentNumberNotReadyAgents": (gettext_lazy("Agents not ready"), "count", ("GroupAgents", "Tenant")),
    "CurrentNumberBusyAgents": (gettext_lazy("Agents on calls"), "count", ("GroupAgents", "Tenant")),
    "CurrentNumberAfterCallWorkAgents": (gettext_lazy("Agents in wrap-up"), "count", ("GroupAgents", "Tenant")),
    "CurrentNumberLoggedInAgents": (gettext_lazy("Agents logged in"), "count", ("GroupAgents", "Tenant")),
    "CurrentAgentState": (gettext_lazy("Agent state"), "count", ("Agent",)),
    "TimeInCurrentState": (gettext_lazy("Time in state"), "duration", ("Agent",)),
}


def humanise(name: str) -> str:
    """CurrentNumberWaitingCalls -> Current number waiting calls."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).split()
    return " ".join([words[0], *[w.lower() for w in words[1:]]]) if words else name


def name_label(name: str | None, definition: dict | None = None) -> str:
    """What a statistic's name reads as: the catalogue's label, else the name humanised,
    else (an ad-hoc definition) its category humanised."""
    if name:
        return str(KNOWN_NAMES[name][0]) if name in KNOWN_NAMES else humanise(name)
    return humanise(str((definition or {}).get("category", "")))
