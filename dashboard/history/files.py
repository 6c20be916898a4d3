"""History options in dashboard files (dashboard/boards/files.py calls these, one line each).

A dashboard's `"timeZone"` is dashboard/i18n/files.py's (exported only when not the
server's TIME_ZONE, so older files stay the same); a line or KPI widget may carry `"compare"` (`yesterday`,
`last-week`, `four-weeks`); an intraday widget carries `"interval"` in minutes (15 or 30).
Export and validation write the same shape, so a file round-trips unchanged.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from dashboard.boards.models import Widget

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
            errors.append(
                gettext("%(where)s: one of %(choices)s") % {"where": f"{where}.compare", "choices": ", ".join(COMPARES)}
            )
        elif entry.get("type") not in COMPARED_KINDS:
            errors.append(
                gettext("%(where)s: only line and kpi widgets compare with the past") % {"where": f"{where}.compare"}
            )
        else:
            entry["compare"] = compare
    interval = raw.get("interval")
    if entry.get("type") == INTRADAY:
        interval = 30 if interval is None else interval
        if isinstance(interval, bool) or interval not in INTERVALS:
            errors.append(gettext("%(where)s: 15 or 30 (minutes)") % {"where": f"{where}.interval"})
        entry["interval"] = interval
    elif interval is not None:
        errors.append(gettext("%(where)s: only intraday widgets have an interval") % {"where": f"{where}.interval"})


def widget_fields(entry: dict) -> dict:
    """Model fields for a validated widget entry."""
    return {"compare": entry.get("compare", ""), "interval_minutes": entry.get("interval", 30)}
