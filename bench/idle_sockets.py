#!/usr/bin/env python
"""Issue 6 "connections": N idle-ish wallboard sockets held by one web process.

Runs the real `rundashboard` (embedded simulator, demo content), opens N kiosk sockets
on one demo dashboard (the `floor` wallboard's token), sets the simulator's rate so the
sockets get a trickle of updates, and reports server RSS per socket (after the
connect burst has settled), update frames per socket per second, and server CPU.

    .venv/bin/python bench/idle_sockets.py --sockets 5000 --dashboard queues --rate 40
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_simulator import proc_cpu_seconds, proc_rss_bytes  # noqa: E402

from tests.support.processes import ManagedProcess, kiosk_socket_path, running_dashboard  # noqa: E402


class Held:
    def __init__(self, sockets: int) -> None:
        self.snapshots = 0
        self.frames = [0] * sockets
        self.counting = False

    async def hold(
        self, index: int, session: aiohttp.ClientSession, url: str, origin: str, gate: asyncio.Semaphore
    ) -> None:
        async with gate:
            ws = await session.ws_connect(url, headers={"Origin": origin})
            first = await ws.receive()
            self.snapshots += first.type == aiohttp.WSMsgType.TEXT and first.data.startswith('{"type":"snapshot"')
        async for message in ws:
            if self.counting and message.type == aiohttp.WSMsgType.TEXT and message.data.startswith('{"type":"update"'):
                self.frames[index] += 1


async def measure(server: ManagedProcess, args: argparse.Namespace) -> dict:
    pid, origin = server.process.pid, server.extra["url"]  # type: ignore[union-attr]
    url = server.extra["url"].replace("http", "ws", 1) + kiosk_socket_path(server, args.dashboard)
    simulator = f"http://127.0.0.1:{server.extra['simulator_port']}/simulator/v1/rate"
    httpx.post(simulator, json={"updates_per_second": args.rate}, timeout=10).raise_for_status()
    await asyncio.sleep(5)
    rss_before, held, gate = proc_rss_bytes(pid), Held(args.sockets), asyncio.Semaphore(50)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        started = time.monotonic()
        tasks = [asyncio.create_task(held.hold(i, session, url, origin, gate)) for i in range(args.sockets)]
        while held.snapshots < args.sockets and time.monotonic() - started < 300:
            await asyncio.sleep(0.2)
        connect_s = time.monotonic() - started
        await asyncio.sleep(10)
        rss_after, cpu_before, held.counting = proc_rss_bytes(pid), proc_cpu_seconds(pid), True
        await asyncio.sleep(args.seconds)
        held.counting, cpu = False, proc_cpu_seconds(pid) - cpu_before
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    per_second = [n / args.seconds for n in held.frames]
    return {
        "sockets with a snapshot": f"{held.snapshots} / {args.sockets}",
        "connect burst, s": round(connect_s, 1),
        "server RSS MiB before / with sockets": f"{rss_before >> 20} / {rss_after >> 20}",
        "RSS per socket, KiB": round((rss_after - rss_before) / args.sockets / 1024, 1),
        "update frames per socket per s, median / min": f"{statistics.median(per_second):.1f} / {min(per_second):.1f}",
        "server CPU % of a core while held": round(100 * cpu / args.seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=5000)
    parser.add_argument("--dashboard", default="queues", help="a dashboard of the `floor` wallboard")
    parser.add_argument("--rate", type=float, default=40, help="simulator updates/s, all statistics")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    with running_dashboard("idle-sockets-") as server:
        result = asyncio.run(measure(server, args))
    for key, value in result.items():
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
