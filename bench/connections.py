"""Issue 22: N connections of M statistics each over W `runworker statsbridge` workers.

Started for real: two `manage.py simulate` upstreams (connections alternate between
them), a private redis-server, a scratch PostgreSQL database, W workers each serving
its /metrics. Measures:
- spread: how many connections each worker holds;
- ingest: each worker's CPU (from /proc) over a window at the simulators' set update
  rate, against the values its bridges took in (`statsbridge_updates_in_total` and
  `statsbridge_connection_updates_in_total`);
- failover: SIGKILL the worker holding most; the time until the survivors hold every
  lease (Redis), and until their bridges have every statistic open again (/metrics).

    python bench/connections.py --connections 10 --per 2000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [p for p in (str(ROOT), str(ROOT / "bench")) if p not in sys.path]

from bench_simulator import proc_cpu_seconds  # noqa: E402

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS  # noqa: E402
from tests.support.postgres import postgres_server, scratch_database  # noqa: E402
from tests.support.processes import ManagedProcess, base_env, free_port, manage  # noqa: E402
from tests.support.redis_server import PrivateRedis  # noqa: E402

AGENT_NAMES = [
    "TimeInCurrentState",
    "CurrentAgentState",
    "TotalNumberInboundCalls",
    "TotalNumberCallsAnswered",
    "AverageHandlingTime",
]
OPEN = re.compile(r'^statsbridge_(?:connection_)?statistics_open(?:\{connection="([^"]+)"\})? ([0-9.]+)$', re.M)
LOST = re.compile(r"lease lost by|lease of connection \S+ lost by")
UPDATES = re.compile(r"^statsbridge_(?:connection_)?updates_in_total(?:\{[^}]*\})? ([0-9.eE+]+)$", re.M)

POPULATE = """
import json
from dashboard.models import Connection, Dashboard, Statistic, Widget, WidgetStatistic
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as c
spec = json.loads({spec!r})
for name, url in spec["connections"].items():
    conn = None
    if name != "default":
        conn = Connection.objects.create(name=name, base_url=url, api_key=c.api_key, client_id=c.client_id,
            client_secret=c.client_secret, username=c.username, password=c.password)
    board = Dashboard.objects.create(slug="bench-" + name, title=name)
    stats = Statistic.objects.bulk_create([Statistic(name=n, object_type="Agent", object_id=a, connection=conn)
        for a in spec["agents"] for n in spec["names"]])
    rows = []
    for w in range(0, len(stats), 50):
        widget = Widget.objects.create(dashboard=board, kind="table", title=f"{{name}} {{w}}", position=w // 50)
        rows += [WidgetStatistic(widget=widget, statistic=s, position=i) for i, s in enumerate(stats[w:w + 50])]
    WidgetStatistic.objects.bulk_create(rows)
print("{{}}")
"""


class Bench:
    def __init__(self, tmp: Path, database_url: str, args: argparse.Namespace) -> None:
        self.tmp, self.args = tmp, args
        self.redis = PrivateRedis(tmp).start()
        self.sims = [free_port(), free_port()]
        self.env = base_env(
            tmp,
            DATABASE_URL=database_url,
            REDIS_URL=self.redis.url,
            GENESYS_API_BASE_URL=f"http://127.0.0.1:{self.sims[0]}",
            GENESYS_API_KEY=CREDS.api_key,
            GENESYS_CLIENT_ID=CREDS.client_id,
            GENESYS_CLIENT_SECRET=CREDS.client_secret,
            GENESYS_USERNAME=CREDS.username,
            GENESYS_PASSWORD=CREDS.password,
            STATSBRIDGE_LEASE_TTL_MS=str(args.ttl_ms),
        )
        self.processes: list[ManagedProcess] = []
        self.workers: list[tuple[ManagedProcess, str]] = []

    def names(self) -> list[str]:
        return ["default"] + [f"tenant-{n:02d}" for n in range(1, self.args.connections)]

    def start(self) -> None:
        agents_needed = -(-self.args.per // len(AGENT_NAMES))
        for n, port in enumerate(self.sims):
            args = ["simulate", "--port", str(port), "--seed", str(n), "--agents", str(agents_needed)]
            self.processes.append(ManagedProcess(args, self.env, self.tmp / f"sim{n}.log").start())
        for port in self.sims:
            self.processes[0].wait_http(f"http://127.0.0.1:{port}/simulator/v1/state")
        objects = httpx.get(f"http://127.0.0.1:{self.sims[0]}/simulator/v1/objects", timeout=30).json()
        agents = [o["objectId"] for o in objects["objects"] if o["objectType"] == "Agent"][:agents_needed]
        urls = {name: f"http://127.0.0.1:{self.sims[i % 2]}" for i, name in enumerate(self.names())}
        manage(self.env, "migrate", "-v", "0")
        spec = json.dumps({"connections": urls, "agents": agents, "names": AGENT_NAMES})
        manage(self.env, "shell", "-c", POPULATE.format(spec=spec), timeout=600)
        for port in self.sims:
            rate = {"updates_per_second": self.args.rate}
            httpx.post(f"http://127.0.0.1:{port}/simulator/v1/rate", json=rate, timeout=10).raise_for_status()
        for n in range(self.args.workers):
            port = free_port()
            env = {**self.env, "STATSBRIDGE_METRICS_PORT": str(port)}
            proc = ManagedProcess(["runworker", "statsbridge"], env, self.tmp / f"worker{n}.log").start()
            self.processes.append(proc)
            self.workers.append((proc, f"http://127.0.0.1:{port}/metrics"))

    def scrape(self, url: str) -> str:
        try:
            return httpx.get(url, timeout=10).text
        except httpx.HTTPError:
            return ""

    def open_per_worker(self) -> list[dict[str, float]]:
        found = []
        for proc, url in self.workers:
            alive = proc.process is not None and proc.process.poll() is None
            found.append({(m[0] or "default"): float(m[1]) for m in OPEN.findall(self.scrape(url))} if alive else {})
        return found

    def all_open(self, workers: list[dict[str, float]]) -> bool:
        held = {name: value for w in workers for name, value in w.items()}
        return len(held) == self.args.connections and all(v >= self.args.per for v in held.values())

    def updates(self, url: str) -> float:
        return sum(float(v) for v in UPDATES.findall(self.scrape(url)))

    def wait(self, check, timeout: float, what: str, fatal: bool = True) -> float | None:  # type: ignore[no-untyped-def]
        """Seconds until `check` holds; past `timeout` the run ends, or (not `fatal`) None."""
        started = time.monotonic()
        while not check():
            if time.monotonic() - started > timeout:
                if fatal:
                    raise SystemExit(f"timed out waiting for {what}")
                return None
            time.sleep(0.1)
        return time.monotonic() - started

    def lease_holders(self) -> set[str]:
        client = redis.Redis.from_url(self.redis.url)
        keys = ["statsbridge:leader"] + [f"statsbridge:conn:{n}" for n in self.names()[1:]]
        holders = {v.decode() if v else "" for v in client.mget(keys)}
        client.close()
        return holders

    def leases_lost(self) -> int:
        """Leases the workers lost while alive (a loop or Redis too slow): the thrash count."""
        return sum(len(LOST.findall(proc.log())) for proc, _ in self.workers)

    def stop(self) -> None:
        for proc in reversed(self.processes):
            proc.stop()
        self.redis.stop()


def ingest(bench: Bench, window: float) -> list[dict]:
    alive = [(p, url) for p, url in bench.workers if p.process is not None and p.process.poll() is None]
    before = [(proc_cpu_seconds(p.process.pid), bench.updates(url)) for p, url in alive]  # type: ignore[union-attr]
    started = time.monotonic()
    time.sleep(window)
    wall = time.monotonic() - started
    rows = []
    for (proc, url), (cpu0, up0) in zip(alive, before, strict=True):
        cpu, updates = proc_cpu_seconds(proc.process.pid) - cpu0, bench.updates(url) - up0  # type: ignore[union-attr]
        rows.append(
            {"cpu_share": cpu / wall, "updates_per_s": updates / wall, "updates_per_cpu_s": updates / cpu if cpu else 0}
        )
    return rows


def failover(bench: Bench) -> dict:
    spread = bench.open_per_worker()
    victim = max(range(len(spread)), key=lambda i: len(spread[i]))
    orphans = sorted(spread[victim])
    proc = bench.workers[victim][0]
    killed = time.monotonic()
    proc.stop(signal.SIGKILL)
    victim_id = re.search(r"connection bridges: worker (\S+)", proc.log()).group(1)  # type: ignore[union-attr]
    leases = bench.wait(lambda: victim_id not in bench.lease_holders(), 120, "the leases on the survivors")
    reopened = bench.wait(lambda: bench.all_open(bench.open_per_worker()), 300, "every statistic open again", False)
    return {
        "orphans": orphans,
        "leases_s": leases,
        "reopened_s": None if reopened is None else time.monotonic() - killed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--per", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=int, default=2000, help="updates per second published by each simulator")
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--ttl-ms", type=int, default=3000, help="STATSBRIDGE_LEASE_TTL_MS (the product's default)")
    parser.add_argument("--logs", type=Path, help="copy the processes' logs here at the end")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-conn-") as tmp, ExitStack() as stack:
        database = stack.enter_context(scratch_database(stack.enter_context(postgres_server())))
        bench = Bench(Path(tmp), database, args)
        if args.logs:
            stack.callback(
                lambda: shutil.copytree(
                    tmp, args.logs, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.sqlite3", "redis*")
                )
            )
        stack.callback(bench.stop)
        bench.start()
        up = bench.wait(lambda: bench.all_open(bench.open_per_worker()), 300, "every statistic open at start")
        spread = [sorted(w) for w in bench.open_per_worker()]
        rows = ingest(bench, args.window)
        lost_before_kill = bench.leases_lost()
        result = failover(bench)
        after = ingest(bench, args.window)
        lost = bench.leases_lost()
    print(f"{args.connections} connections x {args.per} statistics, {args.workers} workers, lease {args.ttl_ms} ms")
    print(f"all open {up:.1f} s after the workers started; held: {[len(s) for s in spread]} {spread}")
    print("| worker | CPU (share of a core) | values in per s | values per CPU-second |")
    print("|---|---|---|---|")
    for n, row in enumerate(rows):
        print(f"| {n} | {row['cpu_share']:.0%} | {row['updates_per_s']:,.0f} | {row['updates_per_cpu_s']:,.0f} |")
    print(f"median CPU share {statistics.median(r['cpu_share'] for r in rows):.0%}")
    for row in after:
        print(
            f"the survivor alone: CPU {row['cpu_share']:.0%}, {row['updates_per_s']:,.0f} values in per s, "
            f"{row['updates_per_cpu_s']:,.0f} per CPU-second"
        )
    print(
        f"SIGKILL of the worker holding {len(result['orphans'])}: leases moved in {result['leases_s']:.1f} s, "
        + (
            f"every statistic open again {result['reopened_s']:.1f} s after the kill"
            if result["reopened_s"] is not None
            else "NOT every statistic open again within 300 s of the kill"
        )
    )
    print(f"leases lost by live workers: {lost_before_kill} before the kill, {lost} in all")


if __name__ == "__main__":
    main()
