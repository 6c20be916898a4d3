"""The statistic picker's JSON calls: the catalog (names, object types, definition
fields, the connections this editor may see), object search (with what the connection's
upstream listing said, or its error: never a 500), and "test this statistic" (a peek at
the statistic's connection).

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

from dashboard.access.policy import visible_connections
from dashboard.boards.models import Statistic
from dashboard.boards.statistic_peek import peek_values, upstream_config
from dashboard.boards.validation import definition_warnings
from dashboard.builder.catalog import object_types, search_objects, statistic_names
from dashboard.builder.grammar import definition_fields, known_field_names
from dashboard.builder.permissions import editor_only
from dashboard.builder.upstream_objects import matching, upstream_objects
from dashboard.connections.configs import config_of
from dashboard.connections.models import DEFAULT_CONNECTION


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
            "unitChoices": [[value, str(label)] for value, label in Statistic.Unit.choices],  # in the editor's language
            "connections": visible_connections(request.user),
        }
    )


@never_cache
@require_GET
@editor_only
def objects(request: HttpRequest) -> JsonResponse:
    object_type = request.GET.get("type", "")
    if object_type not in object_types():
        return JsonResponse({"error": gettext("unknown object type %(type)r") % {"type": object_type}}, status=400)
    query = request.GET.get("q", "")[:100]
    connection = (request.GET.get("connection") or DEFAULT_CONNECTION)[:50]
    upstream = upstream_objects(object_type, refresh=request.GET.get("refresh") == "1", connection=connection)
    found = search_objects(object_type, query, matching(upstream, query), connection)
    return JsonResponse({"objects": found, "upstream": upstream.as_dict()})


def _statistic(body: Any) -> Statistic | str:
    if not isinstance(body, dict):
        return gettext("send a JSON object with name or definition, objectType and objectId")
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


def _connection_name(request: HttpRequest) -> str:
    """The statistic's connection (the picker sends `connection` when not `default`)."""
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return DEFAULT_CONNECTION
    name = body.get("connection") if isinstance(body, dict) else None
    return name if isinstance(name, str) and name else DEFAULT_CONNECTION


@require_POST
@editor_only
def peek(request: HttpRequest) -> JsonResponse:

    try:
        stat = _statistic(json.loads(request.body or b"null"))
    except ValueError:
        stat = gettext("the request must be JSON")
    if isinstance(stat, str):
        return JsonResponse({"ok": False, "error": stat})
    warnings = definition_warnings(stat.definition)
    name = _connection_name(request)
    if name not in visible_connections(request.user):
        return JsonResponse({"ok": False, "error": gettext("unknown connection %(name)s") % {"name": repr(name)}})
    config = upstream_config() if name == DEFAULT_CONNECTION else config_of(name)
    [(value, error)] = async_to_sync(peek_values)(config, [stat])
    if error:
        return JsonResponse(
            {
                "ok": False,
                "error": gettext("the upstream refused it: %(error)s") % {"error": error},
                "warnings": warnings,
            }
        )
    return JsonResponse({"ok": True, "value": value, "warnings": warnings})
