"""The JSON a dashboard page boots from: widgets, their statistics' keys and units,
thresholds and empty Plotly figures. Values then come over the WebSocket only."""
from __future__ import annotations

import re

from dashboard.figures import figure_for
from dashboard.models import Dashboard, WidgetStatistic


def humanise(name: str) -> str:
    """CurrentNumberWaitingCalls -> Current number waiting calls."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).split()
    return " ".join([words[0], *[w.lower() for w in words[1:]]]) if words else name


def _statistic_entry(row: WidgetStatistic, same_object: bool) -> dict:
    stat = row.statistic
    fallback = humanise(stat.name or str((stat.definition or {}).get("category", ""))) if same_object else stat.object_id
    return {"id": stat.key, "label": stat.label or fallback, "name": stat.name,
            "objectType": stat.object_type, "objectId": stat.object_id, "unit": stat.unit,
            "expectedPeriod": stat.expected_period()}


def dashboard_config(dashboard: Dashboard, theme: str = "light") -> dict:
    widgets = []
    rows = WidgetStatistic.objects.filter(widget__dashboard=dashboard).select_related("statistic", "widget")
    grouped: dict[int, list[WidgetStatistic]] = {}
    for row in rows:
        grouped.setdefault(row.widget_id, []).append(row)
    by_widget = {widget_id: [_statistic_entry(r, len({x.statistic.object_id for x in group}) == 1) for r in group]
                 for widget_id, group in grouped.items()}
    for widget in dashboard.widgets.all():
        stats = by_widget.get(widget.id, [])
        widgets.append({"id": widget.id, "kind": widget.kind, "title": widget.title, "width": widget.width,
                        "thresholds": widget.thresholds(), "statistics": stats,
                        "figure": figure_for(widget.kind, [s["label"] for s in stats], theme)})
    return {"slug": dashboard.slug, "title": dashboard.title, "columns": dashboard.columns,
            "widgets": widgets}
