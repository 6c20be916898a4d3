"""The deployments bench/e2e_latency.py measures, started for real and torn down after.

- `EmbeddedDeployment`: one `manage.py rundashboard` with its own simulator and a temp
  SQLite (the single-machine mode).
- `RedisDeployment`: the scaled-out mode as docs/deployment.md describes it, the way
  tests/deployment/test_scale_out.py starts it: a private redis-server on a free port,
  a temporary PostgreSQL database (on 127.0.0.1:5432, or a private server when none
  answers: tests/support/postgres.py; created here and dropped after), `manage.py
  simulate` as the upstream, `migrate` and `collectstatic` once (the release step of
  docs/deployment.md), two `rundashboard --no-bridge` web processes and one
  `runworker statsbridge` serving its own /metrics (STATSBRIDGE_METRICS_PORT), read
  beside the web processes'. `REDIS_CHANNEL_LAYER` picks channels-redis' `core` or
  `pubsub` layer. The scale-out figures are rerun with it whenever the fan-out
  changes: bench/e2e_latency.py --mode redis (steady state) and bench/connect_storm.py
  --mode redis (connect storms), see docs/performance.md "Round two".

Both prepare the same database content first (migrate, the demo content, the bench
dashboard and its wallboard token) and name their server processes, so the harness can
read each one's CPU and RSS: in redis mode Redis itself and the PostgreSQL backends of
the temporary database count as server processes too, not as "outside" CPU.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [p for p in (str(ROOT), str(ROOT / "bench")) if p not in sys.path]

from bench_simulator import proc_cpu_seconds, proc_rss_bytes  # noqa: E402

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS  # noqa: E402
from statsbridge.simulator.statistics import PRECONFIGURED  # noqa: E402
from tests.support.postgres import postgres_server, scratch_database  # noqa: E402
from tests.support.processes import ManagedProcess, base_env, free_port, start_dashboard  # noqa: E402
from tests.support.redis_server import PrivateRedis  # noqa: E402

METRIC_LINE = re.compile(r"^((?:statsbridge|dashboard_socket)_\w+) ([0-9.eE+-]+|NaN)$", re.MULTILINE)


# -- the bench dashboard ------------------------------------------------------------------


def bench_statistics(objects: list[dict]) -> list[dict]:
    """Every pre-configured statistic on every object of a type it applies to."""
    return [
        {"name": p.name, "objectType": o["objectType"], "objectId": o["objectId"]}
        for p in PRECONFIGURED.values()
        for o in objects
        if o["objectType"] in p.object_types
    ]


def bench_file(stats: list[dict], per_widget: int = 50, dashboards: int = 1) -> dict:
    """One dashboard `bench` with every statistic; or, with `dashboards` > 1, the
    statistics dealt round-robin over `bench-0`..`bench-<n-1>` (each carrying its share
    of the updates, as real wallboards do), all shown by the one wallboard `bench`."""
    shares = {"bench": stats} if dashboards <= 1 else {f"bench-{d}": stats[d::dashboards] for d in range(dashboards)}

    def widgets(share: list[dict]) -> list[dict]:
        return [
            {"type": "table", "title": f"Bench {i // per_widget + 1}", "statistics": share[i : i + per_widget]}
            for i in range(0, len(share), per_widget)
        ]

    return {
        "dashboards": [{"slug": slug, "title": slug, "widgets": widgets(share)} for slug, share in shares.items()],
        "wallboards": [{"slug": "bench", "title": "Bench", "dashboards": list(shares), "rotate_seconds": 3600}],
    }


def dashboard_slugs(dashboards: int) -> list[str]:
    """The bench dashboards' slugs (bench_file)."""
    return ["bench"] if dashboards <= 1 else [f"bench-{d}" for d in range(dashboards)]


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare_database(env: dict[str, str], workdir: Path, stats: list[dict], dashboards: int = 1) -> str:
    """Migrate, the demo content (as a first `make run` would), the bench file; a token."""
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "shell", "-c", "from dashboard.boards.demo import ensure_demo_content; ensure_demo_content()")
    path = workdir / "bench.json"
    path.write_text(json.dumps(bench_file(stats, dashboards=dashboards)))
    manage(env, "import_dashboards", str(path))
    url = manage(env, "wallboard_url", "bench", "--label", "e2e bench").strip()
    return parse_qs(urlsplit(url).query)["token"][0]


# -- the deployments ------------------------------------------------------------------------


