"""The drill-down pages: a queue's agents, an agent's day. Same access as the dashboard
they come from (signed in, the dashboard's groups: Dashboard.visible_to); anyone else
gets a 404, as for the dashboard, so neither page reveals what exists."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from dashboard.boards.models import Dashboard
from dashboard.boards.page_config import needs_plotly
from dashboard.boards.statistic_peek import upstream_config
from dashboard.supervisor.drill_config import agent_page, queue_page
from dashboard.supervisor.today import agent_today


def _visible(request: HttpRequest, slug: str) -> Dashboard:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    if not dashboard.visible_to(request.user):
        raise Http404("No such dashboard")
    return dashboard


@login_required
@never_cache
def queue_agents(request: HttpRequest, slug: str, queue: str) -> HttpResponse:
    dashboard = _visible(request, slug)
    built = queue_page(dashboard, queue)
    if built is None:
        raise Http404("This dashboard shows no such queue")
    page, facts = built
    return render(
        request,
        "supervisor/queue_agents.html",
        {
            "dashboard": dashboard,
            "queue": queue,
            **facts,
            "needs_plotly": needs_plotly([page]),
            "config": {"pages": [page], "kiosk": False},
        },
    )


@login_required
@never_cache
def agent(request: HttpRequest, slug: str, agent: str) -> HttpResponse:
    dashboard = _visible(request, slug)
    built = agent_page(dashboard, agent)
    if built is None:
        raise Http404("This dashboard covers no such agent")
    page, name = built
    config = {"pages": [page], "kiosk": False, "today": request.path + "today"}
    return render(
        request, "supervisor/agent.html", {"dashboard": dashboard, "agent": agent, "name": name, "config": config}
    )


@login_required
@never_cache
def agent_today_json(request: HttpRequest, slug: str, agent: str) -> JsonResponse:
    dashboard = _visible(request, slug)
    if agent_page(dashboard, agent) is None:
        raise Http404("This dashboard covers no such agent")
    return JsonResponse(async_to_sync(agent_today)(upstream_config(), agent))
