#!/usr/bin/env python
"""How many StatisticUpdates per second the simulator publishes and delivers.

Why: the soak tests and the bridge's throughput claims rest on the simulator keeping up
with a large contact center (2,000 agents, 20,000 open statistics). This measures it
over the real protocol: statistics opened through the REST API in subscriptions of at
most 1,000, updates received by raw Bayeux long-polling clients, the load rate set
through the control API. Then the clients stop polling without a /meta/disconnect (as
crashed clients do) and we watch the simulator expire them and keep its memory bounded.

In-process (default) the clients share the simulator's process, so their JSON parsing
counts as its CPU. `--external` runs `manage.py simulate` as a subprocess and reads ITS
CPU and RSS from /proc: that is the honest number. Clients expire 30 s (the simulator's
max interval) + the connect timeout after their last poll; --connect-timeout-ms (passed
to `simulate`) shortens the wait.

    .venv/bin/python bench/bench_simulator.py --external
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime
import inspect
import itertools
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS  # noqa: E402
from statsbridge.simulator.server import Simulator  # noqa: E402
from statsbridge.simulator.statistics import PRECONFIGURED  # noqa: E402

COMETD = "/statistics/v3/notifications"
UPDATES, SERVICE = "/statistics/v3/updates", "/statistics/v3/service"
AGENT_STATISTICS = ("CurrentAgentState", "TimeInCurrentState")
QUEUE_STATISTICS = tuple(p.name for p in PRECONFIGURED.values() if "Queue" in p.object_types)
CLK_TCK = os.sysconf("SC_CLK_TCK")
MAX_INTERVAL_S = inspect.signature(Simulator).parameters["max_interval_s"].default


# -- the simulator under test -------------------------------------------------------


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of `pid`; fields counted after the ')' that ends the command name."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class InProcess:
    """The Simulator in this process: CPU is time.process_time, clients included."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.sim = Simulator(port=0, agents=args.agents, queues=args.queues, connect_timeout_ms=args.connect_timeout_ms)
        self.pid = os.getpid()

    async def start(self) -> str:
        await self.sim.start()
        return self.sim.base_url

    def cpu_seconds(self) -> float:
        return time.process_time()

    async def stop(self) -> None:
        await self.sim.stop()


class External:
    """`manage.py simulate` as a subprocess: its CPU and RSS alone, from /proc."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.command = [
            sys.executable,
            str(ROOT / "manage.py"),
            "simulate",
            "--port",
            "0",
            "--agents",
            str(args.agents),
            "--queues",
            str(args.queues),
            "--connect-timeout-ms",
            str(args.connect_timeout_ms),
        ]
        self.log = tempfile.TemporaryFile()
        self.process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self) -> str:
        """Port 0, then the URL from simulate's one line on stdout, once it listens."""
        self.process = await asyncio.create_subprocess_exec(
            *self.command, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=self.log
        )
        assert self.process.stdout is not None
        line = (await asyncio.wait_for(self.process.stdout.readline(), timeout=60)).decode()
        if not line.startswith("Genesys simulator on "):
            self.log.seek(0)
            raise SystemExit(f"simulate did not start: {line}{self.log.read().decode(errors='replace')}")
        return line.split()[3]

    def cpu_seconds(self) -> float:
        return proc_cpu_seconds(self.pid)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), timeout=10)
            except TimeoutError:
                self.process.kill()


# -- REST: token, statistics, control ------------------------------------------------


async def password_token(session: aiohttp.ClientSession, base_url: str) -> str:
    form = {"grant_type": "password", "username": CREDS.username, "password": CREDS.password}
    basic = base64.b64encode(f"{CREDS.client_id}:{CREDS.client_secret}".encode()).decode()
    async with session.post(
        base_url + "/auth/v3/oauth/token", data=form, headers={"Authorization": f"Basic {basic}"}
    ) as response:
        response.raise_for_status()
        return (await response.json())["access_token"]


def descriptors(objects: list[dict], count: int) -> list[dict]:
    """Every agent's state and time-in-state and every queue statistic, repeated when
    `count` asks for more (several wallboards watching the same objects)."""
    ids = {kind: [o["objectId"] for o in objects if o["objectType"] == kind] for kind in ("Agent", "Queue")}
    pool = [("Agent", a, n) for a in ids["Agent"] for n in AGENT_STATISTICS]
    pool += [("Queue", q, n) for q in ids["Queue"] for n in QUEUE_STATISTICS]
    return [
        {"statisticId": f"s{i}", "objectType": kind, "objectId": object_id, "name": name}
        for i, (kind, object_id, name) in zip(range(count), itertools.cycle(pool))
    ]


