#!/usr/bin/env python
"""A dashboard of 5,000 statistics: how long until the bridge has them open, and how
long until a browser shows the first snapshot (issue 6: <= 2 s).

Why: the snapshot of a big dashboard is the heaviest thing a page ever receives
(several 512 KB frames, every value; history only where a chart draws it), and the board draws it in one
go. This runs the real processes: `manage.py simulate --agents 1000 --queues 40` on its
own free port, and `manage.py rundashboard` pointed at it through GENESYS_API_BASE_URL
(so no demo content: a superuser `bench` is created here). The dashboard `large`,
imported with `import_dashboards`, has an agent grid (CurrentAgentState of every agent)
and tables of --agents-per-table agents by four more agent statistics: 5 x 1,000.

(a) the bridge: seconds from rundashboard's start until /healthz says `statistics` =
5,000. (b) headless Chromium (Playwright, the flags of tests/conftest.py), signed in,
loads /dashboards/large/ --loads times. An init script wraps `WebSocket` (no product
code changes) and timestamps, from navigation start (performance.now()): the socket
opened, each snapshot frame received and handled (the `snapshot` frame and the
`update` frames that carry the rest of it: every frame from the snapshot on until
the dashboard's statistics are all seen, as nothing else marks them), then the moment
every cell shows a value instead of the placeholder '–' (agent cells: a known
state), and the next frame painted (requestAnimationFrame, then a task).

    .venv/bin/python bench/large_dashboard.py --loads 5
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from deployment import manage  # noqa: E402

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS  # noqa: E402
from statsbridge.simulator.statistics import PRECONFIGURED  # noqa: E402
from tests.support.processes import ManagedProcess, base_env, free_port  # noqa: E402
from tests.support.waiting import wait_until  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USER = PASSWORD = "bench"
GRID_STATISTIC = "CurrentAgentState"
KPI_STATISTIC = "CurrentNumberWaitingCalls"
TABLE_STATISTICS = ["TotalNumberInboundCalls", "TotalNumberCallsAnswered", "AverageHandlingTime", "AverageTalkTime"]


# -- the processes: simulate, then rundashboard pointed at it -----------------------------


def start_simulator(workdir: Path, agents: int, queues: int) -> ManagedProcess:
    port = free_port()
    proc = ManagedProcess(
        ["simulate", "--port", str(port), "--agents", str(agents), "--queues", str(queues)],
        base_env(workdir),
        workdir / "simulate.log",
    )
    proc.extra.update(url=f"http://127.0.0.1:{port}")
    proc.start().wait_http(proc.extra["url"] + "/simulator/v1/state")
    return proc


def upstream_env(workdir: Path, simulator_url: str) -> dict[str, str]:
    c = DEFAULT_CREDENTIALS
    return base_env(
        workdir,
        GENESYS_API_BASE_URL=simulator_url,
        GENESYS_API_KEY=c.api_key,
        GENESYS_CLIENT_ID=c.client_id,
        GENESYS_CLIENT_SECRET=c.client_secret,
        GENESYS_USERNAME=c.username,
        GENESYS_PASSWORD=c.password,
    )


def prepare_database(workdir: Path, env: dict[str, str], dashboards: dict) -> None:
    """Migrate, a superuser to sign in with, the dashboard file."""
    manage(env, "migrate", "--verbosity", "0")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser({USER!r}, '', {PASSWORD!r})",
    )
    path = workdir / "dashboards.json"
    path.write_text(json.dumps(dashboards))
    manage(env, "import_dashboards", str(path))


def start_rundashboard(workdir: Path, env: dict[str, str]) -> ManagedProcess:
    port = free_port()
    proc = ManagedProcess(["rundashboard", "--port", str(port)], env, workdir / "rundashboard.log")
    proc.extra.update(url=f"http://127.0.0.1:{port}", started=time.monotonic())
    proc.start().wait_http(proc.extra["url"] + "/healthz")
    proc.extra["http_ready"] = time.monotonic()
    return proc


def wait_for_statistics(proc: ManagedProcess, count: int, timeout: float = 300) -> dict[str, float]:
    """Seconds from the process start (and from /healthz answering) to `count` open."""

    def opened() -> bool:
        bridge = httpx.get(proc.extra["url"] + "/healthz", timeout=5).json()["bridge"]
        return bridge["statistics"] >= count and bridge["state"] == "connected"

    wait_until(opened, timeout=timeout, interval=0.1, what=f"{count} statistics open")
    now = time.monotonic()
    return {"from_start": now - proc.extra["started"], "from_http": now - proc.extra["http_ready"]}


# -- the dashboard file ---------------------------------------------------------------------


def agents_of(simulator_url: str) -> list[str]:
    objects = httpx.get(simulator_url + "/simulator/v1/objects", timeout=30).json()["objects"]
    return [o["objectId"] for o in objects if o["objectType"] == "Agent"]


def queues_of(simulator_url: str) -> list[str]:
    objects = httpx.get(simulator_url + "/simulator/v1/objects", timeout=30).json()["objects"]
    return [o["objectId"] for o in objects if o["objectType"] == "Queue"]


def kpi_widgets(queues: list[str]) -> list[dict]:
    """One KPI tile (number and sparkline) per queue: calls waiting (issue 20's dashboard
    with charts: before, these pulled Plotly into the page)."""
    return [
        {
            "type": "kpi",
            "title": f"Waiting {queue}",
            "width": 2,
            "statistics": [{"name": KPI_STATISTIC, "objectType": "Queue", "objectId": queue}],
        }
        for queue in queues
    ]


def chart_widgets(queues: list[str]) -> list[dict]:
    """`--charts`: a trend and a bar of calls waiting per queue, Plotly's kinds (issue 20:
    a 500-agent dashboard with one of these loaded Plotly before its first values)."""
    stats = [{"name": KPI_STATISTIC, "objectType": "Queue", "objectId": queue} for queue in queues]
    return [
        {"type": "line", "title": "Waiting (trend)", "width": 6, "statistics": stats},
        {"type": "bar", "title": "Waiting per queue", "width": 6, "statistics": stats},
    ]


CHART_TYPES = {"line", "bar", "donut", "gauge"}


def cell_count(dashboards: dict) -> int:
    """Values the page shows as text (grid, KPI numbers, table cells): charts are drawn."""
    return sum(len(w["statistics"]) for w in dashboards["dashboards"][0]["widgets"] if w["type"] not in CHART_TYPES)


def statistic_count(dashboards: dict) -> int:
    """Distinct statistics the bridge opens for the dashboard."""
    widgets = dashboards["dashboards"][0]["widgets"]
    return len({(s["name"], s["objectId"]) for w in widgets for s in w["statistics"]})


def large_file(
    agents: list[str], per_table: int, kpi_queues: list[str] | None = None, chart_queues: list[str] | None = None
) -> dict:
    for name in (GRID_STATISTIC, *TABLE_STATISTICS):
        assert "Agent" in PRECONFIGURED[name].object_types, name
    stat = lambda name, agent: {"name": name, "objectType": "Agent", "objectId": agent}  # noqa: E731
    widgets = (
        kpi_widgets(kpi_queues or [])
        + (chart_widgets(chart_queues) if chart_queues else [])
        + [
            {
                "type": "agent-grid",
                "title": "Agents",
                "width": 12,
                "statistics": [stat(GRID_STATISTIC, a) for a in agents],
            }
        ]
    )
    for start in range(0, len(agents), per_table):
        team = agents[start : start + per_table]
        widgets.append(
            {
                "type": "table",
                "title": f"Agents {start + 1}-{start + len(team)}",
                "width": 6,
                "statistics": [stat(name, a) for a in team for name in TABLE_STATISTICS],
            }
        )
    return {"dashboards": [{"slug": "large", "title": "Large", "columns": 12, "widgets": widgets}]}


# -- the browser ------------------------------------------------------------------------------

# Wraps WebSocket (socket.js sets `onmessage`): each handler call of the first snapshot's
# frames is timed; after each, the cells showing a value are counted until all do.
INIT_SCRIPT = r"""
(() => {
  const rec = window.__bench = { ctor: null, open: null, frames: [], filled: null, painted: null, cells: 0,
                                 target: %(target)d, plotlyAt: null, chartAt: null };
  // Once a frame: when window.Plotly is first defined and a Plotly chart first drawn.
  const watch = () => {
    if (rec.plotlyAt === null && window.Plotly) rec.plotlyAt = performance.now();
    if (rec.chartAt === null && document.querySelector(".js-plotly-plot .main-svg")) rec.chartAt = performance.now();
    if ((rec.chartAt === null || rec.plotlyAt === null) && performance.now() < 60000) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  const filledCells = () => {
    let n = document.querySelectorAll(".agent:not(.state-Unknown)").length;
    for (const big of document.querySelectorAll(".kpi .big")) if (big.textContent !== "–") n++;
    for (const td of document.querySelectorAll("table.queues td")) if (td.textContent !== "–") n++;
    return n;
  };
  const after = (text, start, end) => {
    if (rec.filled !== null) return;
    // The snapshot's continuation frames are plain `update` frames (tables carry no
    // history since issue 14): every frame from the snapshot on counts until all cells show.
    const part = text.startsWith('{"type":"snapshot"') || rec.frames.length > 0;
    if (!part) return;
    rec.frames.push({ start, end });
    rec.cells = filledCells();
    if (rec.cells < rec.target) return;
    rec.filled = performance.now();
    requestAnimationFrame(() => setTimeout(() => { rec.painted = performance.now(); }));
  };
  const Native = window.WebSocket;
  class TimedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      if (rec.ctor !== null) return;
      rec.ctor = performance.now();
      this.addEventListener("open", () => { rec.open = performance.now(); });
    }
    get onmessage() { return super.onmessage; }
    set onmessage(handler) {
      super.onmessage = (event) => {
        const start = performance.now();
        handler(event);
        after(event.data, start, performance.now());
      };
    }
  }
  window.WebSocket = TimedWebSocket;
})();
"""


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def signed_in_context(browser: Any, base_url: str, viewport: dict | None = None) -> Any:
    context = browser.new_context(viewport=viewport or {"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.close()
    return context


class SnapshotParts:
    """The first snapshot's frames as the wire had them: the `snapshot` frame, then
    every frame until the STATs seen cover the dashboard. Its continuation frames are
    plain `update` frames (statsbridge/messages.py `snapshot_frames`), and tables carry
    no `history` since issue 14, so nothing else tells them from live updates."""

    def __init__(self, target: int) -> None:
        self.target, self.ids, self.frames = target, set(), []

    def received(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        started = bool(self.frames) or data.startswith(b'{"type":"snapshot"')
        if not started or len(self.ids) >= self.target:
            return
        self.ids.update(re.findall(rb'\{"id":"([^"]+)"', data))
        self.frames.append((len(data), data.count(b'{"id":')))


def one_load(
    context: Any,
    url: str,
    target: int,
    timeout_s: float,
    without_plotly: bool = False,
    cells: int | None = None,
    charts: bool = False,
) -> dict:
    """Open the page once; the timeline of its first snapshot, in ms from navigation start."""
    page = context.new_page()
    if without_plotly:  # what-if: this page has no chart, so it need not load Plotly
        page.route("**/plotly.min.js*", lambda route: route.fulfill(body="", content_type="text/javascript"))
    parts = SnapshotParts(target)
    frames = parts.frames  # (bytes, STATs) of the snapshot's frames, as the wire had them
    page.on("websocket", lambda ws: ws.on("framereceived", parts.received))
    page.add_init_script(INIT_SCRIPT % {"target": cells or target})
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function(
            "() => window.__bench && window.__bench.painted !== null", polling=100, timeout=timeout_s * 1000
        )
    except Exception as error:  # noqa: BLE001 -- report how far it got
        print(f"page: {str(error)[:300]}", file=sys.stderr)
    if charts:
        try:
            page.wait_for_function("() => window.__bench.chartAt !== null", polling=100, timeout=timeout_s * 1000)
        except Exception as error:  # noqa: BLE001 -- report how far it got
            print(f"charts: {str(error)[:300]}", file=sys.stderr)
    timeline = page.evaluate(
        """() => ({...window.__bench, nav: performance.getEntriesByType("navigation")[0].toJSON(),
               plotly: performance.getEntriesByType("resource").some((r) => r.name.includes("plotly.min.js"))})"""
    )
    page.close()
    return {**timeline, "wire": frames}


def summarise(load: dict) -> dict[str, float | None]:
    frames = load["frames"]
    first, last = (frames[0], frames[-1]) if frames else (None, None)
    painted, nav = load["painted"], load["nav"]
    handling = sum(f["end"] - f["start"] for f in frames) if frames else None
    return {
        "navigation -> socket open": load["open"],
        "  of which: the page's first byte (server renders the page config)": nav["responseStart"],
        "  of which: the HTML's last byte": nav["responseEnd"] - nav["responseStart"],
        "  of which: DOMContentLoaded (Plotly, modules, the board built)": nav["domContentLoadedEventEnd"]
        - nav["responseEnd"],
        "socket open -> snapshot frame received": first and first["start"] - load["open"],
        "first frame -> last snapshot frame handled": last and last["end"] - first["start"],
        "  of which handling (parse + draw), all frames": handling,
        "last frame handled -> all cells filled": load["filled"] and load["filled"] - last["end"],
        "all cells filled -> painted": painted and painted - load["filled"],
        "**navigation -> first snapshot on screen**": painted,
        "navigation -> window.Plotly defined": load.get("plotlyAt"),
        "navigation -> first Plotly chart drawn": load.get("chartAt"),
    }


def median_of(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    return f"{statistics.median(got):,.0f} ({min(got):,.0f}-{max(got):,.0f})" if got else "n/a"


def report(args: argparse.Namespace, bridge: dict, loads: list[dict], target: int) -> str:
    rows = [summarise(load) for load in loads]
    wire = loads[-1]["wire"]
    lines = [
        f"### Large dashboard ({datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z})",
        "",
        f"`{' '.join(['.venv/bin/python', *sys.argv])}`; {args.agents} agents, {args.queues} queues, "
        f"{target:,} statistics, {args.kpis} KPI tiles, {'a trend and a bar' if args.charts else 'no chart'}; Python {platform.python_version()}"
        f"{'; **what-if: Plotly not loaded**' if args.without_plotly else ''}",
        "",
        f"Bridge: {target:,} statistics open {bridge['from_start']:.1f} s after rundashboard started "
        f"({bridge['from_http']:.1f} s after /healthz first answered).",
        "",
        f"Snapshot on the wire: {sum(b for b, _ in wire):,} bytes in {len(wire)} frames "
        f"({', '.join(f'{b:,} B / {n:,} STATs' for b, n in wire)}).",
        "",
        f"Page HTML: {loads[-1]['nav']['decodedBodySize']:,} bytes.",
        "",
        f"Plotly loaded by the page: {', '.join('yes' if load.get('plotly') else 'no' for load in loads)}.",
        "",
        f"Cells with a value at the end: {', '.join(str(load['cells']) for load in loads)} (of {target:,}).",
        "",
        f"| ms from navigation start, median (min-max) of {len(loads)} loads | value |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {median_of([row[name] for row in rows])} |" for name in rows[0]]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> str:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="large-dashboard-") as tmp:
        workdir = Path(tmp)
        simulator = start_simulator(workdir, args.agents, args.queues)
        dashboard = None
        try:
            env = upstream_env(workdir, simulator.extra["url"])
            kpi_queues = queues_of(simulator.extra["url"])[: args.kpis]
            chart_queues = queues_of(simulator.extra["url"])[: max(args.kpis, 4)] if args.charts else None
            dashboards = large_file(agents_of(simulator.extra["url"]), args.agents_per_table, kpi_queues, chart_queues)
            target, cells = statistic_count(dashboards), cell_count(dashboards)
            prepare_database(workdir, env, dashboards)
            dashboard = start_rundashboard(workdir, env)
            bridge = wait_for_statistics(dashboard, target)
            time.sleep(args.settle)
            with sync_playwright() as playwright:
                browser = launch(playwright)
                context = signed_in_context(browser, dashboard.extra["url"])
                url = dashboard.extra["url"] + "/dashboards/large/"
                one_load(context, url, target, args.timeout, cells=cells, charts=args.charts)  # warm-up: HTTP cache
                loads = [
                    one_load(context, url, target, args.timeout, args.without_plotly, cells, args.charts)
                    for _ in range(args.loads)
                ]
                browser.close()
        finally:
            if dashboard:
                dashboard.stop()
            simulator.stop()
    return report(args, bridge, loads, target)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--queues", type=int, default=40)
    parser.add_argument("--agents-per-table", type=int, default=100, help="agents (rows) per table widget")
    parser.add_argument("--kpis", type=int, default=0, help="KPI tiles (one queue each) above the grid")
    parser.add_argument("--loads", type=int, default=5, help="measured page loads (after one warm-up)")
    parser.add_argument("--charts", action="store_true", help="add a trend and a bar (Plotly) of calls waiting")
    parser.add_argument(
        "--without-plotly",
        action="store_true",
        help="what-if: serve an empty plotly.min.js (the page has no chart widget)",
    )
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after all are open, before loading")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds for one page's first snapshot")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(run(parse_args()))
