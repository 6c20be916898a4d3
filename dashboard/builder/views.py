"""The editor page and its JSON calls: draft, publish, discard, versions, restore.
Every call is CSRF-protected (the page sends the token in X-CSRFToken) and
editors-only (permissions.py)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dashboard.boards.files import DashboardFileError
from dashboard.boards.models import Dashboard
from dashboard.builder import drafts, presence
from dashboard.builder.budget import budget_for
from dashboard.builder.catalog import palette
from dashboard.builder.models import DashboardDraft, DashboardVersion
from dashboard.builder.permissions import editor_only
from statsbridge.desired import descriptor_of, statistic_key


def _user(request: HttpRequest) -> str:
    return request.user.get_username()


def _keys(document: Any) -> list[list[str | None]]:
    """Per widget, per statistic: the key its live value arrives under on the socket."""
    out: list[list[str | None]] = []
    for widget in (document.get("widgets") if isinstance(document, dict) else None) or []:
        row: list[str | None] = []
        for stat in (widget.get("statistics") if isinstance(widget, dict) else None) or []:
            try:
                row.append(
                    statistic_key(
                        descriptor_of(
                            object_type=stat["objectType"],
                            object_id=stat["objectId"],
                            name=stat.get("name") or None,
                            definition=stat.get("definition") or None,
                        )
                    )
                )
            except (KeyError, TypeError):
                row.append(None)
        out.append(row)
    return out


def _editing(dashboard: Dashboard, user: str) -> dict:
    """Who else is editing, and who saved the draft last (with the revision to save on)."""
    return {
        "draft": presence.draft_info(DashboardDraft.objects.filter(dashboard=dashboard).first()),
        "editors": presence.others(dashboard, user),
    }


def _state(dashboard: Dashboard, errors: list[str] | None = None, user: str = "") -> dict:
    document, has_draft = drafts.editing_document(dashboard)
    versions = [
        {"number": v.number, "publishedBy": v.published_by, "publishedAt": v.published_at.isoformat(), "note": v.note}
        for v in DashboardVersion.objects.filter(dashboard=dashboard)[:50]
    ]
    problems, warnings = drafts.check(dashboard, document)
    return {
        "document": document,
        "hasDraft": has_draft,
        "keys": _keys(document),
        "problems": problems if errors is None else errors,
        "warnings": warnings,
        "budget": budget_for(dashboard.slug, document).as_dict(),
        "versions": versions,
        **_editing(dashboard, user),
    }


@never_cache
@editor_only
def editor_page(request: HttpRequest, slug: str) -> HttpResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    base = reverse("builder-page", args=[slug])
    config = {
        "slug": slug,
        "title": dashboard.title,
        "columns": dashboard.columns,
        "api": base,
        "catalog": reverse("builder-catalog"),
        "objects": reverse("builder-objects"),
        "peek": reverse("builder-peek"),
        "live": reverse("dashboard", args=[slug]),
        "csrf": get_token(request),
        "user": _user(request),
        "checkInSeconds": presence.CHECK_IN_SECONDS,
        "palette": palette(),
    }
    return render(request, "builder/editor.html", {"dashboard": dashboard, "config": config})


@never_cache
@require_GET
@editor_only
def state(request: HttpRequest, slug: str) -> JsonResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    presence.check_in(dashboard, _user(request))
    return JsonResponse(_state(dashboard, user=_user(request)))


@never_cache
@require_GET
@editor_only
def editing(request: HttpRequest, slug: str) -> JsonResponse:
    """The page's check-in: who else is editing now, and the draft's last save."""
    dashboard = get_object_or_404(Dashboard, slug=slug)
    presence.check_in(dashboard, _user(request))
    return JsonResponse(_editing(dashboard, _user(request)))


def _base_revision(request: HttpRequest) -> int | None:
    """The draft revision the page last saw (header X-Draft-Revision; 0 = no draft then)."""
    raw = request.headers.get("X-Draft-Revision", "")
    return int(raw) if raw.isdigit() else None


@require_POST
@editor_only
def save(request: HttpRequest, slug: str) -> JsonResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    try:
        document = json.loads(request.body or b"null")
    except ValueError:
        return JsonResponse({"error": gettext("the draft must be JSON")}, status=400)
    if not isinstance(document, dict):
        return JsonResponse({"error": gettext("the draft must be a JSON object")}, status=400)
    try:
        errors = drafts.save_draft(dashboard, document, _user(request), _base_revision(request))
    except drafts.DraftConflict as error:
        return JsonResponse(
            {
                "error": gettext("Not saved: %(error)s. Load the current draft to see it, then redo your change.")
                % {"error": error},
                "conflict": True,
                **_editing(dashboard, _user(request)),
            },
            status=409,
        )
    return JsonResponse(_state(dashboard, errors, _user(request)))


@require_POST
@editor_only
def publish(request: HttpRequest, slug: str) -> JsonResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    overwrite = isinstance(body, dict) and body.get("overwrite") is True
    try:
        version = drafts.publish(dashboard, _user(request), overwrite=overwrite)
    except drafts.ChangedMeanwhile as error:
        return JsonResponse(
            {"error": str(error), "changedMeanwhile": True, **_state(dashboard, user=_user(request))}, status=409
        )
    except drafts.NothingToPublish as error:
        return JsonResponse({"error": str(error), **_state(dashboard, user=_user(request))}, status=409)
    except DashboardFileError as error:
        return JsonResponse(
            {"error": gettext("the draft has problems"), **_state(dashboard, error.errors, _user(request))}, status=400
        )
    except drafts.OverBudget as error:
        return JsonResponse({"error": str(error), **_state(dashboard, user=_user(request))}, status=409)
    return JsonResponse({"published": version.number, **_state(dashboard, user=_user(request))})


@require_POST
@editor_only
def discard(request: HttpRequest, slug: str) -> JsonResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    drafts.discard(dashboard)
    return JsonResponse(_state(dashboard, user=_user(request)))


@require_POST
@editor_only
def restore(request: HttpRequest, slug: str, number: int) -> JsonResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    try:
        drafts.restore(dashboard, number, _user(request))
    except DashboardVersion.DoesNotExist:
        return JsonResponse({"error": gettext("no version %(number)s") % {"number": number}}, status=404)
    return JsonResponse(_state(dashboard, user=_user(request)))
