"""The alert service built from settings, for `rundashboard` and `runworker statsbridge`."""

from __future__ import annotations

from django.conf import settings

from dashboard.alerts.service import AlertService


def alert_service(default_base_url: str) -> AlertService:
    """Links in notifications point at ALERT_LINK_BASE_URL, else at this server."""
    return AlertService(
        settings.ALERT_LINK_BASE_URL or default_base_url,
        history_days=settings.ALERT_HISTORY_DAYS,
        bridge_grace_s=settings.ALERT_BRIDGE_GRACE_SECONDS,
    )
