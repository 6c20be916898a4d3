#!/usr/bin/env python
"""Main-thread time of one round of redraws of ten charts of 1,000 points, before and
after issue 20's changes, beside a canvas floor, in one run of headless Chromium.

Why: a supervisor page redraws each chart up to 4 times a second (static/js/charts.js)
and issue 20 asks for a full round of ten charts of 1,000 points in <= 16 ms of
main-thread time. bench/browser_charts.py measures the whole product (simulator,
server, socket); this isolates the drawing so that variants can run side by side on the
same page, the same data and the same (shared, noisy) machine minutes.

The page is served by a Playwright route (no server): the product's static/js as in
this tree ("after"), the same files as of --before (a git revision, default main) under
/before/, and plotly.min.js from the installed plotly package. Figures
come from dashboard/boards/figures.py (the server's own). Each variant: ten charts of
one 1,000-point history each (a shape, not a flat line), drawn once, then --rounds
rounds; each round appends one point per chart (the oldest drops) and redraws all ten
through `Chart.draw`, then forces layout (`offsetHeight`) so that the time includes the
style and layout the draw leaves behind, then waits a frame. Median of the rounds after
the first 5; beside it the CPU time of the browser's renderer and GPU processes over all
rounds (painting and raster included, which the main-thread figure is not), per round. Variants:
  trend before / after     -- line widgets, charts.js of --before / of this tree (on
                              main: Plotly.react; here: trend-canvas.js)
  trend + compare before / after -- the same with a compared statistic (the faint line
                              of compare.js, clipped per draw from a reference day of
                              288 five-minute points)
  KPI before / after       -- kpi widgets (sparkline), the same
  what-if extendTraces     -- line widgets, Plotly.extendTraces(one point, max 1,000),
                              charts.js of --before (Plotly)
  what-if scattergl        -- line widgets with the trace type scattergl, the same
  floor: canvas polyline   -- sparkline.js drawing the 1,000 points on a 360x260 canvas
--scale sets the device pixel ratio (2: a high-DPI screen, four times the pixels).

    .venv/bin/python bench/chart_updates.py --rounds 40 [--scale 2]
"""

from __future__ import annotations

import argparse
import datetime
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import plotly  # noqa: E402
from large_dashboard import launch  # noqa: E402

from dashboard.boards.figures import figure_for  # noqa: E402

ORIGIN = "http://bench.invalid"
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
CELLS = "".join(
    f"<div class='chart' id=c{i} style='width:360px;height:260px;display:inline-block'></div>" for i in range(10)
)
PAGE = f"<!doctype html><html><body style='margin:0;width:1900px'>{CELLS}</body></html>"

# One variant in the page: ten Charts (or canvases), 1,000 points, drawn once; then
# `window.__rounds()` runs --rounds rounds (a second evaluate, so that the CPU time taken
# around it is the rounds' alone).
VARIANT = r"""
async ([variant, figures, rounds, points]) => {
  const mod = await import(variant.module);
  const spark = await import("/static/js/sparkline.js");
  const els = [...document.querySelectorAll(".chart")];
  const t0 = Date.now() - points * 1000;
  let series = els.map((_, c) => Array.from({ length: points },
    (_, i) => [t0 + i * 1000, Math.round(10 + 6 * Math.sin(i / 25 + c) + (i % 7))]));
  const figure = JSON.parse(JSON.stringify(figures[variant.kind]));
  if (variant.gl) figure.data[0].type = "scattergl";
  const day = Array.from({ length: 288 }, (_, i) => [Date.now() - 86400000 / 2 + i * 300000, 8 + (i % 9)]);
  const compare = variant.compare ? (c) => ({ mode: "custom", label: "ref", series: { ["s" + c]: day } }) : () => undefined;
  const widget = (c) => ({ kind: variant.kind, figure, statistics: [{ id: "s" + c, unit: "count" }],
                           format: String, colourFor: () => "#2da44e", compare: compare(c) });
  const values = (c) => new Map([["s" + c, { value: series[c].at(-1)[1], history: series[c] }]]);
  let draw;
  if (variant.canvas) {
    const lines = els.map((el) => new spark.Sparkline(el, { line: { color: "#1f6feb", width: 3 } }));
    draw = (c) => lines[c].draw(series[c]);
  } else {
    const charts = els.map((el, c) => new mod.Chart(el, widget(c)));
    charts.forEach((chart, c) => chart.draw(values(c)));
    draw = variant.extend
      ? (c) => { const p = series[c].at(-1); Plotly.extendTraces(els[c], { x: [[p[0]]], y: [[p[1]]] }, [0], points); }
      : (c) => charts[c].draw(values(c));
  }
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  await frame();
  window.__rounds = async () => {
  const rounds_ms = [];
  for (let r = 0; r < rounds; r++) {
    series = series.map((h, c) => h.slice(1).concat([[h.at(-1)[0] + 1000, Math.round(10 + 6 * Math.sin(r + c))]]));
    const start = performance.now();
    els.forEach((_, c) => draw(c));
    void document.body.offsetHeight;
    rounds_ms.push(performance.now() - start);
    await frame();
  }
  const drawn = els.map((el) => el.data?.[0]?.y?.length ?? Number(el.querySelector("canvas")?.dataset.points));
  return { rounds: rounds_ms, drawn };
  };
}
"""

