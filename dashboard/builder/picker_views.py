"""The statistic picker's JSON calls: the catalog (names, object types, definition
fields), object search, and "test this statistic" (a peek at the upstream).

Testing reuses the admin's "test this statistic" (dashboard/boards/statistic_peek.py): a
pre-configured name is peeked, an ad-hoc definition opened once and closed, so Genesys
says whether it exists; a malformed one is refused here first with the field it names,
and names the grammar does not know come back as warnings.
"""

from __future__ import annotations

import json
from typing import Any

from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dashboard.boards.models import Statistic
from dashboard.boards.statistic_peek import peek_values, upstream_config
from dashboard.boards.validation import definition_warnings
from dashboard.builder.catalog import object_types, search_objects, statistic_names
from dashboard.builder.grammar import definition_fields, known_field_names
from dashboard.builder.permissions import editor_only


@never_cache
@require_GET
@editor_only
def catalog(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "names": statistic_names(),
            "objectTypes": object_types(),
            "definitionFields": definition_fields(),
            "knownFields": known_field_names(),
            "units": list(Statistic.Unit.values),
        }
    )


@never_cache
@require_GET
@editor_only
def objects(request: HttpRequest) -> JsonResponse:
    object_type = request.GET.get("type", "")
    if object_type not in object_types():
        return JsonResponse({"error": gettext("unknown object type %(type)r") % {"type": object_type}}, status=400)
    return JsonResponse({"objects": search_objects(object_type, request.GET.get("q", "")[:100])})


def _statistic(body: Any) -> Statistic | str:
    if not isinstance(body, dict):
        return "send a JSON object with name or definition, objectType and objectId"
    stat = Statistic(
        name=body.get("name") or "",
        definition=body.get("definition") or None,
        object_type=body.get("objectType") or "",
        object_id=body.get("objectId") or "",
    )
    try:
        stat.clean()
    except ValidationError as error:
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return stat


@require_POST
@editor_only
def peek(request: HttpRequest) -> JsonResponse:

    try:
        stat = _statistic(json.loads(request.body or b"null"))
    except ValueError:
        stat = "the request must be JSON"
    if isinstance(stat, str):
        return JsonResponse({"ok": False, "error": stat})
    warnings = definition_warnings(stat.definition)
    [(value, error)] = async_to_sync(peek_values)(upstream_config(), [stat])
    if error:
        return JsonResponse(
            {
                "ok": False,
                "error": gettext("the upstream refused it: %(error)s") % {"error": error},
                "warnings": warnings,
            }
        )
    return JsonResponse({"ok": True, "value": value, "warnings": warnings})
