from __future__ import annotations

from django.urls import path

from dashboard.personal import views

urlpatterns = [
    path("dashboards/<slug:slug>/copy/", views.copy, name="personal-copy"),
    path("my/<int:pk>/", views.personal_page, name="personal-dashboard"),
    path("my/<int:pk>/arrange/", views.arrange, name="personal-arrange"),
]