BEFORE, AFTER = "/before/js/charts.js", "/static/js/charts.js"
VARIANTS = [
    ("trend, before (--before's charts.js)", {"kind": "line", "module": BEFORE}),
    ("trend, after (this tree's charts.js)", {"kind": "line", "module": AFTER}),
    ("trend + compare line, before", {"kind": "line", "module": BEFORE, "compare": True}),
    ("trend + compare line, after", {"kind": "line", "module": AFTER, "compare": True}),
    ("KPI sparkline, before", {"kind": "kpi", "module": BEFORE}),
    ("KPI sparkline, after", {"kind": "kpi", "module": AFTER}),
    ("what-if: trend by Plotly.extendTraces (--before)", {"kind": "line", "module": BEFORE, "extend": True}),
    ("what-if: trend as scattergl (--before)", {"kind": "line", "module": BEFORE, "gl": True}),
    ("floor: canvas polyline, 1,000 points", {"kind": "line", "module": AFTER, "canvas": True}),
]


def before_file(revision: str, name: str) -> str:
    return subprocess.run(
        ["git", "show", f"{revision}:static/js/{name}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def describe(revision: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", revision], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def dirty() -> bool:
    return bool(
        subprocess.run(["git", "status", "--porcelain", "static/js"], cwd=ROOT, capture_output=True, text=True).stdout
    )


def serve(route: Any, revision: str) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("?")[0]
    if path == "/":
        route.fulfill(body=PAGE, content_type="text/html")
    elif path == "/plotly.min.js":
        route.fulfill(path=str(PLOTLY_JS), content_type="text/javascript")
    elif path.startswith("/before/js/"):
        route.fulfill(body=before_file(revision, path.removeprefix("/before/js/")), content_type="text/javascript")
    elif path.startswith("/static/js/"):
        route.fulfill(path=str(ROOT / path.lstrip("/")), content_type="text/javascript")
    else:
        route.fulfill(status=404, body="")


def browser_cpu_seconds(cdp: Any) -> float:
    """CPU seconds so far of the browser's renderer and GPU processes (raster included)."""
    processes = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    return sum(p["cpuTime"] for p in processes if p["type"] in ("renderer", "GPU"))


def run_variant(browser: Any, variant: dict, args: argparse.Namespace, figures: dict) -> dict:
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, device_scale_factor=args.scale)
    page.route(ORIGIN + "/**", lambda route: serve(route, args.before))
    page.goto(ORIGIN + "/")
    page.add_script_tag(url=ORIGIN + "/plotly.min.js")
    page.evaluate(VARIANT, [variant, figures, args.rounds, args.points])
    cdp = browser.new_browser_cdp_session()
    cpu = browser_cpu_seconds(cdp)
    result = page.evaluate("() => window.__rounds()")
    result["cpu_ms_per_round"] = (browser_cpu_seconds(cdp) - cpu) * 1000 / args.rounds
    cdp.detach()
    page.close()
    return result


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def run(args: argparse.Namespace) -> str:
    from playwright.sync_api import sync_playwright

    figures = {"line": figure_for("line", ["Q"]), "kpi": figure_for("kpi", ["Q"])}
    rows = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for name, variant in VARIANTS:
            result = run_variant(browser, variant, args, figures)
            measured = result["rounds"][5:]
            assert all(n == args.points for n in result["drawn"]), (name, result["drawn"])
            rows.append(
                f"| {name} | **{statistics.median(measured):.1f}** | {pct(measured, 0.95):.1f} | "
                f"{statistics.median(measured) / 10:.2f} | {result['cpu_ms_per_round']:.1f} |"
            )
        browser.close()
    return "\n".join(
        [
            f"### Chart updates ({datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, load {load_average()})",
            "",
            f"`{' '.join(['.venv/bin/python', *sys.argv])}`; 10 charts x {args.points:,} points, "
            f"{args.rounds - 5} measured rounds, before = {args.before} ({describe(args.before)}), "
            f"after = this tree ({describe('HEAD')}{', modified' if dirty() else ''}), device pixel ratio "
            f"{args.scale:g}; Python {platform.python_version()}",
            "",
            "| variant | ms per round of 10, median | p95 | ms per chart | browser CPU ms per round |",
            "|---|---:|---:|---:|---:|",
            *rows,
        ]
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--before", default="main", help="git revision of the 'before' static/js")
    parser.add_argument("--scale", type=float, default=1, help="device pixel ratio of the page")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(run(parse_args()))
