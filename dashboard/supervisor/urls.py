from __future__ import annotations

from django.urls import path

from dashboard.supervisor import views

# Object ids carry '@' and may carry '/': `path` segments, quoted by the page (drill.js).
urlpatterns = [
    path("dashboards/<slug:slug>/queues/<path:queue>/agents/", views.queue_agents, name="queue-agents"),
    path("dashboards/<slug:slug>/agents/<path:agent>/today", views.agent_today_json, name="agent-today"),
    path("dashboards/<slug:slug>/agents/<path:agent>/", views.agent, name="agent"),
]
