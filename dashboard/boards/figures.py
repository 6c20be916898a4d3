"""Plotly figures for chart widgets, built server-side with the plotly package.

One theme for the product (light for supervisors, dark for wallboards); the browser
only swaps data in with Plotly.react (static/js/charts.js). KPI sparklines and trends are
drawn on canvases of the browser's own (static/js/sparkline.js, trend-canvas.js) in
these figures' colours, widths, fonts and grid colours.
"""

from __future__ import annotations

import plotly.graph_objects as go

# Widgets that draw a statistic over time (static/js/charts.js: line traces, the kpi
# sparkline and trend arrow): only their statistics keep a history in the bridge.
DRAWS_HISTORY = frozenset({"line", "kpi"})
# Kinds drawn without Plotly (issue 20): their figures carry no template and a page of
# them loads no Plotly (page_config.needs_plotly).
DRAWN_WITHOUT_PLOTLY = frozenset({"line", "kpi"})

PALETTE = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#0a7d8c", "#d1242f", "#57606a"]
STATE_COLOURS = {
    "Ready": "#2da44e",
    "Busy": "#1f6feb",
    "AfterCallWork": "#8250df",
    "NotReady": "#bf8700",
    "LoggedOut": "#8c959f",
    "Unknown": "#57606a",
}


def _layout(theme: str) -> dict:
    dark = theme == "dark"
    ink = "#e6edf3" if dark else "#18202b"
    grid = "#30363d" if dark else "#e5e9ef"
    return dict(
        margin=dict(l=40, r=10, t=10, b=30),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font=dict(color=ink, size=14),
        colorway=PALETTE,
        showlegend=False,
        xaxis=dict(gridcolor=grid),
        yaxis=dict(gridcolor=grid, rangemode="tozero"),
    )


def figure_for(kind: str, labels: list[str], theme: str = "light") -> dict | None:
    """An empty figure of the right shape; the browser fills it with values."""
    if kind == "line":
        fig = go.Figure([go.Scatter(x=[], y=[], mode="lines", name=label, line=dict(width=3)) for label in labels])
        fig.update_layout(**{**_layout(theme), "showlegend": len(labels) > 1})
        fig.update_xaxes(type="date")
    elif kind == "bar":
        fig = go.Figure(
            [
                go.Bar(
                    x=labels,
                    y=[0] * len(labels),
                    marker_color=PALETTE[0],
                    text=[""] * len(labels),
                    textposition="outside",
                    cliponaxis=False,
                )
            ]
        )
        fig.update_layout(**_layout(theme))
    elif kind == "donut":
        fig = go.Figure(
            [
                go.Pie(
                    labels=labels,
                    values=[0] * len(labels),
                    hole=0.55,
                    sort=False,
                    textinfo="value",
                    marker=dict(colors=PALETTE[: len(labels)]),
                )
            ]
        )
        fig.update_layout(**{**_layout(theme), "showlegend": True})
    elif kind == "gauge":
        fig = go.Figure(
            [
                go.Indicator(
                    mode="gauge+number",
                    value=0,
                    number=dict(suffix=""),
                    gauge=dict(axis=dict(range=[0, 100]), bar=dict(color=PALETTE[0])),
                )
            ]
        )
        fig.update_layout(**_layout(theme))
        fig.update_layout(margin=dict(l=45, r=45, t=20, b=10))  # room for the end labels ("100")
    elif kind == "kpi":
        fig = go.Figure(
            [
                go.Scatter(
                    x=[], y=[], mode="lines", line=dict(width=2, color=PALETTE[0]), fill="tozeroy", hoverinfo="skip"
                )
            ]
        )
        fig.update_layout(**_layout(theme))
        fig.update_layout(margin=dict(l=0, r=0, t=0, b=0))
        fig.update_xaxes(visible=False, type="date")
        fig.update_yaxes(visible=False)
    else:
        return None
    figure = fig.to_plotly_json()
    if kind in DRAWN_WITHOUT_PLOTLY:  # drawn on a canvas, not by Plotly: the template (~8 KB) is dead weight
        figure["layout"].pop("template", None)
    return figure
