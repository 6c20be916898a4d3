from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard.access import check_connection, upstream_auth
from dashboard.boards import views
from dashboard.project import metrics

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboards/<slug:slug>/", views.dashboard_page, name="dashboard"),
    path("", include("dashboard.builder.urls")),
    path("", include("dashboard.supervisor.urls")),
    path("", include("dashboard.history.urls")),  # /api/history, export.csv
    path("wallboards/<slug:slug>/", views.wallboard_page, name="wallboard"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/connect-genesys/", upstream_auth.status_page, name="connect-genesys"),
    path("admin/connect-genesys/start/", upstream_auth.connect, name="connect-genesys-start"),
    path("admin/connect-genesys/callback/", upstream_auth.callback, name="connect-genesys-callback"),
    path("admin/check-connection/", check_connection.check_page, name="check-connection"),
    path("admin/", admin.site.urls),
]
