"""Issue 14, with real processes joined by a private Redis: /healthz of a web process
that led once follows the current leader, and `runworker statsbridge` serves metrics."""

from __future__ import annotations

import os
import secrets
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.processes import ManagedProcess, free_port, manage, start_dashboard, upstream_env
from tests.support.redis_server import PrivateRedis
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path).start()
    yield server
    server.stop()


def health(server: ManagedProcess) -> dict:
    return httpx.get(server.extra["url"] + "/healthz", timeout=5).json()


def test_healthz_of_a_process_that_lost_the_lease_reports_the_new_leader(
    tmp_path: Path, redis_server: PrivateRedis
) -> None:
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = start_dashboard(tmp_path / "a", REDIS_URL=redis_server.url)
    second = None
    try:
        wait_until(lambda: health(first)["bridge"]["state"] == "connected", timeout=60, what="first leads")
        second = start_dashboard(tmp_path / "b", REDIS_URL=redis_server.url)
        os.killpg(first.process.pid, signal.SIGSTOP)  # paused past its lease: the second takes over
        try:
            wait_until(lambda: "leader lease taken" in second.log(), timeout=60, what="second takes the lease")
            wait_until(lambda: health(second)["bridge"]["state"] == "connected", timeout=60, what="second connected")
        finally:
            os.killpg(first.process.pid, signal.SIGCONT)
        wait_until(lambda: "leader lease lost" in first.log(), timeout=60, what="first stands by")
        # its own bridge has stopped once its metrics no longer carry one
        wait_until(
            lambda: "statsbridge_updates_in_total" not in httpx.get(first.extra["url"] + "/metrics", timeout=5).text,
            timeout=60,
            what="first's bridge stopped",
        )
        answer = health(first)
        assert answer["status"] == "ok" and answer["bridge"]["state"] == "connected", answer
    finally:
        if second is not None:
            second.stop()
        first.stop()


def test_the_bridge_worker_serves_metrics_with_the_token_rule(tmp_path: Path, redis_server: PrivateRedis) -> None:
    sim_port, metrics_port, token = free_port(), free_port(), secrets.token_urlsafe(24)
    env = upstream_env(
        tmp_path,
        sim_port,
        REDIS_URL=redis_server.url,
        STATSBRIDGE_METRICS_PORT=str(metrics_port),
        METRICS_TOKEN=token,
    )
    simulator = ManagedProcess(["simulate", "--port", str(sim_port)], env, tmp_path / "simulator.log").start()
    worker = None
    try:
        simulator.wait_http(f"http://127.0.0.1:{sim_port}/simulator/v1/state")
        manage(env, "migrate", "-v", "0")
        worker = ManagedProcess(["runworker", "statsbridge"], env, tmp_path / "worker.log").start()
        url = f"http://127.0.0.1:{metrics_port}/metrics"

        def connected() -> bool:
            body = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=5).text
            return "statsbridge_connected 1.0" in body

        wait_until(connected, timeout=60, what="the worker's metrics say connected")
        assert httpx.get(url, timeout=5).status_code == 401
        assert httpx.get(url, headers={"Authorization": "Bearer wrong"}, timeout=5).status_code == 401
        assert token not in worker.log()
    finally:
        if worker is not None:
            worker.stop()
        simulator.stop()
