"""The home page's extras (dashboard/boards/home.py): the live breach counts' config,
personal dashboards, and for admins the wallboards' last-seen times."""

from __future__ import annotations

from django.http import HttpRequest

from dashboard.boards.home import breach_config, wallboards_seen
from dashboard.boards.models import Dashboard


def home_extras(request: HttpRequest, dashboards: list[Dashboard]) -> dict:
    from dashboard.personal.queries import personal_for

    user = request.user
    return {
        "home_config": {"dashboards": breach_config(dashboards)},
        "personal": personal_for(user),
        "wallboards": wallboards_seen() if user.is_staff else None,
    }
