"""History options in dashboard files (dashboard/boards/files.py calls these, one line each).

A dashboard carries `"timeZone"` (an IANA name, always exported, the server's TIME_ZONE
when a file has none); a line or KPI widget may carry `"compare"` (`yesterday`,
`last-week`, `four-weeks`); an intraday widget carries `"interval"` in minutes (15 or 30).
Export and validation write the same shape, so a file round-trips unchanged.
"""

from __future__ import annotations

from typing import Any

from dashboard.boards.models import Dashboard, Widget
from dashboard.boards.time_zones import default_time_zone, is_time_zone

COMPARES = tuple(c for c in Widget.Compare.values if c)
COMPARED_KINDS = ("line", "kpi")
INTRADAY = "intraday"
INTERVALS = (15, 30)


def widget_options(widget: Widget) -> dict:
    options: dict[str, Any] = {}
    if widget.compare:
        options["compare"] = widget.compare
    if widget.kind == INTRADAY:
        options["interval"] = widget.interval_minutes
    return options


def normalise_options(raw: dict, entry: dict, where: str, errors: list[str]) -> None:
    """Check `compare` and `interval` of a widget entry and copy them into `entry`."""
    compare = raw.get("compare") or ""
    if compare:
        if compare not in COMPARES:
            errors.append(f"{where}.compare: one of {', '.join(COMPARES)}")
        elif entry.get("type") not in COMPARED_KINDS:
            errors.append(f"{where}.compare: only line and kpi widgets compare with the past")
        else:
            entry["compare"] = compare
    interval = raw.get("interval")
    if entry.get("type") == INTRADAY:
        interval = 30 if interval is None else interval
        if isinstance(interval, bool) or interval not in INTERVALS:
            errors.append(f"{where}.interval: 15 or 30 (minutes)")
        entry["interval"] = interval
    elif interval is not None:
        errors.append(f"{where}.interval: only intraday widgets have an interval")


def widget_fields(entry: dict) -> dict:
    """Model fields for a validated widget entry."""
    return {"compare": entry.get("compare", ""), "interval_minutes": entry.get("interval", 30)}


def dashboard_options(dashboard: Dashboard) -> dict:
    return {"timeZone": dashboard.time_zone}


def normalise_time_zone(raw: dict, where: str, errors: list[str]) -> str:
    name = raw.get("timeZone") or default_time_zone()
    if not is_time_zone(name):
        errors.append(f"{where}.timeZone: an IANA time zone name, e.g. Europe/Berlin")
    return name
