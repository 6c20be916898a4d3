"""Issue 20: a KPI's sparkline is drawn by static/js/sparkline.js, so a KPI figure carries
no Plotly template and a page of KPIs (and tables, grids) loads no Plotly."""

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


def test_other_figures_keep_their_template() -> None:
    line = figure_for("line", ["Calls waiting"])
    assert line is not None and "template" in line["layout"]


def test_only_pages_with_a_plotly_chart_load_plotly() -> None:
    kpi = {"kind": "kpi", "figure": figure_for("kpi", ["a"])}
    table = {"kind": "table", "figure": None}
    line = {"kind": "line", "figure": figure_for("line", ["a"])}
    assert not needs_plotly([{"widgets": [kpi, table]}])
    assert needs_plotly([{"widgets": [kpi, line]}])
    assert needs_plotly([{"widgets": [table]}, {"widgets": [line]}])  # any page of a wallboard
