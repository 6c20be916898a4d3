from __future__ import annotations

from django.urls import path

from dashboard.consumers import DashboardConsumer

websocket_urlpatterns = [path("ws/dashboards/<slug:slug>/", DashboardConsumer.as_asgi())]
