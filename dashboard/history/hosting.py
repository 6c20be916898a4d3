"""The history writer built from settings, for `rundashboard` and `runworker statsbridge`."""

from __future__ import annotations

from django.conf import settings

from dashboard.history.service import HistoryService


def history_service() -> HistoryService:
    return HistoryService(
        flush_s=settings.HISTORY_FLUSH_SECONDS,
        keep_5min_days=settings.HISTORY_5MIN_DAYS,
        keep_30min_days=settings.HISTORY_30MIN_DAYS,
    )
