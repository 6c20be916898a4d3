"""A service level with no calls behind it is no number: "no calls", never 0.0% and a breach.

Stat Server's ServiceFactor is a ratio of calls; with no call offered it has nothing to
divide, and what it sends then (0 in the simulator) reads as the worst service level.
So beside every service-level statistic the bridge follows the calls that entered the
same object (an ad-hoc TotalNumber of CallEntered, seed 002 "Statistics API" ad-hoc
definitions), and the page shows "no calls" while that count is 0
(static/js/format.js `noCalls`).
"""

from __future__ import annotations

from statsbridge.desired import descriptor_of, statistic_key

SERVICE_LEVEL_NAMES = frozenset({"ServiceFactor"})
SERVICE_LEVEL_CATEGORIES = frozenset({"ServiceFactor"})
# Reference: seed 002 "Statistics API" (a definition instead of a name); CallEntered is
# Stat Server's DN action for a call entering a queue (docs/genesys-fidelity.md).
OFFERED_DEFINITION = {
    "category": "TotalNumber",
    "subject": "DNAction",
    "mainMask": "CallEntered",
    "intervalType": "GrowingWindow",
    "notificationMode": "Periodical",
    "notificationFrequency": 5,
}


def is_service_level(name: str | None, definition: dict | None) -> bool:
    return (name or "") in SERVICE_LEVEL_NAMES or (definition or {}).get("category") in SERVICE_LEVEL_CATEGORIES


def offered_descriptor(object_type: str, object_id: str) -> dict:
    return descriptor_of(object_type=object_type, object_id=object_id, definition=dict(OFFERED_DEFINITION))


def offered_key(object_type: str, object_id: str) -> str:
    return statistic_key(offered_descriptor(object_type, object_id))
