"""The builder's addresses, included from dashboard/project/urls.py."""

from __future__ import annotations

from django.urls import path

from dashboard.builder import create, picker_views, preview, views

urlpatterns = [
    path("dashboards/<slug:slug>/edit/", views.editor_page, name="builder-page"),
    path("dashboards/<slug:slug>/edit/state", views.state, name="builder-state"),
    path("dashboards/<slug:slug>/edit/draft", views.save, name="builder-save"),
    path("dashboards/<slug:slug>/edit/editing", views.editing, name="builder-editing"),
    path("dashboards/<slug:slug>/edit/publish", views.publish, name="builder-publish"),
    path("dashboards/<slug:slug>/edit/discard", views.discard, name="builder-discard"),
    path("dashboards/<slug:slug>/edit/preview", preview.preview, name="builder-preview"),
    path("dashboards/<slug:slug>/edit/versions/<int:number>/restore", views.restore, name="builder-restore"),
    path("builder/new", create.create, name="builder-new"),
    path("builder/catalog", picker_views.catalog, name="builder-catalog"),
    path("builder/objects", picker_views.objects, name="builder-objects"),
    path("builder/peek", picker_views.peek, name="builder-peek"),
]
