#!/usr/bin/env python
"""A big tenant for a long time (issue 20): 20,000 statistics open, 2,000 updates/s;
does the bridge process's memory stay flat, and what does ingest cost?

Runs `manage.py simulate` on its own port and `manage.py rundashboard` pointed at it
(GENESYS_API_BASE_URL, as bench/large_dashboard.py does), so the process measured is
the bridge's (with its web server, idle: no sockets). Dashboards: every pre-configured
statistic on every object of the simulated center, in tables of 50, 1,000 per
dashboard, cut at --statistics. The simulator's 2,000 agents give ~15,300 distinct
pre-configured statistics (7 per agent and the queue and group ones), so 20,000 needs
~2,750 agents (--agents). Every --sample seconds: the process's RSS, its CPU over the
interval, and `statsbridge_updates_in_total` from /metrics; the report shows the
growth curve one row per --every-minutes.

    .venv/bin/python bench/bridge_soak.py --minutes 10
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_simulator import proc_cpu_seconds, proc_rss_bytes  # noqa: E402
from deployment import bench_statistics, manage  # noqa: E402
from large_dashboard import (  # noqa: E402
    start_rundashboard,
    start_simulator,
    upstream_env,
    wait_for_statistics,
)

UPDATES_IN = re.compile(r"^statsbridge_updates_in_total ([0-9.eE+]+)$", re.MULTILINE)


def soak_file(objects: list[dict], count: int, per_dashboard: int = 1000, per_table: int = 50) -> dict:
    stats = bench_statistics(objects)[:count]
    dashboards = []
    for start in range(0, len(stats), per_dashboard):
        chunk = stats[start : start + per_dashboard]
        widgets = [
            {"type": "table", "title": f"Part {i // per_table + 1}", "statistics": chunk[i : i + per_table]}
            for i in range(0, len(chunk), per_table)
        ]
        n = start // per_dashboard + 1
        dashboards.append({"slug": f"soak-{n}", "title": f"Soak {n}", "widgets": widgets})
    return {"dashboards": dashboards}


def updates_in(url: str) -> float:
    found = UPDATES_IN.search(httpx.get(url + "/metrics", timeout=10).text)
    return float(found.group(1)) if found else 0.0


def sample(pid: int, url: str) -> tuple[float, float, int, float]:
    return time.monotonic(), proc_cpu_seconds(pid), proc_rss_bytes(pid), updates_in(url)


def soak(args: argparse.Namespace, workdir: Path) -> tuple[int, list[tuple[float, float, int, float]]]:
    simulator = start_simulator(workdir, args.agents, args.queues)
    dashboard = None
    try:
        objects = httpx.get(simulator.extra["url"] + "/simulator/v1/objects", timeout=30).json()["objects"]
        file = soak_file(objects, args.statistics)
        count = sum(len(w["statistics"]) for d in file["dashboards"] for w in d["widgets"])
        env = upstream_env(workdir, simulator.extra["url"])
        env["SUBSCRIPTION_BUDGET"] = str(max(count, 5000))
        manage(env, "migrate", "--verbosity", "0")
        (workdir / "soak.json").write_text(json.dumps(file))
        started = time.monotonic()
        manage(env, "import_dashboards", str(workdir / "soak.json"), timeout=3600)
        print(f"import_dashboards of {count:,} statistics: {time.monotonic() - started:.0f} s", file=sys.stderr)
        dashboard = start_rundashboard(workdir, env)
        wait_for_statistics(dashboard, count, timeout=600)
        rate = httpx.post(
            simulator.extra["url"] + "/simulator/v1/rate", json={"updates_per_second": args.rate}, timeout=30
        )
        rate.raise_for_status()
        pid, url = dashboard.process.pid, dashboard.extra["url"]  # type: ignore[union-attr]
        samples = [sample(pid, url)]
        deadline = samples[0][0] + args.minutes * 60
        while time.monotonic() < deadline:
            time.sleep(max(0.0, samples[0][0] + len(samples) * args.sample - time.monotonic()))
            samples.append(sample(pid, url))
        return count, samples
    finally:
        if dashboard:
            dashboard.stop()
        simulator.stop()


def report(args: argparse.Namespace, count: int, samples: list, load: str) -> str:
    mib = lambda b: b / 2**20  # noqa: E731
    rows, step = [], max(1, round(args.every_minutes * 60 / args.sample))
    for i in range(step, len(samples), step):
        (t0, c0, _, u0), (t1, c1, r1, u1) = samples[i - step], samples[i]
        rows.append(
            f"| {(t1 - samples[0][0]) / 60:.0f} | {mib(r1):.1f} | {100 * (c1 - c0) / (t1 - t0):.1f} | "
            f"{(u1 - u0) / (t1 - t0):,.0f} |"
        )
    cpu = [100 * (b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(samples, samples[1:], strict=False)]
    t, c, u = samples[-1][0] - samples[0][0], samples[-1][1] - samples[0][1], samples[-1][3] - samples[0][3]
    return "\n".join(
        [
            f"### bridge soak: {count:,} statistics, {args.rate:,.0f} updates/s, {args.minutes} min "
            f"({datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z})",
            "",
            f"`{' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}`",
            "",
            f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; load average at start {load}, "
            f"at end {' '.join(Path('/proc/loadavg').read_text().split()[:3])}. Simulator: {args.agents} agents, "
            f"{args.queues} queues (its own process, not measured).",
            "",
            f"rundashboard (bridge, no sockets): RSS {mib(samples[0][2]):.1f} MiB at the start of the load, "
            f"{mib(samples[-1][2]):.1f} at the end, max {mib(max(s[2] for s in samples)):.1f}; CPU {100 * c / t:.1f}% "
            f"of a core over the run (median {args.sample:.0f} s interval {statistics.median(cpu):.1f}%, max "
            f"{max(cpu):.1f}%); updates in {u / t:,.0f}/s, {1e6 * c / max(u, 1):.1f} µs of CPU per update.",
            "",
            "| minute | RSS MiB | CPU % of a core | updates in/s |",
            "|---:|---:|---:|---:|",
            *rows,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=2750)
    parser.add_argument("--queues", type=int, default=40)
    parser.add_argument("--statistics", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=2000)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--every-minutes", type=float, default=1.0, help="minutes per row of the growth curve")
    args = parser.parse_args()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    with tempfile.TemporaryDirectory(prefix="bridge-soak-") as workdir:
        count, samples = soak(args, Path(workdir))
    print(report(args, count, samples, load))


if __name__ == "__main__":
    main()
