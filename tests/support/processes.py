"""Real processes for end-to-end tests: `manage.py rundashboard` / `simulate` on
free loopback ports, each with its own SQLite file, logs kept for failures."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ManagedProcess:
    args: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None
    extra: dict = field(default_factory=dict)

    def start(self) -> ManagedProcess:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *self.args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_http(self, url: str, timeout: float = 60.0) -> None:
        def ready() -> bool:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"process exited early:\n{self.log()}")
            return httpx.get(url, timeout=2).status_code < 500

        try:
            wait_until(ready, timeout=timeout, what=url)
        except RuntimeError as error:
            raise AssertionError(str(error)) from None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int | None:
        if not self.process or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        os.killpg(self.process.pid, sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def base_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GENESYS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'dashboard.sqlite3'}"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env


def upstream_env(tmp: Path, sim_port: int, **overrides: str) -> dict[str, str]:
    """A process environment whose upstream is the simulator on `sim_port`, signed in
    with the simulator's own credentials (the service-account grant)."""
    return base_env(
        tmp,
        GENESYS_API_BASE_URL=f"http://127.0.0.1:{sim_port}",
        GENESYS_API_KEY=CREDS.api_key,
        GENESYS_CLIENT_ID=CREDS.client_id,
        GENESYS_CLIENT_SECRET=CREDS.client_secret,
        GENESYS_USERNAME=CREDS.username,
        GENESYS_PASSWORD=CREDS.password,
        **overrides,
    )


def start_dashboard(tmp_path: Path, *extra_args: str, **env: str) -> ManagedProcess:
    port, sim_port = free_port(), free_port()
    proc = ManagedProcess(
        ["rundashboard", "--port", str(port), "--simulator-port", str(sim_port), *extra_args],
        base_env(tmp_path, **env),
        tmp_path / f"rundashboard-{port}.log",
    )
    proc.extra.update(port=port, simulator_port=sim_port, url=f"http://127.0.0.1:{port}")
    proc.start()
    proc.wait_http(proc.extra["url"] + "/healthz")
    wait_for_first_skills_sync(proc)
    return proc


def wait_for_first_skills_sync(proc: ManagedProcess, timeout: float = 30.0) -> None:
    """On a fresh database the first skills sync (2 s after start) changes the skills, and
    the pages drawing skills reload once (the demo's `agents` dashboard, the wallboards
    showing it, drill-down pages: dashboard/skills/pages.py; by its `config` frame, or by
    its revisions on their next snapshot): a test's page of those must not be loaded before
    it, or the reload wipes what the test marked in the page, and a test of a skill must
    see it synced. Other pages no longer reload (tests/e2e/test_table_widget.py once lost
    its marks to that reload, when it reloaded every page). Returns at once when no sync
    runs in this server."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        log = proc.log()
        if "skills sync started" not in log or "dashboard.skills.job: skills sync" in log:
            time.sleep(0.3)  # its notification: sent right after the line
            return
        time.sleep(0.1)


def kiosk_socket_path(server: ManagedProcess, dashboard: str = "agents", wallboard: str = "floor") -> str:
    """`/ws/dashboards/<dashboard>/?token=...` with a fresh kiosk token of `wallboard`."""
    done = subprocess.run(
        [sys.executable, "manage.py", "wallboard_url", wallboard, "--base", server.extra["url"]],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1].split("token=", 1)[1]
    return f"/ws/dashboards/{dashboard}/?token={token}"


@contextmanager
def running_dashboard(prefix: str) -> Iterator[ManagedProcess]:
    """`rundashboard` (embedded) in a temporary directory, stopped on the way out."""
    with tempfile.TemporaryDirectory(prefix=prefix) as workdir:
        server = start_dashboard(Path(workdir))
        try:
            yield server
        finally:
            server.stop()


def manage(env: dict, *args: str, stdin: str | None = None, timeout: float = 180) -> str:
    """`manage.py <args>` in a child process with `env`; its stdout, or a failed assertion
    showing its stderr."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_python(code: str) -> subprocess.CompletedProcess:
    """`python -c code` at the project's top with only the settings module set: a fresh
    interpreter, for start-up checks that must see what a real start sees."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "dashboard.project.settings", "PATH": "/usr/bin:/bin"},
    )


def set_simulator_rate(port: int, rate: float) -> None:
    """The simulator's `rate` control (README, simulator controls): a set number of
    updates a second instead of the model's own changes, for load. Not needed for values
    to change at night: the suite's simulators run a flat day (tests/conftest.py)."""
    import httpx

    url = f"http://127.0.0.1:{port}/simulator/v1/rate"
    assert httpx.post(url, json={"updates_per_second": rate}, timeout=10).status_code == 200