async def open_statistics(session: aiohttp.ClientSession, base_url: str, count: int, chunk: int) -> int:
    async with session.get(base_url + "/simulator/v1/objects") as response:
        stats = descriptors((await response.json())["objects"], count)
    for start in range(0, len(stats), chunk):
        body = {"operationId": f"bench-{start // chunk}", "data": {"statistics": stats[start : start + chunk]}}
        async with session.post(
            base_url + "/statistics/v3/subscriptions", json=body, params={"verbose": "OFF"}
        ) as response:
            if response.status != 200:
                raise SystemExit(f"subscription failed: {response.status} {await response.text()}")
    return len(stats)


async def control(session: aiohttp.ClientSession, base_url: str, path: str, body: dict | None = None) -> dict:
    method = session.post if body is not None else session.get
    async with method(base_url + "/simulator/v1/" + path, json=body) as response:
        response.raise_for_status()
        return await response.json()


# -- raw Bayeux long-polling clients -------------------------------------------------


class BayeuxLoadClient:
    """handshake, first connect, subscribe, then /meta/connect in a loop, counting records."""

    def __init__(self, base_url: str, token: str) -> None:
        self.url = base_url + COMETD
        self.headers = {
            "x-api-key": CREDS.api_key,
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        }
        self.client_id = ""
        self.records = self.rehandshakes = 0

    async def send(self, session: aiohttp.ClientSession, *messages: dict) -> list[dict]:
        async with session.post(self.url, data=orjson.dumps(list(messages)), headers=self.headers) as response:
            response.raise_for_status()
            return orjson.loads(await response.read())

    async def handshake(self, session: aiohttp.ClientSession) -> None:
        [reply] = await self.send(
            session, {"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}
        )
        self.client_id = reply["clientId"]
        await self.connect(session)
        await self.send(
            session,
            *(
                {"channel": "/meta/subscribe", "clientId": self.client_id, "subscription": channel}
                for channel in (UPDATES, SERVICE)
            ),
        )

    async def connect(self, session: aiohttp.ClientSession) -> bool:
        replies = await self.send(
            session, {"channel": "/meta/connect", "clientId": self.client_id, "connectionType": "long-polling"}
        )
        for message in replies:
            if message["channel"] == UPDATES:
                self.records += len(message["data"]["data"]["statistics"])
        return bool(replies[-1].get("successful"))

    async def poll(self, stop: asyncio.Event) -> None:
        """Polls until `stop`; then simply goes away, without /meta/disconnect."""
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            await self.handshake(session)
            while not stop.is_set():
                if not await self.connect(session):
                    self.rehandshakes += 1
                    await self.handshake(session)


# -- measuring -------------------------------------------------------------------------


@dataclass
class Snapshot:
    server_time: float
    published: int
    received: int
    sim_cpu: float
    bench_cpu: float
    rss: int
    state: dict


SnapshotTaker = Callable[[], Awaitable[Snapshot]]


async def snapshot(
    session: aiohttp.ClientSession, base_url: str, target: InProcess | External, clients: list[BayeuxLoadClient]
) -> Snapshot:
    state = await control(session, base_url, "state")
    return Snapshot(
        state["time"],
        state["updates_published"],
        sum(c.records for c in clients),
        target.cpu_seconds(),
        time.process_time(),
        proc_rss_bytes(target.pid),
        state,
    )


def per_second(a: Snapshot, b: Snapshot) -> dict[str, float]:
    wall = max(b.server_time - a.server_time, 1e-6)
    return {
        "published/s": (b.published - a.published) / wall,
        "received/s (all clients)": (b.received - a.received) / wall,
        "simulator CPU %": 100 * (b.sim_cpu - a.sim_cpu) / wall,
        "bench process CPU %": 100 * (b.bench_cpu - a.bench_cpu) / wall,
        "simulator RSS MiB": b.rss / 2**20,
    }


async def sample(seconds: int, take: SnapshotTaker) -> tuple[list[dict[str, float]], list[Snapshot]]:
    """One sample per second, on a fixed schedule so a slow reply does not shift the rest."""
    loop = asyncio.get_running_loop()
    snapshots = [await take()]
    start = loop.time()
    for i in range(1, seconds + 1):
        await asyncio.sleep(max(0.0, start + i - loop.time()))
        snapshots.append(await take())
    return [per_second(a, b) for a, b in zip(snapshots, snapshots[1:], strict=False)], snapshots


async def watch_expiry(take: SnapshotTaker, limit_s: float) -> dict[str, float]:
    """After the clients' last poll returned: seconds until the simulator forgot them
    all, the peak RSS meanwhile (it keeps queueing for them), RSS and CPU after."""
    first = last = await take()
    peak, started = first.rss, time.monotonic()
    while last.state["cometd_clients"] and time.monotonic() - started < limit_s:
        await asyncio.sleep(1.0)
        last = await take()
        peak = max(peak, last.rss)
    expired_after = time.monotonic() - started
    samples, _ = await sample(3, take)
    return {
        "clients before": first.state["cometd_clients"],
        "clients after": last.state["cometd_clients"],
        "expired after s": expired_after,
        "expired_clients": last.state["expired_clients"],
        "RSS at stop MiB": first.rss / 2**20,
        "peak RSS MiB": peak / 2**20,
        "RSS after expiry MiB": samples[-1]["simulator RSS MiB"],
        "idle CPU % after expiry": statistics.median(s["simulator CPU %"] for s in samples),
        "idle published/s": statistics.median(s["published/s"] for s in samples),
    }


# -- reporting -------------------------------------------------------------------------


@dataclass
class Cycle:
    samples: list[dict[str, float]]
    expiry: dict[str, float]
    dropped: int


def header(args: argparse.Namespace, target: InProcess | External, opened: int, setup_s: float) -> list[str]:
    command = shlex.join([os.path.relpath(sys.executable), *sys.argv])
    mode = f"external (manage.py simulate, pid {target.pid})" if args.external else "in-process"
    return [
        f"## Simulator benchmark, {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        f"`{command}`",
        "",
        f"mode **{mode}**; {args.agents} agents, {args.queues} queues, {opened} statistics in "
        f"subscriptions of <= {args.chunk} (opened in {setup_s:.1f} s), {args.clients} Bayeux "
        f"client(s), target rate {args.rate:,.0f}/s, {args.cycles} x {args.seconds} one-second "
        f"samples, connect timeout {args.connect_timeout_ms} ms; Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs",
        "",
    ]


def cell(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def report(head: list[str], cycles: list[Cycle]) -> str:
    samples = [s for c in cycles for s in c.samples]
    lines = [*head, "| per second | median | min | max |", "|---|---:|---:|---:|"]
    for key in samples[0]:
        values = [s[key] for s in samples]
        lines.append(f"| {key} | {cell(statistics.median(values))} | {cell(min(values))} | {cell(max(values))} |")
    lines += [
        "",
        f"messages dropped from full client queues: {[c.dropped for c in cycles]}",
        "",
        "| after the clients stop polling | " + " | ".join(f"cycle {i + 1}" for i in range(len(cycles))) + " |",
        "|---|" + "---:|" * len(cycles),
    ]
    for key in cycles[0].expiry:
        lines.append(f"| {key} | " + " | ".join(cell(c.expiry[key]) for c in cycles) + " |")
    return "\n".join(lines)


# -- the run ---------------------------------------------------------------------------


async def one_cycle(
    args: argparse.Namespace, session: aiohttp.ClientSession, base_url: str, token: str, target: InProcess | External
) -> Cycle:
    """Clients poll under load for --seconds, then vanish; the simulator must expire them."""
    stop = asyncio.Event()
    clients = [BayeuxLoadClient(base_url, token) for _ in range(args.clients)]
    polls = [asyncio.create_task(c.poll(stop)) for c in clients]

    async def take() -> Snapshot:
        return await snapshot(session, base_url, target, clients)

    try:
        await asyncio.sleep(args.warmup)
        samples, snapshots = await sample(args.seconds, take)
    finally:
        stop.set()
        await asyncio.gather(*polls, return_exceptions=True)
    expiry = await watch_expiry(take, MAX_INTERVAL_S + args.connect_timeout_ms / 1000 + 15)
    expiry["re-handshakes"] = sum(c.rehandshakes for c in clients)
    return Cycle(samples, expiry, snapshots[-1].state["messages_dropped"])


async def run(args: argparse.Namespace) -> str:
    target: InProcess | External = External(args) if args.external else InProcess(args)
    base_url = await target.start()
    try:
        async with aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), headers={"x-api-key": CREDS.api_key}
        ) as session:
            token = await password_token(session, base_url)
            session.headers["Authorization"] = f"Bearer {token}"
            started = time.monotonic()
            opened = await open_statistics(session, base_url, args.statistics, args.chunk)
            head = header(args, target, opened, time.monotonic() - started)
            await control(session, base_url, "rate", {"updates_per_second": args.rate})
            cycles = [await one_cycle(args, session, base_url, token, target) for _ in range(args.cycles)]
            return report(head, cycles)
    finally:
        await target.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--queues", type=int, default=40)
    parser.add_argument("--statistics", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=1000, help="statistics per subscription")
    parser.add_argument("--rate", type=float, default=20_000, help="target updates per second")
    parser.add_argument("--seconds", type=int, default=10, help="one-second samples to take")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before sampling")
    parser.add_argument("--clients", type=int, default=1, help="Bayeux long-polling clients")
    parser.add_argument(
        "--cycles", type=int, default=1, help="poll-then-vanish cycles: more than one shows whether memory is reused"
    )
    parser.add_argument(
        "--connect-timeout-ms", type=int, default=5000, help="Bayeux advice timeout; clients expire after 30 s + this"
    )
    parser.add_argument(
        "--external", action="store_true", help="run `manage.py simulate` as a subprocess and measure its CPU alone"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(asyncio.run(run(parse_args())))
