"""Personal dashboards: copy a shared dashboard (`POST /dashboards/<slug>/copy/`), open
it (`/my/<id>/`), arrange it (`/my/<id>/arrange/`: move, hide, rename, delete).
Signed-in users only, each sees only their own (404 otherwise, so nothing leaks),
and only while they may see the shared dashboard. No admin rights needed: the
shared dashboard is never written."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dashboard.boards.models import Dashboard
from dashboard.boards.page_config import dashboard_config, needs_plotly
from dashboard.personal.arrange import arranged, moved, page_widgets
from dashboard.personal.models import PersonalDashboard


def _mine(request: HttpRequest, pk: int) -> PersonalDashboard:
    personal = get_object_or_404(PersonalDashboard.objects.select_related("source"), pk=pk)
    if not personal.visible_to(request.user):
        raise Http404("No such dashboard")
    return personal


@login_required
@require_POST
def copy(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Dashboard, slug=slug)
    if not source.visible_to(request.user):
        raise Http404("No such dashboard")
    personal = PersonalDashboard.objects.create(
        owner=request.user,
        source=source,
        title=(gettext("My %(title)s") % {"title": source.title})[:120],
        order=list(source.widgets.values_list("id", flat=True)),
    )
    return redirect("personal-arrange", pk=personal.pk)


@login_required
@never_cache
def personal_page(request: HttpRequest, pk: int) -> HttpResponse:
    personal = _mine(request, pk)
    config = dashboard_config(personal.source)
    config["widgets"] = page_widgets(config["widgets"], personal.order, personal.hidden)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "dashboard": personal.source,
            "personal": personal,
            "skill_choices": [],
            "needs_plotly": needs_plotly([config]),
            "config": {"pages": [config], "kiosk": False},
        },
    )


@login_required
@never_cache
def arrange(request: HttpRequest, pk: int) -> HttpResponse:
    personal = _mine(request, pk)
    widgets = {w.id: w for w in personal.source.widgets.all()}
    if request.method == "POST":
        return _apply(request, personal, list(widgets))
    rows = [(widgets[w], shown) for w, shown in arranged(list(widgets), personal.order, personal.hidden)]
    return render(request, "personal/arrange.html", {"personal": personal, "rows": rows})


def _apply(request: HttpRequest, personal: PersonalDashboard, widget_ids: list[int]) -> HttpResponse:
    """One change per POST (buttons, no script needed): move, hide, show, rename, delete."""
    action, _, target = request.POST.get("action", "").partition(":")
    if action == "delete":
        personal.delete()
        return redirect("home")
    order = [w for w, _ in arranged(widget_ids, personal.order, personal.hidden)]
    widget = int(target) if target.isdigit() else None
    if action in ("up", "down") and widget is not None:
        personal.order = moved(order, widget, -1 if action == "up" else 1)
    elif action == "hide" and widget in widget_ids:
        personal.order, personal.hidden = order, sorted({*personal.hidden, widget})
    elif action == "show" and widget is not None:
        personal.order, personal.hidden = order, [w for w in personal.hidden if w != widget]
    elif action == "rename":
        personal.title = (request.POST.get("title") or "").strip()[:120] or personal.title
    personal.save()
    return redirect("personal-arrange", pk=personal.pk)
