"""Issue 20: a KPI's sparkline and a trend are drawn on canvases of our own
(static/js/sparkline.js, trend-canvas.js), so their figures carry no Plotly template and a
page of KPIs and trends (and tables, grids) loads no Plotly."""

from __future__ import annotations

import json

from dashboard.boards.figures import figure_for
from dashboard.boards.page_config import needs_plotly


def test_kpi_figure_is_small_and_keeps_the_sparkline_style() -> None:
    kpi = figure_for("kpi", ["Calls waiting"])
    assert kpi is not None and "template" not in kpi["layout"]
    assert len(json.dumps(kpi)) < 1_500  # was ~8 KB with the template
    trace = kpi["data"][0]
    assert (trace["line"]["color"], trace["line"]["width"], trace["fill"]) == ("#1f6feb", 2, "tozeroy")


def test_trend_figure_has_no_template_but_keeps_what_the_canvas_reads() -> None:
    line = figure_for("line", ["Calls waiting", "Answered"], theme="dark")
    assert line is not None and "template" not in line["layout"]
    layout = line["layout"]
    assert layout["font"]["color"] == "#e6edf3" and layout["yaxis"]["gridcolor"] == "#30363d"
    assert layout["colorway"][0] == "#1f6feb" and layout["showlegend"] is True
    assert [t["name"] for t in line["data"]] == ["Calls waiting", "Answered"]
    assert line["data"][0]["line"]["width"] == 3


def test_plotly_figures_keep_their_template() -> None:
    for kind in ("bar", "donut", "gauge"):
        figure = figure_for(kind, ["a"])
        assert figure is not None and "template" in figure["layout"], kind


def test_only_pages_with_a_plotly_chart_load_plotly() -> None:
    kpi = {"kind": "kpi", "figure": figure_for("kpi", ["a"])}
    table = {"kind": "table", "figure": None}
    line = {"kind": "line", "figure": figure_for("line", ["a"])}
    bar = {"kind": "bar", "figure": figure_for("bar", ["a"])}
    assert not needs_plotly([{"widgets": [kpi, table]}])
    assert not needs_plotly([{"widgets": [kpi, line, table]}])
    assert needs_plotly([{"widgets": [kpi, line, bar]}])
    assert needs_plotly([{"widgets": [line]}, {"widgets": [bar]}])  # any page of a wallboard
