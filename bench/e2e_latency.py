#!/usr/bin/env python
"""End-to-end latency of the whole product, from the upstream timestamp to a wallboard.

Why: issue 6 states its targets as a user sees them (a value on screen at most 20 ms
after Genesys stamped it, p50, with 200 wallboards at 2,000 updates/s). bench_bridge.py
stops at the channel layer; this runs the real `manage.py rundashboard` (embedded: its
own simulator, a temp SQLite, free ports) and real WebSocket clients, so daphne,
Channels and the consumers are in the number too.

Before the process starts: migrate, the demo content, and a dashboard `bench` (every
pre-configured statistic on every object it applies to: ~600 distinct statistics over
the default 50 agents / 8 queues) with a `bench` wallboard, whose kiosk token comes
from `manage.py wallboard_url`. Then the simulator's rate is set so that the bridge's
statistics get `--rate` updates/s, N sockets connect as that wallboard, and every STAT
of every update frame gives latency = receipt (time.time(), ms) - its `timestamp`.

The floor: a bare Bayeux long-polling client on the same upstream and user, with its
own subscription to some of the same statistics. The simulator sends an owner's updates
to all its CometD sessions, so the floor times the very batches the bridge gets (the
bridge drops the floor's records as stale). The simulator lives in rundashboard's event
loop, so the floor includes that loop's delays: it is the best any bridge could do here.

The load runs in child processes (sockets split over --client-processes, the floor
alone) so that the clients' JSON work does not delay the floor's receipts; each child
also reports its event-loop lag, the client-side delay hidden in every receipt time.

`--mode redis` measures the scaled-out deployment instead (bench/deployment.py: Redis,
PostgreSQL, `simulate`, two `rundashboard --no-bridge`, `runworker statsbridge`;
`--layer` picks channels-redis' layer): the sockets are split evenly over the two web
processes, the floor polls the separate simulator (so it no longer includes a web
process's loop), and CPU and RSS are reported per server process. The bridge worker's
own /metrics (STATSBRIDGE_METRICS_PORT) gives the bridge's counters, as rundashboard's
does in embedded mode.

    .venv/bin/python bench/e2e_latency.py --sockets 200 --rate 2000 --seconds 20
    .venv/bin/python bench/e2e_latency.py --mode redis --layer pubsub --sockets 200
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime
import multiprocessing
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from deployment import (  # noqa: E402
    Deployment,
    EmbeddedDeployment,
    Probe,
    Reading,
    RedisDeployment,
    bench_statistics,
    cpu_percent,
    dashboard_slugs,
    server_rss,
    wait_percent,
)

from statsbridge.simulator.model import ContactCenter  # noqa: E402

COMETD, UPDATES = "/statistics/v3/notifications", "/statistics/v3/updates"


# -- measuring ---------------------------------------------------------------------------


class Histogram:
    """Latencies in 0.1 ms bins: millions of values in constant memory."""

    PER_MS = 10

    def __init__(self, limit_ms: int = 60_000) -> None:
        self.bins = [0] * (limit_ms * self.PER_MS + 1)
        self.count = 0

    def add(self, latency_ms: float, count: int = 1) -> None:
        self.bins[min(max(int(latency_ms * self.PER_MS), 0), len(self.bins) - 1)] += count
        self.count += count

    def merge(self, other: Histogram) -> None:
        self.bins = [a + b for a, b in zip(self.bins, other.bins, strict=False)]
        self.count += other.count

    def percentile(self, q: float) -> float | None:
        running = 0
        for index, count in enumerate(self.bins):
            running += count
            if count and running >= q * self.count:
                return index / self.PER_MS
        return None


@dataclass
class Tally:
    """What one child process saw in the window; connection facts carry over a reset."""

    latency: Histogram = field(default_factory=Histogram)
    lag: Histogram = field(default_factory=Histogram)
    frames: int = 0
    values: int = 0
    bytes: int = 0
    per_socket: dict[int, int] = field(default_factory=dict)
    worst_ms: dict[int, float] = field(default_factory=dict)  # per wall-clock second: stalls show
    first_snapshot_ms: list[float] = field(default_factory=list)
    failed: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0  # the window's length, set at "stop"

    def record(self, received_s: float, stamps: list[int | None]) -> None:
        now_ms = received_s * 1000
        for stamp, count in Counter(stamps).items():
            if stamp is not None:
                self.latency.add(now_ms - stamp, count)
                second = int(received_s)
                self.worst_ms[second] = max(now_ms - stamp, self.worst_ms.get(second, 0.0))

    def reset(self) -> Tally:
        return Tally(
            per_socket=dict.fromkeys(self.per_socket, 0), first_snapshot_ms=self.first_snapshot_ms, failed=self.failed
        )

    def merge(self, other: Tally) -> None:
        self.latency.merge(other.latency)
        self.lag.merge(other.lag)
        self.frames, self.values, self.bytes = (
            self.frames + other.frames,
            self.values + other.values,
            self.bytes + other.bytes,
        )
        self.per_socket.update(other.per_socket)
        for second, worst in other.worst_ms.items():
            self.worst_ms[second] = max(worst, self.worst_ms.get(second, 0.0))
        self.first_snapshot_ms += other.first_snapshot_ms
        self.failed.update(other.failed)
        self.seconds = max(self.seconds, other.seconds)


def percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)] if ordered else None


# -- the load: each part runs in a child process -------------------------------------------


class LoadPart:
    """Built and run inside its child process; `tally` is what goes back to the parent."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session, self.tally = session, Tally()
        self.tasks = [asyncio.create_task(self._watch_lag())]

    async def start(self) -> None:
        raise NotImplementedError

    async def _watch_lag(self, every_s: float = 0.01) -> None:
        """How late this process's event loop wakes up: the client-side delay in receipts."""
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + every_s
            await asyncio.sleep(every_s)
            self.tally.lag.add((loop.time() - due) * 1000)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.session.close()


