from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DashboardConfig(AppConfig):
    """The web side: pages, WebSocket consumers, configuration models, admin."""

    name = "dashboard"
    verbose_name = gettext_lazy("Statistics dashboard")

    def ready(self) -> None:
        from dashboard.boards import signals

        signals.connect()  # wiring only: nothing starts here
        from dashboard.floor import notify

        notify.connect()