class EmbeddedDeployment:
    """One rundashboard: web, bridge and simulator in one process."""

    mode = "embedded"
    dashboards = 1  # bench_file's spread

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.dashboard: ManagedProcess | None = None

    def start(self, stats: list[dict]) -> str:
        token = prepare_database(base_env(self.workdir), self.workdir, stats, self.dashboards)
        self.dashboard = start_dashboard(self.workdir)
        return token

    @property
    def web_urls(self) -> list[str]:
        return [self.dashboard.extra["url"]] if self.dashboard else []

    @property
    def metrics_urls(self) -> list[str]:
        return [url + "/metrics" for url in self.web_urls]

    @property
    def simulator_url(self) -> str:
        return f"http://127.0.0.1:{self.dashboard.extra['simulator_port']}" if self.dashboard else ""

    def pids(self) -> dict[str, list[int]]:
        return {"rundashboard": [self.dashboard.process.pid]} if self.dashboard and self.dashboard.process else {}

    def stop(self, log: str | None = None) -> None:
        if self.dashboard:
            self.dashboard.stop()
            if log:
                shutil.copyfile(self.dashboard.log_path, log)


class RedisDeployment:
    """Redis + PostgreSQL + simulator + 2 web processes + 1 bridge worker."""

    mode = "redis"
    WEB_PROCESSES = 2
    dashboards = 1  # bench_file's spread

    def __init__(self, workdir: Path, layer: str) -> None:
        self.workdir, self.layer = workdir, layer
        self.services = ExitStack()  # the PostgreSQL server and database, released in stop()
        self.admin_url = self.database_url = self.database = ""
        self.redis: PrivateRedis | None = None
        self.admin: psycopg.Connection | None = None  # kept open: one probe a second
        self.processes: dict[str, ManagedProcess] = {}
        self.web_urls: list[str] = []
        self.sim_port = free_port()
        self.simulator_url = f"http://127.0.0.1:{self.sim_port}"
        self.worker_metrics_port = free_port()

    @property
    def metrics_urls(self) -> list[str]:
        """The web processes' and the bridge worker's (its own listener)."""
        worker = f"http://127.0.0.1:{self.worker_metrics_port}/metrics"
        return [url + "/metrics" for url in self.web_urls] + [worker]

    def _env(self, redis_url: str) -> dict[str, str]:
        return base_env(
            self.workdir,
            DATABASE_URL=self.database_url,
            REDIS_URL=redis_url,
            REDIS_CHANNEL_LAYER=self.layer,
            GENESYS_API_BASE_URL=self.simulator_url,
            GENESYS_API_KEY=CREDS.api_key,
            GENESYS_CLIENT_ID=CREDS.client_id,
            GENESYS_CLIENT_SECRET=CREDS.client_secret,
            GENESYS_USERNAME=CREDS.username,
            GENESYS_PASSWORD=CREDS.password,
        )

    def _spawn(self, name: str, env: dict[str, str], *args: str) -> ManagedProcess:
        self.processes[name] = ManagedProcess(list(args), env, self.workdir / f"{name}.log").start()
        return self.processes[name]

    def start(self, stats: list[dict]) -> str:
        self.admin_url = self.services.enter_context(postgres_server())
        self.database_url = self.services.enter_context(scratch_database(self.admin_url, "e2e_bench"))
        self.database = self.database_url.rsplit("/", 1)[1]
        self.redis = PrivateRedis(self.workdir).start()
        env = self._env(self.redis.url)
        # The simulator's defaults (50 agents, 8 queues) are the center the bench file was made for.
        self._spawn("simulator", env, "simulate", "--port", str(self.sim_port))
        token = prepare_database(env, self.workdir, stats, self.dashboards)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # once, before the N web processes
        self.processes["simulator"].wait_http(self.simulator_url + "/simulator/v1/state")
        for n in range(self.WEB_PROCESSES):
            port = free_port()
            self._spawn(f"web{n}", env, "rundashboard", "--no-bridge", "--port", str(port))
            self.web_urls.append(f"http://127.0.0.1:{port}")
        for n, url in enumerate(self.web_urls):
            self.processes[f"web{n}"].wait_http(url + "/healthz")
        self._spawn(
            "worker", {**env, "STATSBRIDGE_METRICS_PORT": str(self.worker_metrics_port)}, "runworker", "statsbridge"
        )
        return token

    def pids(self) -> dict[str, list[int]]:
        pids = {name: [p.process.pid] for name, p in self.processes.items() if p.process}
        if self.redis and self.redis.process:
            pids["redis"] = [self.redis.process.pid]
        pids["postgres"] = self._postgres_backends()
        return pids

    def _postgres_backends(self) -> list[int]:
        """The server processes serving our database (the web processes' access checks)."""
        try:
            self.admin = self.admin or psycopg.connect(self.admin_url, autocommit=True, connect_timeout=2)
            rows = self.admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,)
            ).fetchall()
        except psycopg.Error:
            self.admin = None
            return []
        return [row[0] for row in rows]

    def stop(self, log: str | None = None) -> None:
        for proc in reversed(list(self.processes.values())):
            proc.stop()
        if self.redis:
            self.redis.stop()
        if self.admin:
            self.admin.close()
        self.services.close()
        if log:
            with open(log, "w") as out:
                for name, proc in self.processes.items():
                    out.write(f"===== {name}: {' '.join(proc.args)}\n{proc.log()}\n")


