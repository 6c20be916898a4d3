from __future__ import annotations

from django.urls import path

from dashboard.history import views

urlpatterns = [
    path("api/history/<int:statistic_id>", views.history, name="history-api"),
    path("dashboards/<slug:slug>/export.csv", views.export_csv, name="dashboard-export-csv"),
]
