"""`rundashboard` migrates at start; N of them started together on one fresh database
must not race (dashboard/project/setup_once.py): the first migrates, the others wait."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg
import pytest

from dashboard.project.setup_once import MANIFEST, MIGRATE_LOCK_KEY, static_files_stale
from tests.support.processes import ManagedProcess, base_env, free_port
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


def web_process(tmp: Path, database_url: str, name: str) -> tuple[ManagedProcess, str]:
    """`rundashboard --no-bridge` on a real upstream URL (nothing embedded, no bridge)."""
    port = free_port()
    env = base_env(
        tmp,
        DATABASE_URL=database_url,
        GENESYS_API_BASE_URL=f"http://127.0.0.1:{free_port()}",
        # a real upstream needs its own credentials (settings refuse to lend the simulator's)
        GENESYS_API_KEY="key",
        GENESYS_CLIENT_ID="client",
        GENESYS_CLIENT_SECRET="secret",
    )
    proc = ManagedProcess(["rundashboard", "--no-bridge", "--port", str(port)], env, tmp / f"{name}.log")
    return proc.start(), f"http://127.0.0.1:{port}/healthz"


def psycopg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def test_three_processes_started_together_on_a_fresh_database_all_come_up(tmp_path: Path, postgres_url: str) -> None:
    # Without the lock, concurrent migrations fail in all but one ("duplicate key ... pg_type").
    started = [web_process(tmp_path, postgres_url, f"web{n}") for n in range(3)]
    try:
        for proc, health in started:
            proc.wait_http(health, timeout=120)
        with psycopg.connect(psycopg_url(postgres_url)) as conn:
            assert conn.execute("SELECT count(*) FROM django_migrations WHERE app = 'dashboard'").fetchone()[0] >= 3
    finally:
        for proc, _ in started:
            proc.stop()


def test_a_process_waits_for_the_migration_lock_before_migrating(tmp_path: Path, postgres_url: str) -> None:
    with psycopg.connect(psycopg_url(postgres_url), autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK_KEY,))
        proc, health = web_process(tmp_path, postgres_url, "web")
        try:
            waiting = (
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'"
            )
            wait_until(
                lambda: holder.execute(waiting).fetchone()[0] == 1 or proc.process.poll() is not None,
                timeout=60,
                what="rundashboard waiting on the advisory lock",
            )
            assert proc.process.poll() is None, proc.log()
            assert holder.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None
            holder.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK_KEY,))
            proc.wait_http(health, timeout=120)
        finally:
            proc.stop()


def test_collected_static_files_are_stale_only_when_a_source_is_newer(tmp_path: Path) -> None:
    assert static_files_stale(tmp_path)  # never collected
    manifest = tmp_path / MANIFEST
    manifest.write_text("{}")
    assert not static_files_stale(tmp_path)
    os.utime(manifest, (time.time() - 10 * 365 * 86400,) * 2)  # older than every source
    assert static_files_stale(tmp_path)
