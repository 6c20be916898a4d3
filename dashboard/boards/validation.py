"""Field-by-field checks of statistic configuration, with messages an admin can act on.

Ad-hoc definitions are checked against the product's definition grammar
(statsbridge/definitions.py): a malformed one (wrong structure or types) is refused,
an unknown name (category, mask, field) only warned about, because the tenant's Stat
Server may know names no list here has. Genesys stays the judge: "test this statistic"
asks it, and a statistic it refuses shows as refused on its tile and in the admin.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from dashboard.boards.definition_messages import problem_text
from statsbridge.definitions import InvalidDefinition, check_definition

# Stat Server object types (seed 002 "Statistics API": objectType).
OBJECT_TYPES = (
    "Agent",
    "AgentPlace",
    "Place",
    "GroupAgents",
    "GroupPlaces",
    "Queue",
    "RoutePoint",
    "GroupQueues",
    "Tenant",
    "StagingArea",
    "RegDN",
)
UNITS = ("count", "duration", "percent")


def validate_statistic_fields(stat: Any) -> None:
    errors: dict[str, str] = {}
    if bool(stat.name) == bool(stat.definition):
        errors["name"] = gettext("Give either a pre-configured statistic name or an ad-hoc definition, not both")
    if stat.object_type not in OBJECT_TYPES:
        errors["object_type"] = gettext("Unknown object type %(type)s; one of %(choices)s") % {
            "type": repr(stat.object_type),
            "choices": ", ".join(OBJECT_TYPES),
        }
    if not str(stat.object_id).strip():
        errors["object_id"] = gettext("Required: the object's id in Stat Server, e.g. 8001@SIP_Switch")
    if stat.definition:
        try:
            check_definition(stat.definition)
        except InvalidDefinition as error:
            field = error.path.removeprefix("definition").lstrip(".")
            problem = problem_text(error)
            errors["definition"] = f"{field}: {problem}" if field else problem
    if errors:
        raise ValidationError(errors)


def definition_warnings(definition: object, where: str = "definition") -> list[str]:
    """What a well-formed definition names that we do not know (empty if malformed:
    `validate_statistic_fields` reports that)."""
    if not definition:
        return []
    try:
        findings = check_definition(definition)
    except InvalidDefinition:
        return []
    return [f"{where}{f.path.removeprefix('definition')}: {problem_text(f)}" for f in findings]
