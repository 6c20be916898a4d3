"""Compare and intraday cost: backfilling four weeks, and building a page that compares.

Run: .venv/bin/python bench/history_compare.py [--queues 8] [--days 28] [--runs 15]

On a fresh SQLite file: one dashboard with an intraday table over Q queues (5 statistics
each, 30-minute rows) and a line per queue comparing with the average of the last four
same weekdays, plus the simulator's past for D days (backfill_history). Prints the
backfill's rows and seconds (wall and CPU: the machine may be shared), and the median time to build that dashboard's page config
(dashboard/boards/page_config.py: every comparison line and intraday row it carries).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def board(queues: int) -> dict:
    names = ("TotalNumberInboundCalls", "TotalNumberCallsAnswered", "TotalNumberAbandonedCalls", "ServiceFactor")
    ids = [f"80{n:02d}@SIP_Switch" for n in range(1, queues + 1)]
    stat = lambda name, q: {"name": name, "objectType": "Queue", "objectId": q, "label": q}  # noqa: E731
    intraday = [stat(name, q) for q in ids for name in (*names, "AverageHandlingTime")]
    widgets = [
        {"type": "intraday", "title": "Today", "interval": 30, "statistics": intraday},
        {"type": "line", "title": "Waiting", "compare": "four-weeks",
         "statistics": [stat("CurrentNumberWaitingCalls", q) for q in ids]},
    ]  # fmt: skip
    return {"dashboards": [{"slug": "bench", "title": "Bench", "widgets": widgets}]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queues", type=int, default=8)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="history-compare-bench-")
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.pop("GENESYS_API_BASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.project.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dashboard.boards.files import import_dashboards
    from dashboard.boards.models import Dashboard
    from dashboard.boards.page_config import dashboard_config
    from dashboard.project.commands.backfill_history import backfill_simulated

    call_command("migrate", verbosity=0)
    import_dashboards(board(args.queues))
    started, cpu = time.perf_counter(), time.process_time()
    rows = backfill_simulated(args.days)
    backfill_s, backfill_cpu = time.perf_counter() - started, time.process_time() - cpu
    dashboard = Dashboard.objects.get(slug="bench")
    timings, cpu_timings = [], []
    for _ in range(args.runs):
        started, cpu = time.perf_counter(), time.process_time()
        config = dashboard_config(dashboard)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu)
    points = sum(len(s) for w in config["widgets"] for s in (w.get("compare") or {}).get("series", {}).values())
    print(f"statistics: {args.queues * 6}, days: {args.days}")
    print(
        f"backfill: {rows} buckets in {backfill_s:.2f} s wall, {backfill_cpu:.2f} s CPU ({rows / backfill_cpu:,.0f} buckets per CPU s)"
    )
    print(f"page config: median {statistics.median(timings) * 1000:.1f} ms wall, "
          f"{statistics.median(cpu_timings) * 1000:.1f} ms CPU over {args.runs} runs, "
          f"{points} comparison points, {len(config['widgets'][0]['intraday']['starts'])} intraday rows")  # fmt: skip


if __name__ == "__main__":
    main()
