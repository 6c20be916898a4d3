"""Plain HTTP views: the home page and the health probe."""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from statsbridge.status import BridgeState, current_status

_HEALTHY = {BridgeState.CONNECTED, BridgeState.NOT_STARTED}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html", {})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and link state for load balancers and operators. No secrets here."""
    status = current_status()
    age = None
    if status.last_update_ms is not None:
        age = round(max(0.0, time.time() - status.last_update_ms / 1000), 3)
    return JsonResponse(
        {
            "status": "ok" if status.state in _HEALTHY else "degraded",
            "upstream": settings.GENESYS["API_BASE_URL"] or "built-in simulator",
            "bridge": {
                "state": status.state.value,
                "subscriptions": status.subscriptions,
                "statistics": status.statistics,
                "last_update_age_s": age,
            },
        }
    )