class Wallboards(LoadPart):
    """Kiosk sockets on /ws/dashboards/bench/; every STAT of every update is timed.
    `targets`: socket index -> (WebSocket URL, Origin), i.e. which web process."""

    def __init__(
        self, targets: dict[int, tuple[str, str]], concurrency: int, timeout: float, timed_every: int = 1
    ) -> None:
        super().__init__(aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)))
        self.targets, self.indexes, self.timeout = targets, list(targets), timeout
        self.timed_every = timed_every
        self.gate = asyncio.Semaphore(concurrency)
        self.tally.per_socket = dict.fromkeys(targets, 0)

    async def start(self) -> None:
        settled = [asyncio.get_running_loop().create_future() for _ in self.indexes]
        self.tasks += [asyncio.create_task(self._socket(i, f)) for i, f in zip(self.indexes, settled, strict=False)]
        await asyncio.wait(settled, timeout=self.timeout)
        if missing := sum(not f.done() for f in settled):
            self.tally.failed["no snapshot within --connect-timeout"] = missing

    async def _socket(self, index: int, settled: asyncio.Future) -> None:
        try:
            async with self.gate:  # at most `concurrency` handshakes + snapshots in flight
                started = time.time()
                url, origin = self.targets[index]
                ws = await self.session.ws_connect(url, headers={"Origin": origin}, max_msg_size=0)
                first = await asyncio.wait_for(ws.receive(), timeout=self.timeout)
                if first.type != aiohttp.WSMsgType.TEXT or not first.data.startswith('{"type":"snapshot"'):
                    raise aiohttp.ClientError(f"got {first.type.name} {ws.close_code or ''} instead")
                self.tally.first_snapshot_ms.append((time.time() - started) * 1000)
            settled.set_result(None)
            async for message in ws:
                received = time.time()
                if message.type == aiohttp.WSMsgType.TEXT:
                    self._frame(index, received, message.data)
            self.tally.failed[f"closed {ws.close_code} after the snapshot"] += 1
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            when = "after the snapshot" if settled.done() else "before a snapshot"
            self.tally.failed[f"{type(error).__name__} {str(error)[:50]} {when}"] += 1
        finally:
            if not settled.done():
                settled.set_result(None)

    def _frame(self, index: int, received: float, text: str) -> None:
        if index % self.timed_every:  # untimed: count without parsing (client CPU)
            if text.startswith('{"type":"update"'):
                values = text.count('"timestamp":')
                self.tally.frames += 1
                self.tally.values += values
                self.tally.bytes += len(text)
                self.tally.per_socket[index] += values
            return
        frame = orjson.loads(text)
        if frame.get("type") != "update":
            return
        stats, tally = frame["statistics"], self.tally
        tally.frames += 1
        tally.values += len(stats)
        tally.bytes += len(text)
        tally.per_socket[index] += len(stats)
        tally.record(received, [s.get("timestamp") for s in stats])


