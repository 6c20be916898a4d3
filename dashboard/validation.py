"""Field-by-field checks of statistic configuration, with messages an admin can act on.

Ad-hoc definitions are checked with the same Stat Server rules the simulator
enforces (statsbridge.simulator.definitions), so a definition saved here is one the
upstream accepts; the upstream stays the final judge ("test this statistic").
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from statsbridge.simulator.definitions import InvalidStatistic, parse_definition

# Stat Server object types (seed 002 "Statistics API": objectType).
OBJECT_TYPES = ("Agent", "AgentPlace", "Place", "GroupAgents", "GroupPlaces", "Queue", "RoutePoint",
                "GroupQueues", "Tenant", "StagingArea", "RegDN")
UNITS = ("count", "duration", "percent")


def validate_statistic_fields(stat: Any) -> None:
    errors: dict[str, str] = {}
    if bool(stat.name) == bool(stat.definition):
        errors["name"] = "Give either a pre-configured statistic name or an ad-hoc definition, not both"
    if stat.object_type not in OBJECT_TYPES:
        errors["object_type"] = f"Unknown object type {stat.object_type!r}; one of {', '.join(OBJECT_TYPES)}"
    if not str(stat.object_id).strip():
        errors["object_id"] = "Required: the object's id in Stat Server, e.g. 8001@SIP_Switch"
    if stat.definition:
        try:
            parse_definition(stat.definition)
        except InvalidStatistic as error:
            field = error.path.removeprefix("definition").lstrip(".")
            errors["definition"] = f"{field}: {error.problem}" if field else error.problem
    if errors:
        raise ValidationError(errors)
