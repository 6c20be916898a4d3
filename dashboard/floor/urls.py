from __future__ import annotations

from django.urls import path

from dashboard.floor import views

urlpatterns = [
    path("messages/", views.messages_page, name="floor-messages"),
    path("messages/<int:pk>/withdraw/", views.withdraw, name="floor-withdraw"),
]
