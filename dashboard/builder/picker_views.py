"""The statistic picker's JSON calls: the catalog (names, object types, definition
fields), object search, and "test this statistic" (a peek at the upstream).

Peeking reuses the admin's action (dashboard/admin.py, peek_values). The Statistics
API peeks pre-configured statistics only (seed 002 "Get the values of statistics
without a subscription": "predefined statistics"), so an ad-hoc definition is checked
against the definition grammar and its fault shown with the field it names.
"""
from __future__ import annotations

import json
from typing import Any

from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dashboard.builder.catalog import object_types, search_objects, statistic_names
from dashboard.builder.grammar import definition_fields, known_field_names
from dashboard.builder.permissions import editor_only
from dashboard.models import Statistic


@never_cache
@require_GET
@editor_only
def catalog(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"names": statistic_names(), "objectTypes": object_types(),
                         "definitionFields": definition_fields(), "knownFields": known_field_names(),
                         "units": list(Statistic.Unit.values)})


@never_cache
@require_GET
@editor_only
def objects(request: HttpRequest) -> JsonResponse:
    object_type = request.GET.get("type", "")
    if object_type not in object_types():
        return JsonResponse({"error": f"unknown object type {object_type!r}"}, status=400)
    return JsonResponse({"objects": search_objects(object_type, request.GET.get("q", "")[:100])})


def _statistic(body: Any) -> Statistic | str:
    if not isinstance(body, dict):
        return "send a JSON object with name or definition, objectType and objectId"
    stat = Statistic(name=body.get("name") or "", definition=body.get("definition") or None,
                     object_type=body.get("objectType") or "", object_id=body.get("objectId") or "")
    try:
        stat.clean()
    except ValidationError as error:
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return stat


@require_POST
@editor_only
def peek(request: HttpRequest) -> JsonResponse:
    from dashboard.admin import peek_values, upstream_config

    try:
        stat = _statistic(json.loads(request.body or b"null"))
    except ValueError:
        stat = "the request must be JSON"
    if isinstance(stat, str):
        return JsonResponse({"ok": False, "error": stat})
    if not stat.name:
        return JsonResponse({"ok": True, "value": None, "note": "The definition is valid. The Statistics API "
                             "peeks pre-configured statistics only: publish to see its values."})
    [(value, error)] = async_to_sync(peek_values)(upstream_config(), [stat])
    if error:
        return JsonResponse({"ok": False, "error": f"the upstream refused it: {error}"})
    return JsonResponse({"ok": True, "value": value})
