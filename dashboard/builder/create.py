"""A new, empty dashboard to build: the quickest way from nothing to a board.

It is created published and empty (no widgets open nothing upstream), shared with no
group (only superusers see it) until the editor's dashboard settings share it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from dashboard.boards.models import Dashboard
from dashboard.builder.permissions import editor_only

TITLE_MAX = 120


def unique_slug(title: str) -> str:
    base = slugify(title)[:40].strip("-") or "dashboard"
    slug, n = base, 2
    while Dashboard.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@require_POST
@editor_only
def create(request: HttpRequest) -> HttpResponse:
    title = (request.POST.get("title") or "").strip()[:TITLE_MAX] or gettext("New dashboard")
    dashboard = Dashboard.objects.create(slug=unique_slug(title), title=title)
    return redirect("builder-page", slug=dashboard.slug)
