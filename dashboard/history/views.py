"""/api/history/<statistic id> and /dashboards/<slug>/export.csv (../shared/interfaces.md
"Data out"); who may read what: dashboard/history/access.py."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dashboard.boards.models import Dashboard, Statistic
from dashboard.history import csv_export, reads
from dashboard.history.access import may_read_statistic
from dashboard.history.current import current_values
from dashboard.history.params import BadQuery, parse_range


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_GET
@never_cache
def history(request: HttpRequest, statistic_id: int) -> JsonResponse:
    token = request.GET.get("token") or None
    if token is None and not request.user.is_authenticated:
        return _error(401, "sign in first")
    statistic = Statistic.objects.filter(pk=statistic_id).first()
    if statistic is None or not may_read_statistic(request.user, token, statistic):
        return _error(404, "no such statistic")  # whether it exists is not revealed
    try:
        span = parse_range(request.GET)
    except BadQuery as error:
        return _error(400, str(error))
    found = reads.buckets(statistic.id, span.start_ms // 1000, -(-span.end_ms // 1000), span.interval)
    return JsonResponse({"statistic": statistic.id, "interval": span.interval, "points": [b.as_point() for b in found]})


@login_required
@require_GET
@never_cache
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    if not dashboard.visible_to(request.user):
        raise Http404("No such dashboard")
    statistics = csv_export.statistics_of(dashboard)
    ranged = any(request.GET.get(name) for name in ("from", "to", "interval"))
    try:
        if ranged:
            body = csv_export.render(
                csv_export.RANGE_HEADER, csv_export.range_rows(statistics, parse_range(request.GET))
            )
        else:
            current = async_to_sync(current_values)(dashboard.slug)
            body = csv_export.render(csv_export.CURRENT_HEADER, csv_export.current_rows(statistics, current))
    except (BadQuery, csv_export.TooManyRows) as error:
        return HttpResponse(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dashboard.slug}.csv"'
    return response
