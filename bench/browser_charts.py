#!/usr/bin/env python
"""Script time per dashboard tick in Chromium: 10 line charts of up to 1,000 points
(issue 6: median <= 16 ms per tick).

Why: a supervisor page redraws each chart up to 4 times a second (static/js/charts.js),
each time handing Plotly the whole history. With 10 charts of long histories, that is
where a page's main thread goes, and a tick over 16 ms drops frames.

Real processes as in large_dashboard.py: `manage.py simulate` (--queues queues) on a
free port, `manage.py rundashboard` pointed at it, a superuser, and a dashboard
`charts` of 10 `line` widgets, one --statistic per queue (CurrentNumberReadyAgents:
it moves, so the lines have a shape; a flat line is cheaper to draw). Only these 10
statistics are open, so the simulator's load rate (`/simulator/v1/rate`) is shared by
them: --rate 200 gives each chart 20 points a second, and each chart redraws at its
4 Hz ceiling.

What the product does: the page keeps as many points per statistic as the bridge (the
page config's `history`, statsbridge.config.HISTORY_POINTS = 360), so a chart never holds
more than 360. Two phases, each on a fresh page of headless Chromium, signed in:
  1. as shipped: history filled to 360 points per chart, then --seconds measured;
  2. 1,000 points: the same page with `history: 1000` in its page config (an init script
     rewrites the config element before the modules run; nothing on the server changes;
     a route cannot serve the page: Chromium then blocks its socket to 127.0.0.1 as
     "local network access"), filled to 1,000, then measured. The charts then do per tick exactly what they would with 1,000.
Per tick: charts.js is served with a few lines appended that wrap `Chart.draw` (the one
call every redraw goes through, whether it draws with Plotly or on a canvas) and time
each call with performance.now(): its main-thread time, script plus the layout it
forces. Calls are grouped into ticks (a tick ends when a chart comes round again). Run
it from an older tree (`git archive`) for a "before" with the same file.
Alongside, CDP `Performance.getMetrics` deltas over the window (ScriptDuration,
LayoutDuration, RecalcStyleDuration, TaskDuration) give everything the page spent,
socket handling and the history arrays included, per tick on average.

    .venv/bin/python bench/browser_charts.py --seconds 60
"""

from __future__ import annotations

import argparse
import datetime
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from large_dashboard import (  # noqa: E402
    launch,
    prepare_database,
    signed_in_context,
    start_rundashboard,
    start_simulator,
    upstream_env,
    wait_for_statistics,
)

from tests.support.waiting import wait_until  # noqa: E402

CHARTS = 10
CDP_METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration")

INIT_SCRIPT = "window.__bench = { calls: [], recording: false, next: 0 };"
# Appended to charts.js (a module: `Chart` is in scope): every Chart.draw, timed.
TIMED_DRAW = r"""
;{
  const untimed = Chart.prototype.draw;
  Chart.prototype.draw = function (values) {
    const rec = window.__bench, start = performance.now();
    const result = untimed.call(this, values);
    if (rec?.recording) {
      this.__benchId ??= rec.next++;
      rec.calls.push([this.__benchId, start, performance.now() - start, 0]);
    }
    return result;
  };
}
"""
# A trend's first line: Plotly's trace (before issue 20's canvas) or the canvas's series.
FIRST_LINES = """[...document.querySelectorAll('.tile.kind-line .chart')].map((el) =>
  el.data?.[0]?.y || el.querySelector('canvas.trend-canvas')?.trend?.series[0]?.points.map((p) => p[1]) || [])"""
POINTS = f"() => {FIRST_LINES}.map((y) => y.length)"
SHAPE = f"() => {FIRST_LINES}.map((y) => new Set(y).size)"
# Before the page's (deferred) modules run: every page of the config keeps `history` points.
WITH_HISTORY = """document.addEventListener("readystatechange", () => {
  const node = document.readyState === "interactive" && document.getElementById("page-config");
  if (!node) return;
  const config = JSON.parse(node.textContent);
  for (const page of config.pages) page.history = %d;
  node.textContent = JSON.stringify(config);
});"""


def charts_file(queues: list[str], statistic: str) -> dict:
    widgets = [
        {
            "type": "line",
            "title": queue,
            "width": 1,
            "statistics": [{"name": statistic, "objectType": "Queue", "objectId": queue}],
        }
        for queue in queues[:CHARTS]
    ]
    return {"dashboards": [{"slug": "charts", "title": "Charts", "columns": 5, "widgets": widgets}]}


def queues_of(simulator_url: str) -> list[str]:
    objects = httpx.get(simulator_url + "/simulator/v1/objects", timeout=30).json()["objects"]
    return [o["objectId"] for o in objects if o["objectType"] == "Queue"]


def with_timed_draw(route: Any) -> None:
    response = route.fetch()
    body = response.text()
    assert "export class Chart " in body, "charts.js no longer defines `class Chart`"
    route.fulfill(response=response, body=body + TIMED_DRAW)


def open_charts(context: Any, url: str, history: int | None) -> Any:
    page = context.new_page()
    if history is not None:
        page.add_init_script(WITH_HISTORY % history)
    page.route("**/static/js/charts.js*", with_timed_draw)
    page.add_init_script(INIT_SCRIPT)
    page.goto(url)
    return page


def wait_for_points(page: Any, points: int, timeout: float) -> list[int]:
    return wait_until(
        lambda: (p := page.evaluate(POINTS)) and len(p) == CHARTS and min(p) >= points and p,
        timeout=timeout,
        interval=1.0,
        what=f"{CHARTS} charts with {points} points",
    )


