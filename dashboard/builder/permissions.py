"""Who may use the builder: superusers and anyone given `dashboard.change_dashboard`
or `dashboard.edit_dashboards`. Signed-in users only: a kiosk token is never enough."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext

PERMISSIONS = ("dashboard.change_dashboard", "dashboard.edit_dashboards")


def can_edit(user: object) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or any(user.has_perm(p) for p in PERMISSIONS))  # type: ignore[attr-defined]


def editor_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages send strangers to sign in; JSON calls answer 403; signed-in users without
    the permission get 403 on both."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        wants_json = request.path.rstrip("/").split("/")[-1] != "edit"
        if not request.user.is_authenticated and not wants_json:
            return redirect_to_login(request.get_full_path())
        if not can_edit(request.user):
            if wants_json:
                return JsonResponse({"error": gettext("you may not edit dashboards")}, status=403)
            return HttpResponse(gettext("You may not edit dashboards."), status=403, content_type="text/plain")
        return view(request, *args, **kwargs)

    return guarded
