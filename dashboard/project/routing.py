from __future__ import annotations

from django.urls import path, re_path

from dashboard.realtime.consumer import DashboardConsumer
from dashboard.realtime.ws_guards import no_route

websocket_urlpatterns = [
    path("ws/dashboards/<slug:slug>/", DashboardConsumer.as_asgi()),
    re_path(r"", no_route),  # last: anything else is denied (403), not a ValueError (500)
]
