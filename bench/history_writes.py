"""History bucket writes: 20,000 statistics at 2,000 updates/s, on SQLite and PostgreSQL.

    .venv/bin/python bench/history_writes.py [--statistics 20000] [--updates 2000]
        [--seconds 600] [--flush 10] [--databases sqlite,postgres]

For each database, a child process (Django set up on a fresh database: a SQLite file in
a temporary directory, or a scratch database on 127.0.0.1:5432, tests/support/postgres.py)
replays `seconds` of simulated time: STATs in batches of 50 (as the bridge's flush hands
them to its watchers) go to the writer's accumulator on the loop; every `flush` simulated
seconds the writer upserts the deltas (dashboard/history/service.py `flush`, its worker
thread). CPU is process time (all threads) per simulated second, as a share of one core;
for PostgreSQL the server backend's CPU (/proc/<pid>/stat) is added, since it does the
merging. RSS: the same child first fills the bridge's own store (statsbridge/store.py,
every statistic drawn over time: the worst case) with an hour of updates, and reports
the process's peak RSS (Django, the store full, the writer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
T0 = 1_764_000_000  # simulated start, aligned to 30 minutes
BATCH = 50


def _clock_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerCpu:
    """CPU seconds of this database's PostgreSQL backends (not our watching one): the
    writer's threads each hold a connection, so every backend of the database counts."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)
        self.own = self.conn.info.backend_pid

    def sample(self) -> dict[int, float]:
        pids = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s", [self.own]
        ).fetchall()
        return {pid: _clock_s(pid) for (pid,) in pids}

    @staticmethod
    def spent(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def _setup(statistics: int) -> list[str]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from dashboard.models import Statistic

    Statistic.objects.bulk_create(
        Statistic(name="CurrentNumberWaitingCalls", object_type="Queue", object_id=f"q{i:05d}")
        for i in range(statistics)
    )
    return [s.key for s in Statistic.objects.all()]


def _fill_store(keys: list[str], updates_per_s: int) -> float:
    """An hour of updates into the bridge's store, every key drawn: returns seconds spent."""
    from statsbridge.store import LatestValues
    from statsbridge.values import normalise

    store = LatestValues()
    rng = random.Random(1)
    began = time.perf_counter()
    for n in range(3600 * updates_per_s):
        store.update(rng.choice(keys), normalise(n % 97), n % 97, (T0 + n // updates_per_s) * 1000)
    globals()["_kept_store"] = store  # alive while RSS is read
    return time.perf_counter() - began


async def _replay(keys: list[str], updates_per_s: int, seconds: int, flush_s: int) -> dict:
    from django.db import connection

    from dashboard.history.service import HistoryService

    service = HistoryService(flush_s=flush_s)
    server = ServerCpu(os.environ["DATABASE_URL"]) if connection.vendor == "postgresql" else None
    rng = random.Random(0)
    cpu_loop = cpu_flush = backend_cpu = 0.0
    rows = 0
    for second in range(seconds):
        began = time.process_time()
        for b in range(updates_per_s // BATCH):
            stamp = (T0 + second) * 1000 + b * 1000 // (updates_per_s // BATCH)
            stats = [{"id": rng.choice(keys), "value": rng.randint(0, 60), "timestamp": stamp} for _ in range(BATCH)]
            service.accumulator.add_stats(stats, now=T0 + second + 1)  # what `values` does, with a simulated now
        cpu_loop += time.process_time() - began
        if (second + 1) % flush_s == 0:
            began, server_began = time.process_time(), server.sample() if server else {}
            rows += await service.flush()
            cpu_flush += time.process_time() - began
            backend_cpu += ServerCpu.spent(server_began, server.sample()) if server else 0.0
    return {
        "vendor": connection.vendor,
        "rows": rows,
        "loop_pct": 100 * cpu_loop / seconds,
        "flush_pct": 100 * cpu_flush / seconds,
        "server_pct": 100 * backend_cpu / seconds,
    }


def child(args: argparse.Namespace) -> None:
    keys = _setup(args.statistics)
    result = asyncio.run(_replay(keys, args.updates, args.seconds, args.flush))
    result["store_fill_s"] = _fill_store(keys, args.updates)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _run_child(args: argparse.Namespace, database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "dashboard.project.settings"}
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            *(f"--{k}={getattr(args, k)}" for k in ("statistics", "updates", "seconds", "flush")),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statistics", type=int, default=20_000)
    parser.add_argument("--updates", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--flush", type=int, default=10)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args)
    print(
        f"{args.statistics} statistics, {args.updates} updates/s, {args.seconds} simulated s, flush every {args.flush} s"
    )
    print("| database | rows written | accumulate (loop) | flush (writer thread) | DB server | total | peak RSS |")
    for database in args.databases.split(","):
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                found = _run_child(args, f"sqlite:///{tmp}/bench.sqlite3")
        else:
            from tests.support.postgres import postgres_server, scratch_database

            with postgres_server() as admin, scratch_database(admin, "historybench") as url:
                found = _run_child(args, url)
        total = found["loop_pct"] + found["flush_pct"] + found["server_pct"]
        print(
            f"| {found['vendor']} | {found['rows']:,} | {found['loop_pct']:.2f}% | {found['flush_pct']:.2f}% | "
            f"{found['server_pct']:.2f}% | {total:.2f}% | {found['peak_rss_mb']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
