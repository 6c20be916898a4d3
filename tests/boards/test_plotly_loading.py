"""Issue 20: no page blocks on plotly.js (4.8 MB). A page with a Plotly chart names our
static copy on its module script (`data-plotly-src`) for static/js/plotly-loader.js, which
loads it after the first values are painted; a page without one names nothing. (In
Chromium through the real server: tests/e2e/test_plotly_loader.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from django.template.loader import render_to_string

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def wallboard(needs_plotly: bool) -> str:
    return render_to_string(
        "dashboard/wallboard.html",
        {
            "wallboard": SimpleNamespace(title="Floor", theme="dark", time_zone="UTC"),
            "needs_plotly": needs_plotly,
            "config": {"pages": []},
            "js_catalogue": {},
        },
    )


def test_a_page_with_charts_names_plotly_for_the_loader_without_loading_it() -> None:
    html = wallboard(needs_plotly=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert [s for s in scripts if "plotly" in s] == [
        '<script type="module" src="/static/js/wallboard-page.js" data-plotly-src="/static/vendor/plotly.min.js">'
    ]


def test_a_page_without_charts_names_no_plotly() -> None:
    assert "plotly" not in wallboard(needs_plotly=False)


def test_no_template_loads_plotly_with_a_blocking_script_tag() -> None:
    blocking = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"<script[^>]*(?<![-\w])src=\"[^\"]*plotly[^\"]*\"", path.read_text())
    ]
    assert blocking == []
