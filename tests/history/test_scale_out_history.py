"""History in the scaled-out deployment: PostgreSQL, a private Redis, two elected
`runworker statsbridge` and the simulator. Only the leader writes buckets; when it stops,
the next leader goes on adding to the same rows."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.support.processes import ManagedProcess, free_port, manage, upstream_env
from tests.support.redis_server import PrivateRedis
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

DASHBOARDS = {
    "dashboards": [
        {
            "slug": "trend",
            "title": "Trend",
            "widgets": [
                {
                    "type": "line",
                    "title": "Waiting",
                    "statistics": [
                        {"name": "CurrentNumberWaitingCalls", "objectType": "Tenant", "objectId": "Environment"}
                    ],
                }
            ],
        }
    ]
}
COUNT = """
import json
from django.db import connection
from django.db.models import Sum
from dashboard.models import HistoryBucket
print(json.dumps({"vendor": connection.vendor, "count": HistoryBucket.objects.filter(interval=300).aggregate(n=Sum("count"))["n"] or 0}))
"""


def _state(port: int) -> dict | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/simulator/v1/state", timeout=10).json()
    except httpx.HTTPError:
        return None


def _count(env: dict) -> dict:
    return json.loads(manage(env, "shell", "-c", COUNT).strip().splitlines()[-1])


def test_the_leader_writes_buckets_to_postgresql_and_its_successor_goes_on(tmp_path: Path, postgres_url: str) -> None:
    redis = PrivateRedis(tmp_path).start()
    sim_port = free_port()
    env = upstream_env(tmp_path, sim_port, DATABASE_URL=postgres_url, REDIS_URL=redis.url, HISTORY_FLUSH_SECONDS="1")
    processes: list[ManagedProcess] = []
    try:
        processes.append(ManagedProcess(["simulate", "--port", str(sim_port)], env, tmp_path / "sim.log").start())
        # Its waiting-calls count changes at the peak's pace whatever the hour: `simulate`
        # inherits SIMULATOR_DAY_SHAPE=flat from the suite (tests/conftest.py), and only
        # changed values make buckets (in the evening's ebb it failed, 17:30 UTC).
        state = wait_until(lambda: _state(sim_port), timeout=60, what="the simulator's control API")
        assert state["day_shape"] == "flat"
        manage(env, "migrate", "-v", "0")
        manage(env, "import_dashboards", "-", stdin=json.dumps(DASHBOARDS))
        workers = [
            ManagedProcess(["runworker", "statsbridge"], env, tmp_path / f"worker{n}.log").start() for n in range(2)
        ]
        processes += workers
        first = wait_until(
            lambda: (found := _count(env))["count"] and found, timeout=90, interval=1.0, what="buckets from the leader"
        )
        assert first["vendor"] == "postgresql" and first["count"] > 0
        leader = wait_until(
            lambda: next((w for w in workers if "leader lease taken" in w.log()), None), timeout=30, what="a leader"
        )
        assert leader.stop() == 0  # a clean stop: its last flush on the way out
        stopped = _count(env)["count"]
        assert stopped >= first["count"]
        successor = next(w for w in workers if w is not leader)
        wait_until(lambda: "leader lease taken" in successor.log(), timeout=60, what="the successor's lease")
        wait_until(lambda: _count(env)["count"] > stopped, timeout=90, interval=1.0, what="the successor's buckets")
    finally:
        for proc in reversed(processes):
            proc.stop()
        redis.stop()