def cdp_metrics(cdp: Any) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def measure(page: Any, cdp: Any, seconds: float) -> dict:
    before = cdp_metrics(cdp)
    page.evaluate("() => { window.__bench.calls = []; window.__bench.recording = true; }")
    time.sleep(seconds)
    calls = page.evaluate("() => { window.__bench.recording = false; return window.__bench.calls; }")
    after = cdp_metrics(cdp)
    return {
        "calls": calls,
        "cdp": {k: after[k] - before[k] for k in CDP_METRICS},
        "points": page.evaluate(POINTS),
        "distinct": page.evaluate(SHAPE),
    }


def frames_of(calls: list[list[float]], gap_ms: float = 2.0) -> list[float]:
    """Main-thread ms per uninterrupted run of redraws (one animation frame's worth:
    charts.js draws due charts in frames, within a budget)."""
    frames: list[float] = []
    end = None
    for _, start, duration, _ in sorted(calls, key=lambda c: c[1]):
        if end is None or start - end > gap_ms:
            frames.append(0.0)
        frames[-1] += duration
        end = start + duration
    return frames


def ticks_of(calls: list[list[float]]) -> list[float]:
    """Main-thread ms per tick: consecutive redraws until a chart comes round again."""
    ticks, seen, total = [], set(), 0.0
    for chart, _, duration, _ in sorted(calls, key=lambda c: c[1]):
        if chart in seen:
            ticks.append(total)
            seen, total = set(), 0.0
        seen.add(chart)
        total += duration
    return ticks


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def phase_rows(name: str, result: dict, seconds: float) -> list[str]:
    calls, ticks, frames = result["calls"], ticks_of(result["calls"]), frames_of(result["calls"])
    per_chart = [c[2] for c in calls]
    cdp = {k: v * 1000 / max(len(ticks), 1) for k, v in result["cdp"].items()}
    points = result["points"]
    return [
        f"| {name}: points per chart (distinct values) | {min(points):,}-{max(points):,} "
        f"({min(result['distinct'])}-{max(result['distinct'])}) | |",
        f"| {name}: ticks in {seconds:.0f} s (redraws) | {len(ticks)} ({len(calls)}) | |",
        f"| {name}: per round of all {CHARTS} charts, Chart.draw main-thread ms, median / p95 | "
        f"{statistics.median(ticks):.1f} / {pct(ticks, 0.95):.1f} | |",
        f"| {name}: **per frame (uninterrupted run of redraws), ms, median / p95 / max** | "
        f"**{statistics.median(frames):.1f}** / {pct(frames, 0.95):.1f} / {max(frames):.1f} | <= 16 |",
        f"| {name}: per chart redraw ms, median / p95 | {statistics.median(per_chart):.2f} / "
        f"{pct(per_chart, 0.95):.2f} | |",
        f"| {name}: CDP per tick (mean), script / layout / style / all tasks ms | "
        f"{cdp['ScriptDuration']:.1f} / {cdp['LayoutDuration']:.1f} / {cdp['RecalcStyleDuration']:.1f} / "
        f"{cdp['TaskDuration']:.1f} | |",
    ]


def report(args: argparse.Namespace, results: dict[str, dict]) -> str:
    lines = [
        f"### Chart ticks ({datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z})",
        "",
        f"`{' '.join(['.venv/bin/python', *sys.argv])}`; {CHARTS} line charts, simulator rate "
        f"{args.rate:,.0f}/s over their {CHARTS} statistics; Python {platform.python_version()}",
        "",
        "| measure | value | target |",
        "|---|---:|---:|",
    ]
    for name, result in results.items():
        lines += phase_rows(name, result, args.seconds)
    return "\n".join(lines)


def run_phase(context: Any, url: str, history: int | None, points: int, args: argparse.Namespace) -> dict:
    page = open_charts(context, url, history)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    wait_for_points(page, points, args.fill_timeout)
    result = measure(page, cdp, args.seconds)
    if args.screenshot:
        page.screenshot(path=f"{args.screenshot}-{points}.png")
    page.close()
    return result


def run(args: argparse.Namespace) -> str:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="browser-charts-") as tmp:
        workdir = Path(tmp)
        simulator = start_simulator(workdir, args.agents, args.queues)
        dashboard = None
        try:
            sim_url = simulator.extra["url"]
            env = upstream_env(workdir, sim_url)
            prepare_database(workdir, env, charts_file(queues_of(sim_url), args.statistic))
            dashboard = start_rundashboard(workdir, env)
            wait_for_statistics(dashboard, CHARTS)
            httpx.post(sim_url + "/simulator/v1/rate", json={"updates_per_second": args.rate}).raise_for_status()
            url = dashboard.extra["url"] + "/dashboards/charts/"
            with sync_playwright() as playwright:
                browser = launch(playwright)
                context = signed_in_context(browser, dashboard.extra["url"], {"width": 1920, "height": 1080})
                results = {
                    "as shipped": run_phase(context, url, None, 360, args),
                    "1,000 points": run_phase(context, url, 1000, 1000, args),
                }
                browser.close()
        finally:
            if dashboard:
                dashboard.stop()
            simulator.stop()
    return report(args, results)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--queues", type=int, default=CHARTS)
    parser.add_argument("--statistic", default="CurrentNumberReadyAgents", help="pre-configured, one per queue")
    parser.add_argument("--rate", type=float, default=200, help="updates/s shared by the 10 statistics")
    parser.add_argument("--seconds", type=float, default=60, help="the measurement window of each phase")
    parser.add_argument("--fill-timeout", type=float, default=300, help="seconds for the histories to fill")
    parser.add_argument("--screenshot", help="save a screenshot of each phase to PREFIX-<points>.png")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(run(parse_args()))