Deployment = EmbeddedDeployment | RedisDeployment


# -- the server processes, read from outside ------------------------------------------------


@dataclass
class Reading:
    wall: float
    cpu: dict[str, dict[int, float]]  # server process name -> pid -> CPU seconds
    rss: dict[str, int]
    clients_cpu: float
    floor_cpu: float
    machine: tuple[int, int]
    published: int
    metrics: dict[str, float]  # summed over the web processes and (redis mode) the bridge worker
    waits: dict[str, dict[int, float]] = field(default_factory=dict)  # as `cpu`: main threads' run-queue seconds


def server_cpu(pids: dict[str, list[int]]) -> dict[str, dict[int, float]]:
    cpu: dict[str, dict[int, float]] = {}
    for name, listed in pids.items():
        cpu[name] = {}
        for pid in listed:
            try:
                cpu[name][pid] = proc_cpu_seconds(pid)
            except (FileNotFoundError, ProcessLookupError):  # a PostgreSQL backend that ended
                pass
    return cpu


def server_rss(pids: dict[str, list[int]]) -> dict[str, int]:
    """RSS per server process; PostgreSQL's backends are left out (shared buffers)."""
    return {name: sum(proc_rss_bytes(pid) for pid in listed) for name, listed in pids.items() if name != "postgres"}


def run_queue_seconds(pid: int) -> float:
    """Time the process's main thread was ready to run and waited for a core
    (/proc/PID/schedstat, second field): a server starved of CPU, not a slow one."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def wait_percent(before: Reading, after: Reading) -> dict[str, float]:
    """% of the window each server's main thread waited for a core (summed over its pids
    seen at both readings)."""
    wall = after.wall - before.wall
    return {
        name: 100 * sum(s - before.waits.get(name, {}).get(pid, s) for pid, s in pids.items()) / wall
        for name, pids in after.waits.items()
    }


def cpu_percent(before: Reading, after: Reading) -> dict[str, float]:
    """% of one core per server process; pids seen at both readings only."""
    wall = after.wall - before.wall
    return {
        name: 100 * sum(s - before.cpu.get(name, {}).get(pid, s) for pid, s in pids.items()) / wall
        for name, pids in after.cpu.items()
    }


@dataclass
class Probe:
    session: aiohttp.ClientSession
    deployment: Deployment
    clients: list[int] = field(default_factory=list)
    floor: int = 0

    async def json(self, url: str) -> dict:
        async with self.session.get(url) as response:
            response.raise_for_status()
            return await response.json()

    async def read(self) -> Reading:
        state = await self.json(self.deployment.simulator_url + "/simulator/v1/state")
        metrics: Counter[str] = Counter()
        for url in self.deployment.metrics_urls:
            try:
                async with self.session.get(url) as response:
                    for name, value in METRIC_LINE.findall(await response.text()):
                        metrics[name] += float(value)
            except aiohttp.ClientConnectionError:
                pass  # the worker's listener is not up yet
        clients = sum(proc_cpu_seconds(pid) for pid in self.clients) + time.process_time()
        pids = self.deployment.pids()
        return Reading(
            time.monotonic(),
            server_cpu(pids),
            server_rss(pids),
            clients,
            proc_cpu_seconds(self.floor),
            machine_jiffies(),
            state["updates_published"],
            dict(metrics),
            {name: {pid: run_queue_seconds(pid) for pid in listed} for name, listed in pids.items()},
        )

    async def wait_for_bridge(self, statistics_wanted: int, timeout: float = 90) -> dict:
        """/healthz of the first web process: its own bridge, or (redis mode) the
        leader's status as shared in Redis."""
        deadline, bridge = time.monotonic() + timeout, {}
        while time.monotonic() < deadline:
            bridge = (await self.json(self.deployment.web_urls[0] + "/healthz"))["bridge"]
            if bridge["state"] == "connected" and bridge["statistics"] >= statistics_wanted:
                return bridge
            await asyncio.sleep(0.2)
        raise SystemExit(f"the bridge is not connected with {statistics_wanted} statistics: {bridge}")

    async def set_rate(self, rate: float) -> None:
        async with self.session.post(
            self.deployment.simulator_url + "/simulator/v1/rate", json={"updates_per_second": rate}
        ) as response:
            response.raise_for_status()


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4], sum(fields)
