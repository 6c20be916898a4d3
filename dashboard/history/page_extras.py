"""What the history adds to a dashboard's page config (dashboard/boards/page_config.py
calls these two, one line each): a widget's comparison line or intraday rows, and the
page's day (its zone, when it began, when the next one begins: the page reloads then,
so kiosks running for weeks move on to the new day's reference and rows).
"""

from __future__ import annotations

import time

from dashboard.boards.models import Dashboard, Widget
from dashboard.boards.time_zones import zone_of
from dashboard.history.compare import compare_entry
from dashboard.history.intraday import intraday_entry
from dashboard.history.local_time import day_start, next_day_start

COMPARED_KINDS = ("line", "kpi")


def widget_extras(widget: Widget, dashboard: Dashboard, now: float | None = None) -> dict:
    """`compare` for a compared line or KPI, `intraday` for an intraday table; else nothing."""
    if widget.kind not in COMPARED_KINDS and widget.kind != Widget.Kind.INTRADAY:
        return {}
    if widget.kind != Widget.Kind.INTRADAY and not widget.compare:
        return {}
    at, zone = time.time() if now is None else now, zone_of(dashboard.time_zone)
    statistics = list(widget.statistics.order_by("widgetstatistic__position", "widgetstatistic__id"))
    if widget.kind == Widget.Kind.INTRADAY:
        return {"intraday": intraday_entry(statistics, widget.interval_minutes, at, zone)}
    return {"compare": compare_entry(widget.compare, {s.key: s.pk for s in statistics}, at, zone)}


def page_day(dashboard: Dashboard, now: float | None = None) -> dict:
    at, zone = time.time() if now is None else now, zone_of(dashboard.time_zone)
    return {
        "day": {
            "timeZone": zone.key,
            "start": round(day_start(at, zone) * 1000),
            "next": round(next_day_start(at, zone) * 1000),
        }
    }
