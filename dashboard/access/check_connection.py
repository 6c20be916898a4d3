"""The admin's "Check connection" page: the `check_genesys` preflight, run on a
staff member's POST (CSRF-protected: it opens sessions upstream), one row per step.
`?connection=NAME` checks that connection (dashboard/connections), else `default`."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dashboard.access.preflight import NOTIFICATION_TIMEOUT, run_preflight
from dashboard.access.upstream_auth import connection_config, upstream_base_url
from dashboard.connections.models import DEFAULT_CONNECTION


@staff_member_required
@require_http_methods(["GET", "POST"])
def check_page(request: HttpRequest) -> HttpResponse:
    report, skills = None, request.POST.get("skills") == "on"
    name = request.GET.get("connection") or DEFAULT_CONNECTION
    upstream = upstream_base_url() if name == DEFAULT_CONNECTION else connection_config(name).base_url
    if request.method == "POST":
        report = async_to_sync(run_preflight)(upstream, skills=skills, connection=name)
    return render(
        request,
        "admin/check_connection.html",
        {
            "title": "Check connection" + ("" if name == DEFAULT_CONNECTION else f" ({name})"),
            "upstream": upstream,
            "report": report,
            "skills": skills,
            "connection": name,
            "wait": f"{NOTIFICATION_TIMEOUT:g}",
        },
    )