class FloorClient(LoadPart):
    """A bare CometD client: password grant, its own subscription, /meta/connect in a loop."""

    def __init__(self, base_url: str, credentials: dict, stats: list[dict]) -> None:
        super().__init__(
            aiohttp.ClientSession(
                cookie_jar=aiohttp.CookieJar(unsafe=True), headers={"x-api-key": credentials["api_key"]}
            )
        )
        self.base_url, self.creds, self.stats = base_url, credentials, stats
        self.client_id = ""

    async def start(self) -> None:
        self.session.headers["Authorization"] = f"Bearer {await self._token()}"
        body = {
            "operationId": "e2e-floor",
            "data": {"statistics": [{"statisticId": f"floor-{i}", **s} for i, s in enumerate(self.stats)]},
        }
        async with self.session.post(self.base_url + "/statistics/v3/subscriptions", json=body) as response:
            response.raise_for_status()
        [reply] = await self._send(
            {"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}
        )
        self.client_id = reply["clientId"]
        await self._connect()
        await self._send({"channel": "/meta/subscribe", "clientId": self.client_id, "subscription": UPDATES})
        self.tasks.append(asyncio.create_task(self._poll()))

    async def _token(self) -> str:
        basic = base64.b64encode(f"{self.creds['client_id']}:{self.creds['client_secret']}".encode()).decode()
        form = {"grant_type": "password", "username": self.creds["username"], "password": self.creds["password"]}
        async with self.session.post(
            self.base_url + "/auth/v3/oauth/token", data=form, headers={"Authorization": f"Basic {basic}"}
        ) as response:
            response.raise_for_status()
            return (await response.json())["access_token"]

    async def _send(self, *messages: dict) -> list[dict]:
        async with self.session.post(
            self.base_url + COMETD, data=orjson.dumps(list(messages)), headers={"Content-Type": "application/json"}
        ) as response:
            response.raise_for_status()
            body = await response.read()
        received, replies = time.time(), orjson.loads(body)
        for message in replies:
            if message.get("channel") == UPDATES:
                self.tally.record(received, [s.get("timestamp") for s in message["data"]["data"]["statistics"]])
        return replies

    async def _connect(self) -> list[dict]:
        return await self._send(
            {"channel": "/meta/connect", "clientId": self.client_id, "connectionType": "long-polling"}
        )

    async def _poll(self) -> None:
        while True:
            await self._connect()


def serve_part(factory: type[LoadPart], args: tuple, conn: Connection) -> None:
    """A child's main: start the part, say "ready"; "reset" starts the window, "stop"
    is answered with the part's Tally."""

    async def main() -> None:
        loop, part = asyncio.get_running_loop(), factory(*args)
        try:
            await part.start()
            conn.send("ready")
            while await loop.run_in_executor(None, conn.recv) == "reset":
                part.tally = part.tally.reset()
            part.tally.seconds = time.monotonic() - part.tally.started
            conn.send(part.tally)
        except Exception as error:  # the parent reports it and stops
            conn.send(f"failed: {error!r}")
        finally:
            await part.close()

    asyncio.run(main())


class Worker:
    """The parent's handle on one child process."""

    def __init__(self, factory: type[LoadPart], *args: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, self._child = context.Pipe()
        self.process = context.Process(target=serve_part, args=(factory, args, self._child), daemon=True)

    async def start(self) -> None:
        self.process.start()
        self._child.close()  # so that a dead child reads as EOF here
        await self._receive()

    def reset(self) -> None:
        self.conn.send("reset")

    def lower_priority(self, nice: int) -> None:
        """`--bulk-nice`: this load process yields the CPU to the servers (and to the timed
        process): it stands for browsers on other machines, which take no server CPU.
        SCHED_BATCH also stops its wake-ups (one per frame delivered) from preempting them."""
        os.setpriority(os.PRIO_PROCESS, self.process.pid, nice)
        os.sched_setscheduler(self.process.pid, os.SCHED_BATCH, os.sched_param(0))

    async def stop(self) -> Tally:
        self.conn.send("stop")
        tally = await self._receive()
        self.process.join(timeout=10)
        return tally

    async def _receive(self, timeout: float = 900) -> Any:
        answer = lambda: self.conn.recv() if self.conn.poll(timeout) else "failed: no answer"  # noqa: E731
        reply = await asyncio.get_running_loop().run_in_executor(None, answer)
        if isinstance(reply, str) and reply.startswith("failed"):
            raise SystemExit(f"a load process {reply}")
        return reply


async def sample_cpu(probe: Probe, seconds: int) -> tuple[Reading, Reading, dict[str, list[float]]]:
    """Readings at the start and end of the window, and each server process's CPU % per second."""
    loop = asyncio.get_running_loop()
    first = previous = await probe.read()
    start, per_second = loop.time(), {}
    for i in range(1, seconds + 1):
        await asyncio.sleep(max(0.0, start + i - loop.time()))
        current = await probe.read()
        shares = cpu_percent(previous, current)
        for name, share in {**shares, "all": sum(shares.values())}.items():
            per_second.setdefault(name, []).append(share)
        previous = current
    return first, previous, per_second


# -- the run ----------------------------------------------------------------------------------


@dataclass
class Result:
    before: Reading
    after: Reading
    rss_idle: dict[str, int]
    rss_sockets: dict[str, int]
    cpu_per_second: dict[str, list[float]]
    clients: Tally
    floor: Tally
    bridge_statistics: int
    simulator_rate: float
    timed_lag: str = ""  # the timed sockets' own process (--timed-apart): its lag p50 / p99


def wallboard_client(name: str) -> type[LoadPart]:
    """`--client`: aiohttp's WebSocket client, or frames parsed by hand (raw_wallboards.py),
    which leaves the server the CPU that thousands of aiohttp sockets take on a shared machine."""
    if name == "raw":
        from raw_wallboards import RawWallboards

        return RawWallboards
    return Wallboards


def socket_targets(args: argparse.Namespace, deployment: Deployment, token: str) -> dict[int, tuple[str, str]]:
    """Socket i -> (URL, Origin): the first half on the first web process, and so on, so
    the timed sockets (every K-th) and each client process spread over all of them; with
    `--dashboards`, socket i watches dashboard i mod N (each gets about rate/N values/s)."""
    webs, slugs, query = deployment.web_urls, dashboard_slugs(args.dashboards), quote(token, safe="")
    origins = [webs[i * len(webs) // args.sockets] for i in range(args.sockets)]
    return {
        i: (origin.replace("http", "ws", 1) + f"/ws/dashboards/{slugs[i % len(slugs)]}/?token={query}", origin)
        for i, origin in enumerate(origins)
    }


async def connect_wallboards(args: argparse.Namespace, targets: dict[int, tuple[str, str]]) -> list[Worker]:
    """The sockets dealt over `--client-processes`; with `--timed-apart`, the timed ones
    (every K-th) first in a process of their own, as the floor client is: on a machine
    the load saturates, a busy client process's own scheduling delay (its event-loop
    lag, reported) is in every value it times, and a browser on its own machine has none."""
    indexes = list(range(args.sockets))
    shares = []
    if args.timed_apart:
        shares.append({i: targets[i] for i in indexes if i % args.timed_every == 0})
        indexes = [i for i in indexes if i % args.timed_every]
    shares += [{i: targets[i] for i in indexes[p :: args.client_processes]} for p in range(args.client_processes)]
    concurrency = max(1, args.connect_concurrency // args.client_processes)
    factory = wallboard_client(args.client)
    workers = [Worker(factory, share, concurrency, args.connect_timeout, args.timed_every) for share in shares if share]
    await asyncio.gather(*(w.start() for w in workers))
    if args.bulk_nice:
        for worker in workers[1 if args.timed_apart else 0 :]:
            worker.lower_priority(args.bulk_nice)
    return workers


async def measure(args: argparse.Namespace, deployment: Deployment, token: str, stats: list[dict]) -> Result:
    probe = Probe(aiohttp.ClientSession(), deployment)
    async with probe.session:
        bridge = await probe.wait_for_bridge(len(stats))
        credentials = (await probe.json(deployment.simulator_url + "/simulator/v1/objects"))["credentials"]
        floor = Worker(FloorClient, deployment.simulator_url, credentials, stats[: args.floor_statistics])
        await floor.start()
        # The simulator's round-robin covers every open statistic: scale so the bridge's get --rate.
        simulator_rate = args.rate * (bridge["statistics"] + args.floor_statistics) / bridge["statistics"]
        if not args.connect_before_load:  # by default the sockets join a live system
            await probe.set_rate(simulator_rate)
            await asyncio.sleep(args.warmup)
        rss_idle = server_rss(deployment.pids())
        clients = await connect_wallboards(args, socket_targets(args, deployment, token))
        await asyncio.sleep(args.settle)
        rss_sockets = server_rss(deployment.pids())
        if args.connect_before_load:
            await probe.set_rate(simulator_rate)
            await asyncio.sleep(args.warmup)
        probe.clients, probe.floor = [c.process.pid for c in clients], floor.process.pid or 0
        for worker in (floor, *clients):
            worker.reset()  # the window starts now: steady state only
        before, after, cpu = await sample_cpu(probe, args.seconds)
        tallies = await asyncio.gather(*(w.stop() for w in (floor, *clients)))
        await probe.set_rate(0)
    timed_lag = (
        f"{ms(tallies[1].lag.percentile(0.5))} / {ms(tallies[1].lag.percentile(0.99))}" if args.timed_apart else ""
    )
    for tally in tallies[2:]:
        tallies[1].merge(tally)
    return Result(
        before,
        after,
        rss_idle,
        rss_sockets,
        cpu,
        tallies[1],
        tallies[0],
        bridge["statistics"],
        simulator_rate,
        timed_lag,
    )


# -- the report -------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f">= {value:,.0f}" if value >= len(Histogram().bins) / Histogram.PER_MS - 1 else f"{value:,.1f}"


def rates(args: argparse.Namespace, r: Result) -> dict[str, Any]:
    wall, seconds = r.after.wall - r.before.wall, r.clients.seconds or 1.0
    delta = lambda name: (r.after.metrics.get(name, 0) - r.before.metrics.get(name, 0)) / wall  # noqa: E731
    servers = cpu_percent(r.before, r.after)
    cpu = {
        "servers": sum(servers.values()),
        "clients_cpu": 100 * (r.after.clients_cpu - r.before.clients_cpu) / wall,
        "floor_cpu": 100 * (r.after.floor_cpu - r.before.floor_cpu) / wall,
    }
    busy, total = (after - before for after, before in zip(r.after.machine, r.before.machine, strict=False))
    machine = 100 * busy / total * (os.cpu_count() or 1) if total else 0.0
    published = (r.after.published - r.before.published) / wall
    # The bridge's own counters: rundashboard's /metrics, or the worker's own listener;
    # should neither answer, its share of what the simulator published (the rest is the floor's).
    bridged = "statsbridge_updates_in_total" in r.after.metrics
    share = r.bridge_statistics / (r.bridge_statistics + args.floor_statistics)
    return {
        "published": published,
        "bridged": bridged,
        "updates_in": delta("statsbridge_updates_in_total") if bridged else published * share,
        "stale": delta("statsbridge_stale_updates_total"),
        "frames_out": delta("statsbridge_frames_out_total"),
        "values_out": delta("statsbridge_values_out_total"),
        **{
            f"socket_{name}": delta(f"dashboard_socket_{name}_total")
            for name in ("frames_out", "frames_held", "values_coalesced", "layer_messages_in", "layer_batches_merged")
        },
        "fell_behind": delta("dashboard_socket_sockets_fell_behind_total") * wall,
        "closed_behind": delta("dashboard_socket_sockets_closed_behind_total") * wall,
        "gc_full": delta("dashboard_gc_full_collections") * wall,
        "frames": r.clients.frames / seconds,
        "values": r.clients.values / seconds,
        "mb": r.clients.bytes / seconds / 1e6,
        "server_cpu": servers,
        **cpu,
        "others_cpu": machine - sum(cpu.values()),
    }


def latency_rows(r: Result, sockets: int) -> list[str]:
    targets = {0.5: "<= 20" if sockets <= 200 else "", 0.95: "", 0.99: "<= 150" if sockets <= 200 else "<= 250"}
    rows = []
    for q, target in targets.items():
        ours, floor = r.clients.latency.percentile(q), r.floor.latency.percentile(q)
        ratio = f"{ours / floor:,.1f}x" if ours is not None and floor else "n/a"
        rows.append(f"| latency p{q * 100:.0f}, ms (floor; ratio) | **{ms(ours)}** ({ms(floor)}; {ratio}) | {target} |")
    return rows


def stalls(tally: Tally, shown: int = 3) -> str:
    """The median of the per-second worst latencies, and the worst seconds of the window."""
    if not tally.worst_ms:
        return "n/a"
    start = min(tally.worst_ms)
    slowest = sorted(sorted(tally.worst_ms.items(), key=lambda item: -item[1])[:shown])
    listed = ", ".join(f"{second - start} s: {worst:,.0f}" for second, worst in slowest)
    began = datetime.datetime.fromtimestamp(start).astimezone()
    return f"{statistics.median(tally.worst_ms.values()):,.0f}; {listed} (seconds from {began:%H:%M:%S})"


def server_rows(r: Result, x: dict[str, Any], connected: int) -> list[str]:
    per_s = r.cpu_per_second
    cpu = ", ".join(
        f"{name} {share:.0f} ({statistics.median(per_s[name]):.0f}/{max(per_s[name]):.0f})"
        for name, share in x["server_cpu"].items()
    )
    mib = lambda rss: sum(rss.values()) / 2**20  # noqa: E731
    rss = ", ".join(
        f"{name} {r.rss_idle.get(name, 0) / 2**20:.0f} / {r.rss_sockets.get(name, 0) / 2**20:.0f} / {value / 2**20:.0f}"
        for name, value in r.after.rss.items()
    )
    web = [name for name in r.rss_sockets if name.startswith(("web", "rundashboard"))]
    per_connection = sum(r.rss_sockets[n] - r.rss_idle.get(n, 0) for n in web) / max(connected, 1) / 1024
    return [
        f"| server CPU % of a core, window (median s / max s) | {cpu}; **sum {x['servers']:.0f}** "
        f"({statistics.median(per_s['all']):.0f}/{max(per_s['all']):.0f}) | |",
        f"| server RSS MiB: no sockets / sockets / end | {rss}; sum {mib(r.rss_idle):.0f} / "
        f"{mib(r.rss_sockets):.0f} / {mib(r.after.rss):.0f} | |",
        f"| memory per connection (web processes), KiB | {per_connection:,.0f} | |",
        "| main threads waiting for a core, % of the window | "
        + ", ".join(f"{name} {share:.0f}" for name, share in wait_percent(r.before, r.after).items())
        + " | |",
    ]


def report(args: argparse.Namespace, r: Result, load_at_start: str) -> str:
    x, c = rates(args, r), r.clients
    per_socket = [n / (c.seconds or 1.0) for n in c.per_socket.values()] or [0.0]
    lost = x["updates_in"] - statistics.median(per_socket)
    lags = [f"{ms(t.lag.percentile(0.5))} / {ms(t.lag.percentile(0.99))}" for t in (c, r.floor)]
    connected, failures = len(c.first_snapshot_ms), f" {dict(c.failed)}" if c.failed else ""
    mode = args.mode + (f", {args.layer} layer" if args.mode == "redis" else "")
    bridge = (
        f"{x['updates_in']:,.0f}; {x['stale']:,.0f}"
        if x["bridged"]
        else f"{x['updates_in']:,.0f} (the bridge's share of published/s: its /metrics did not answer); n/a"
    )
    return "\n".join(
        [
            f"### {mode}: {args.sockets} sockets, {args.rate:,.0f} updates/s "
            f"({datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z})",
            "",
            f"`{shlex.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}`",
            "",
            f"Machine: {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}; load average at start "
            f"{load_at_start}; CPU used outside these processes during the window (other sessions, kernel): "
            f"{x['others_cpu']:.0f}% of one core.",
            "",
            "| measure | value | target |",
            "|---|---:|---:|",
            f"| sockets with a snapshot / asked | {connected} / {args.sockets}{failures} | |",
            *latency_rows(r, args.sockets),
            f"| STATs timed / floor records timed | {c.latency.count:,} / {r.floor.latency.count:,} | |",
            f"| time to first snapshot median / p95, ms | {ms(percentile(c.first_snapshot_ms, 0.5))} / "
            f"{ms(percentile(c.first_snapshot_ms, 0.95))} | |",
            f"| bridge statistics; simulator rate set, published/s | {r.bridge_statistics}; "
            f"{r.simulator_rate:,.0f}, {x['published']:,.0f} | |",
            f"| bridge updates in/s; stale (the floor's) /s | {bridge} | {args.rate:,.0f} |",
            "| bridge frames out/s, values out/s (all groups) | "
            + (f"{x['frames_out']:,.0f}, {x['values_out']:,.0f} | |" if x["bridged"] else "n/a | |"),
            f"| web processes: frames to sockets/s, held/s, values coalesced/s; sockets fell / closed behind "
            f"| {x['socket_frames_out']:,.0f}, {x['socket_frames_held']:,.0f}, {x['socket_values_coalesced']:,.0f}; "
            f"{x['fell_behind']:.0f} / {x['closed_behind']:.0f} | |",
            f"| web processes: layer messages in/s, of which merged into the one before/s "
            f"| {x['socket_layer_messages_in']:,.1f}, {x['socket_layer_batches_merged']:,.1f} | |",
            f"| web processes: full garbage collections in the window | {x['gc_full']:.0f} | |",
            f"| clients: frames/s, values/s, MB/s | {x['frames']:,.0f}, {x['values']:,.0f}, {x['mb']:,.1f} | |",
            f"| values/s per socket median / min | {statistics.median(per_socket):,.0f} / {min(per_socket):,.0f} | |",
            f"| coalesced or dropped per socket, /s | {lost:,.0f} ({100 * lost / max(x['updates_in'], 1):.1f}%) | |",
            *server_rows(r, x, connected),
            f"| CPU %: clients ({args.client_processes} processes) / floor | {x['clients_cpu']:.0f} / "
            f"{x['floor_cpu']:.0f} | |",
            f"| event-loop lag p50 / p99, ms: clients; floor | {lags[0]}; {lags[1]}"
            + (f"; the timed sockets' own process {r.timed_lag}" if r.timed_lag else "")
            + " | |",
            f"| worst latency per second, ms: median; the worst seconds | {stalls(c)} | |",
        ]
    )


def run(args: argparse.Namespace) -> str:
    load_at_start = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    stats = bench_statistics(ContactCenter(agents=50, queues=8).objects())  # the simulator's default center
    with tempfile.TemporaryDirectory(prefix="e2e-latency-") as workdir:
        deployment: Deployment = (
            RedisDeployment(Path(workdir), args.layer) if args.mode == "redis" else EmbeddedDeployment(Path(workdir))
        )
        deployment.dashboards = args.dashboards
        try:
            token = deployment.start(stats)
            print(f"server pids (for py-spy): {deployment.pids()}", file=sys.stderr, flush=True)
            result = asyncio.run(measure(args, deployment, token, stats))
        finally:
            deployment.stop(args.log)
    return report(args, result, load_at_start)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add(
        "--mode",
        choices=("embedded", "redis"),
        default="embedded",
        help="embedded: one rundashboard; redis: 2 web processes + runworker statsbridge (bench/deployment.py)",
    )
    add(
        "--layer",
        choices=("core", "pubsub"),
        default="core",
        help="redis mode: RedisChannelLayer (core) or RedisPubSubChannelLayer (pubsub)",
    )
    add("--sockets", type=int, default=200, help="wallboard WebSockets")
    add("--dashboards", type=int, default=1, help="deal the statistics and the sockets over this many dashboards")
    add("--rate", type=float, default=2000, help="updates/s into the bridge's statistics")
    add("--seconds", type=int, default=20, help="the measurement window")
    add("--warmup", type=float, default=3.0, help="seconds of load before the sockets connect")
    add("--settle", type=float, default=8.0, help="seconds from the last snapshot to the window (backlogs drain)")
    add("--connect-concurrency", type=int, default=50, help="handshakes in flight at once")
    add("--connect-timeout", type=float, default=60, help="seconds for the sockets to get their snapshots")
    add("--connect-before-load", action="store_true", help="connect first, then set the rate (steady state only)")
    add("--client-processes", type=int, default=2, help="processes sharing the sockets")
    add("--timed-apart", action="store_true", help="the timed sockets in a process of their own (connect_wallboards)")
    add(
        "--client",
        choices=("aiohttp", "raw"),
        default="aiohttp",
        help="the wallboard sockets' client (raw_wallboards.py)",
    )
    add(
        "--bulk-nice",
        type=int,
        default=0,
        help="untimed load processes at this nice level and SCHED_BATCH (0: as the servers)",
    )
    add("--floor-statistics", type=int, default=50, help="statistics in the floor's subscription")
    add(
        "--timed-every",
        type=int,
        default=1,
        help="time every STAT of one socket in K (the others only count): keeps the clients' CPU off the result",
    )
    add("--log", help="keep the server processes' logs in this file")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(run(parse_args()))
