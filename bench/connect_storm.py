#!/usr/bin/env python
"""Connect storms under load (issue 20): N wallboards connect at once while the bridge
carries 2,000 updates/s, beside sockets that were already there.

Why: steady state is close to its floor (bench/e2e_latency.py); what users wait on is a
web process restart or a morning's switch-on, when hundreds of screens connect together.
Two figures, both from one run of this script:

- **residents**: `--residents` sockets connected (and settled) before the storm; every
  STAT they receive from just before the storm until `--after` seconds after its last
  snapshot is timed (receipt - upstream `timestamp`). Target at 1,000 storm sockets:
  p99 <= 250 ms.
- **storm**: `--sockets` sockets opened at once (no handshake limit); each one's time
  to its snapshot, how handshakes failed (HTTP status, resets), and the latency of every
  STAT it receives from its first frame on, no warm-up (target at 200: p99 <= 50 ms).

Beside them, the floor: a bare Bayeux client on the same upstream (as in e2e_latency.py).
`--mode redis` runs the scaled-out deployment of bench/deployment.py (two web processes,
the sockets split over them): the scale-out harness's storm figures. `--dashboards N`
deals the statistics over N dashboards and the sockets over them (each socket then gets
about rate/N values a second, as real wallboards do, instead of all of them: 5,000
sockets each taking all 2,000 values/s would be ~1 GB/s); the report then also gives
the web processes' RSS growth per socket.

    .venv/bin/python bench/connect_storm.py --sockets 1000 --residents 100
    .venv/bin/python bench/connect_storm.py --sockets 200 --residents 0
    .venv/bin/python bench/connect_storm.py --mode redis --sockets 1000 --residents 100
    .venv/bin/python bench/connect_storm.py --mode redis --dashboards 100 --sockets 5000 --residents 0 \
        --storm-concurrency 200 --client-processes 4 --storm-timed-every 10 --after 30
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from deployment import (  # noqa: E402
    METRIC_LINE,
    Deployment,
    EmbeddedDeployment,
    Probe,
    RedisDeployment,
    bench_statistics,
    dashboard_slugs,
    server_cpu,
    server_rss,
)
from e2e_latency import (  # noqa: E402
    FloorClient,
    LoadPart,
    Tally,
    Wallboards,
    Worker,
    ms,
    percentile,
    wallboard_client,
)

from statsbridge.simulator.model import ContactCenter  # noqa: E402


def targets(deployment: Deployment, token: str, indexes: range) -> dict[int, tuple[str, str]]:
    """Socket i -> (URL, Origin), spread round-robin over the web processes and (with
    `--dashboards`) over the dashboards, so each process gets every dashboard."""
    webs, slugs, query = deployment.web_urls, dashboard_slugs(deployment.dashboards), quote(token, safe="")
    return {
        i: (
            webs[i % len(webs)].replace("http", "ws", 1)
            + f"/ws/dashboards/{slugs[(i // len(webs)) % len(slugs)]}/?token={query}",
            webs[i % len(webs)],
        )
        for i in indexes
    }


async def open_sockets(
    deployment: Deployment,
    token: str,
    indexes: range,
    processes: int,
    concurrency: int,
    timed_every: int,
    client: type[LoadPart] = Wallboards,
) -> list[Worker]:
    """Child processes holding these sockets; returns once each has its snapshot (or failed)."""
    every = targets(deployment, token, indexes)
    shares = [{i: every[i] for i in list(every)[p::processes]} for p in range(processes)]
    workers = [Worker(client, share, max(1, concurrency // processes), 60.0, timed_every) for share in shares if share]
    await asyncio.gather(*(w.start() for w in workers))
    return workers


async def merged(workers: list[Worker]) -> Tally:
    tallies = await asyncio.gather(*(w.stop() for w in workers))
    for tally in tallies[1:]:
        tallies[0].merge(tally)
    return tallies[0]


async def run_storm(args: argparse.Namespace, deployment: Deployment, token: str, stats: list[dict]) -> dict:
    probe = Probe(aiohttp.ClientSession(), deployment)
    async with probe.session:
        bridge = await probe.wait_for_bridge(len(stats))
        credentials = (await probe.json(deployment.simulator_url + "/simulator/v1/objects"))["credentials"]
        floor = Worker(FloorClient, deployment.simulator_url, credentials, stats[:50])
        await floor.start()
        await probe.set_rate(args.rate * (bridge["statistics"] + 50) / bridge["statistics"])
        await asyncio.sleep(args.warmup)
        residents = []
        if args.residents:
            residents = await open_sockets(
                deployment,
                token,
                range(args.residents),
                1,
                50,
                args.resident_timed_every,
                wallboard_client(args.client),
            )
            await asyncio.sleep(args.settle)
        for worker in (floor, *residents):
            worker.reset()
        rss_before = server_rss(deployment.pids())
        started, cpu_before = time.monotonic(), server_cpu(deployment.pids())
        counters_before = await socket_counters(probe, deployment)
        storm_range = range(args.residents, args.residents + args.sockets)
        storm = await open_sockets(
            deployment,
            token,
            storm_range,
            args.client_processes,
            args.storm_concurrency or args.sockets,
            args.storm_timed_every,
            wallboard_client(args.client),
        )
        storm_s = time.monotonic() - started
        cpu_storm = cpu_seconds(cpu_before, server_cpu(deployment.pids()))
        await asyncio.sleep(args.after)
        rss_after = server_rss(deployment.pids())
        counters = await socket_counters(probe, deployment)
        counters = {name: value - counters_before.get(name, 0.0) for name, value in counters.items()}
        resident_tally = await merged(residents) if residents else Tally()
        storm_tally, floor_tally = await merged(storm), await floor.stop()
        await probe.set_rate(0)
    return {
        "residents": resident_tally,
        "storm": storm_tally,
        "floor": floor_tally,
        "storm_s": storm_s,
        "cpu_storm": cpu_storm,
        "counters": counters,
        "rss": (rss_before, rss_after),
    }


async def socket_counters(probe: Probe, deployment: Deployment) -> dict[str, float]:
    """The web processes' socket counters and the bridge's snapshot ones, summed."""
    found: dict[str, float] = {}
    for url in deployment.metrics_urls:
        try:
            async with probe.session.get(url) as response:
                for name, value in METRIC_LINE.findall(await response.text()):
                    if name.startswith(("dashboard_socket_", "statsbridge_snapshots")):
                        found[name] = found.get(name, 0.0) + float(value)
        except aiohttp.ClientError:
            pass
    return found


def cpu_seconds(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    """CPU seconds each server process used between two readings: on a busy shared
    machine this moves far less than wall-clock figures do."""
    return {
        name: sum(s - before.get(name, {}).get(pid, s) for pid, s in pids.items())
        for name, pids in after.items()
        if name != "postgres"
    }


def failures(tally: Tally) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(tally.failed.items())) or "none"


def counter_text(counters: dict[str, float]) -> str:
    shown = {k.removeprefix("dashboard_socket_").removesuffix("_total"): v for k, v in counters.items() if v}
    return ", ".join(f"{name} {value:,.0f}" for name, value in sorted(shown.items())) or "none moved"


def cpu_text(cpu: dict[str, float], sockets: int) -> str:
    total = sum(cpu.values())
    parts = ", ".join(f"{name} {value:.1f}" for name, value in cpu.items())
    return f"{total:.1f} ({1000 * total / max(sockets, 1):.1f}); {parts}"


def latency(tally: Tally, floor: Tally) -> str:
    quantiles = [tally.latency.percentile(q) for q in (0.5, 0.95, 0.99)]
    floors = [floor.latency.percentile(q) for q in (0.5, 0.99)]
    return (
        f"{' / '.join(ms(q) for q in quantiles)} (floor p50 / p99 {ms(floors[0])} / {ms(floors[1])}; "
        f"{tally.latency.count:,} STATs)"
    )


def report(args: argparse.Namespace, result: dict, load: str) -> str:
    storm, residents, floor = result["storm"], result["residents"], result["floor"]
    snaps = storm.first_snapshot_ms
    late = sum(1 for s in snaps if s > 5000)
    mode = args.mode + (f", {args.layer} layer" if args.mode == "redis" else "")
    return "\n".join(
        [
            f"### connect storm, {mode}: {args.sockets} sockets at once beside {args.residents}, "
            f"{args.rate:,.0f} updates/s ({datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z})",
            "",
            f"`{shlex.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}`",
            "",
            f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; load average at start {load}, "
            f"at end {' '.join(Path('/proc/loadavg').read_text().split()[:3])}.",
            "",
            "| measure | value |",
            "|---|---:|",
            f"| storm: sockets with a snapshot / opened; over 5 s | {len(snaps)} / {args.sockets}; {late} |",
            f"| storm: time to snapshot p50 / p95 / max, ms | {ms(percentile(snaps, 0.5))} / "
            f"{ms(percentile(snaps, 0.95))} / {ms(max(snaps, default=None))} |",
            f"| storm: all snapshots in, s | {result['storm_s']:.1f} |",
            f"| storm: failures | {failures(storm)} |",
            f"| server CPU seconds from the storm's start to its last snapshot (per storm socket, ms) | "
            f"{cpu_text(result['cpu_storm'], args.sockets)} |",
            f"| **residents** latency p50 / p95 / p99, ms | {latency(residents, floor)} |",
            f"| residents: failures | {failures(residents)} |",
            f"| **storm sockets from their first frame**, p50 / p95 / p99, ms | {latency(storm, floor)} |",
            f"| counters over the storm and after (web processes, bridge) | {counter_text(result['counters'])} |",
            f"| client event-loop lag p99, ms: residents / storm | {ms(residents.lag.percentile(0.99))} / "
            f"{ms(storm.lag.percentile(0.99))} |",
            f"| web processes' RSS before / after the storm, MiB; growth per storm socket, KiB | {rss_text(result, args)} |",
            f"| storm sockets: values per socket per second over the storm and after (dashboards: {args.dashboards}) | "
            f"{storm.values / max(1, len(snaps)) / (result['storm_s'] + args.after):,.1f} |",
        ]
    )


def rss_text(result: dict, args: argparse.Namespace) -> str:
    """The web processes only (`rundashboard`, `web<n>`): the bridge worker, simulator
    and Redis do not grow with sockets."""
    before, after = result["rss"]
    webs = [name for name in after if name == "rundashboard" or name.startswith("web")]
    b, a = sum(before.get(n, 0) for n in webs), sum(after.get(n, 0) for n in webs)
    return f"{b / 2**20:,.1f} / {a / 2**20:,.1f}; {(a - b) / 1024 / max(1, args.sockets):,.1f}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--mode", choices=("embedded", "redis"), default="embedded")
    add("--layer", choices=("core", "pubsub"), default="core")
    add("--sockets", type=int, default=1000, help="sockets opened at once (the storm)")
    add("--residents", type=int, default=100, help="sockets connected before the storm")
    add("--rate", type=float, default=2000, help="updates/s into the bridge's statistics")
    add("--dashboards", type=int, default=1, help="deal the statistics and the sockets over this many dashboards")
    add("--storm-concurrency", type=int, default=0, help="storm handshakes in flight at once (0: all)")
    add("--warmup", type=float, default=3.0, help="seconds of load before any socket")
    add("--settle", type=float, default=5.0, help="seconds between the residents' snapshots and the storm")
    add("--after", type=float, default=5.0, help="seconds measured after the storm's last snapshot")
    add("--client-processes", type=int, default=2, help="processes sharing the storm's sockets")
    add(
        "--client",
        choices=("aiohttp", "raw"),
        default="aiohttp",
        help="the wallboard sockets' client (raw_wallboards.py)",
    )
    add("--resident-timed-every", type=int, default=1, help="time every STAT of one resident in K")
    add("--storm-timed-every", type=int, default=1, help="time every STAT of one storm socket in K")
    add("--log", help="keep the server processes' logs in this file")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    stats = bench_statistics(ContactCenter(agents=50, queues=8).objects())
    with tempfile.TemporaryDirectory(prefix="connect-storm-") as workdir:
        deployment: Deployment = (
            RedisDeployment(Path(workdir), args.layer) if args.mode == "redis" else EmbeddedDeployment(Path(workdir))
        )
        deployment.dashboards = args.dashboards
        try:
            token = deployment.start(stats)
            print(f"server pids (for py-spy): {deployment.pids()}", file=sys.stderr, flush=True)
            result = asyncio.run(run_storm(args, deployment, token, stats))
        finally:
            deployment.stop(args.log)
    print(report(args, result, load))


if __name__ == "__main__":
    main()
