"""The wallboard preview: the draft as a wallboard would show it, for the editor to
frame at a TV's size and measure (static/js/builder/preview.js).

The draft is applied inside a transaction that is always rolled back, so the page is
built by the same code as a real wallboard (page_config.dashboard_config) and nothing
is saved; the import's `config.changed` waits for a commit that never comes.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from dashboard.access.security import POLICY
from dashboard.boards.files import import_dashboards
from dashboard.boards.models import Dashboard
from dashboard.boards.page_config import dashboard_config, needs_plotly
from dashboard.builder.drafts import editing_document, problems_of
from dashboard.builder.permissions import editor_only

THEME = "dark"


def draft_page_config(dashboard: Dashboard) -> tuple[dict, list[str]]:
    """(the page config of the draft, or of the published dashboard if the draft has problems; the problems)."""
    document, has_draft = editing_document(dashboard)
    problems = problems_of(dashboard, document) if has_draft else []
    if not has_draft or problems:
        return dashboard_config(dashboard, theme=THEME), problems
    with transaction.atomic():
        import_dashboards({"dashboards": [document], "wallboards": []})
        dashboard.refresh_from_db()
        config = dashboard_config(dashboard, theme=THEME)
        transaction.set_rollback(True)
    return config, []


@never_cache
@xframe_options_sameorigin
@editor_only
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    dashboard = get_object_or_404(Dashboard, slug=slug)
    config, problems = draft_page_config(dashboard)
    if problems:
        title = gettext("Preview: %(title)s (published: the draft has problems)") % {"title": dashboard.title}
    else:
        title = gettext("Preview: %(title)s") % {"title": dashboard.title}
    response = render(
        request,
        "dashboard/wallboard.html",
        {
            "wallboard": SimpleNamespace(title=title, theme=THEME),
            "needs_plotly": needs_plotly([config]),
            "config": {
                "pages": [config],
                "kiosk": True,
                "token": "",
                "rotateSeconds": 3600,
                "theme": THEME,
                "title": title,
            },
        },
    )
    # Framed by the editor only (same origin); every other rule of the policy stays.
    response.headers["Content-Security-Policy"] = POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    return response
