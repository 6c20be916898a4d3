"""HTTP views: home, the supervisor page, the wallboard page and the health probe."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from dashboard.access.policy import wallboard_for_token
from dashboard.boards.home_view import home_extras
from dashboard.boards.models import Dashboard, Wallboard, Widget
from dashboard.boards.page_config import dashboard_config, needs_plotly
from dashboard.boards.revisions import page_revisions
from dashboard.connections.runtime_health import connections_health, connections_summary
from dashboard.i18n.languages import wallboard_language
from dashboard.skills.queries import agents_with_skill, skill_names_in_use
from statsbridge.metrics_access import may_read_metrics
from statsbridge.status import BridgeState, BridgeStatus, current_status, read_shared_status

_HEALTHY = {BridgeState.CONNECTED, BridgeState.NOT_STARTED}
_NOT_RUNNING_HERE = {BridgeState.NOT_STARTED, BridgeState.STOPPED}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    dashboards = [d for d in Dashboard.objects.prefetch_related("groups") if d.visible_to(request.user)]
    return render(request, "dashboard/home.html", {"dashboards": dashboards, **home_extras(request, dashboards)})


@login_required
@never_cache
def dashboard_page(request: HttpRequest, slug: str) -> HttpResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    if not dashboard.visible_to(request.user):
        raise Http404("No such dashboard")  # do not reveal that it exists
    skill = _skill_filter(request)
    revisions = page_revisions([slug])  # before the configuration (revisions.py)
    dashboard.refresh_from_db()
    config = dashboard_config(dashboard, skill=skill)
    has_agents = dashboard.widgets.filter(kind__in=[Widget.Kind.AGENT_GRID, Widget.Kind.SKILL_COVERAGE]).exists()
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "dashboard": dashboard,
            "skill": skill,
            "skill_choices": skill_names_in_use() if has_agents else [],
            "skill_missing": bool(skill) and not agents_with_skill(skill),
            "needs_plotly": needs_plotly([config]),
            "config": {"pages": [config], "kiosk": False, "timeZone": dashboard.time_zone, "revisions": revisions},
        },
    )


def _skill_filter(request: HttpRequest) -> str | None:
    """`?skill=Spanish`: show only the agents with that skill (agent grids, coverage)."""
    return (request.GET.get("skill") or "").strip()[:120] or None


@never_cache
def wallboard_page(request: HttpRequest, slug: str) -> HttpResponse:
    wallboard = get_object_or_404(Wallboard, slug=slug)
    language = wallboard_language(wallboard)
    with translation.override(language):  # a kiosk reads its wallboard's language, not its browser's
        response = _wallboard_page(request, wallboard)
    response.headers["Content-Language"] = language
    return response


def _wallboard_page(request: HttpRequest, wallboard: Wallboard) -> HttpResponse:
    slug, token = wallboard.slug, request.GET.get("token")
    if wallboard_for_token(token, slug) is None:
        return render(request, "dashboard/wallboard_denied.html", {"wallboard": wallboard}, status=403)
    skill = _skill_filter(request)
    revisions = page_revisions([d.slug for d in wallboard.pages()], slug)  # before the configuration (revisions.py)
    wallboard.refresh_from_db()
    pages = [dashboard_config(d, theme=wallboard.theme, skill=skill) for d in wallboard.pages()]
    return render(
        request,
        "dashboard/wallboard.html",
        {
            "wallboard": wallboard,
            "skill": skill,
            "skill_missing": bool(skill) and not agents_with_skill(skill),
            "needs_plotly": needs_plotly(pages),
            "config": {
                "pages": pages,
                "kiosk": True,
                "token": token,
                "rotateSeconds": wallboard.rotate_seconds,
                "revisions": revisions,
                "theme": wallboard.theme,
                "title": wallboard.title,
                "slug": wallboard.slug,
                "timeZone": wallboard.time_zone,
            },
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and link state for load balancers and operators. No secrets here; the
    upstream's URL only for signed-in staff (it names the tenant's region and host)."""
    status = _bridge_status()
    age = None
    if status.last_update_ms is not None:
        age = round(max(0.0, time.time() - status.last_update_ms / 1000), 3)
    body: dict = {"status": "ok" if status.state in _HEALTHY else "degraded"}
    if request.user.is_authenticated and request.user.is_staff:
        body["upstream"] = settings.GENESYS["API_BASE_URL"] or getattr(settings, "STATSBRIDGE_SIMULATOR_URL", "")
    # `detail` says why when not connected (e.g. which grant Genesys refused and where
    # to fix it); the bridge writes it without secrets.
    body["bridge"] = {
        "state": status.state.value,
        "detail": status.detail,
        "subscriptions": status.subscriptions,
        "statistics": status.statistics,
        "last_update_age_s": age,
    }
    connections = connections_health(status)  # issue 22: one entry per connection
    body["connections"] = connections if _may_see_connections(request) else connections_summary(connections)
    return JsonResponse(body)


def _may_see_connections(request: HttpRequest) -> bool:
    """Connection names are tenants' (an outsourcer's clients): staff, and whoever may
    read /metrics (METRICS_TOKEN, or loopback through no proxy) see them; anyone else
    only counts per state."""
    if request.user.is_authenticated and request.user.is_staff:
        return True
    headers = {name.lower(): value for name, value in request.headers.items()}
    return may_read_metrics(
        settings.METRICS_TOKEN, request.headers.get("Authorization"), request.META.get("REMOTE_ADDR"), headers
    )


def _bridge_status() -> BridgeStatus:
    """This process's bridge while it runs; otherwise, with Redis, the elected one's.
    A process that led once and lost the lease keeps a `stopped` bridge of its own:
    reading that (rather than the leader's) reported `degraded` forever."""
    status = current_status()
    if status.state in _NOT_RUNNING_HERE and getattr(settings, "REDIS_URL", None):
        return read_shared_status(settings.REDIS_URL) or BridgeStatus(
            BridgeState.ERROR, detail="no bridge has reported in Redis"
        )
    return status
