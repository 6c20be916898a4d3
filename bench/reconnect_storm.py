#!/usr/bin/env python
"""Issue 7, row 10: restart daphne under N wallboard sockets; how do they come back?

Runs the real `rundashboard` (embedded simulator, temp SQLite), opens N kiosk sockets
that reconnect exactly as static/js/socket.js does (jittered exponential backoff: the
n-th retry waits U(c/2, c) with c = min(30 s, 1 s * 2**n); a socket that opens starts
again at n = 0), stops the server with SIGTERM, starts it again on the same ports, and
reports: how long until every socket had a new snapshot, how the reconnects spread over
time (peak handshakes per second), and how handshakes failed (refused while down,
HTTP 5xx, resets, timeouts).

    .venv/bin/python bench/reconnect_storm.py --sockets 1000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.processes import ManagedProcess, kiosk_socket_path, running_dashboard  # noqa: E402


@dataclass
class Storm:
    attempts: list[float] = field(default_factory=list)  # wall time of every handshake attempt
    failures: Counter[str] = field(default_factory=Counter)
    snapshots: dict[int, float] = field(default_factory=dict)  # socket -> wall time of its latest snapshot


class KioskSocket:
    """One wallboard, reconnecting like socket.js."""

    def __init__(self, index: int, url: str, origin: str, storm: Storm) -> None:
        self.index, self.url, self.origin, self.storm = index, url, origin, storm
        self.retries = 0

    async def run(self, session: aiohttp.ClientSession) -> None:
        while True:
            self.storm.attempts.append(time.time())
            try:
                async with session.ws_connect(
                    self.url,
                    headers={"Origin": self.origin},
                    max_msg_size=0,
                    timeout=aiohttp.ClientWSTimeout(ws_close=5),
                ) as ws:
                    self.retries = 0
                    async for message in ws:
                        if message.type == aiohttp.WSMsgType.TEXT and message.data.startswith('{"type":"snapshot"'):
                            self.storm.snapshots[self.index] = time.time()
            except aiohttp.WSServerHandshakeError as error:
                self.storm.failures[f"HTTP {error.status}"] += 1
            except (aiohttp.ClientConnectorError, ConnectionRefusedError):
                self.storm.failures["refused (server down)"] += 1
            except (TimeoutError, aiohttp.ClientError, OSError) as error:
                self.storm.failures[type(error).__name__] += 1
            await asyncio.sleep(self.backoff())

    def backoff(self) -> float:
        ceiling = min(30.0, 1.0 * 2**self.retries)
        self.retries += 1
        return ceiling / 2 + random.random() * ceiling / 2


def restart(server: ManagedProcess) -> None:
    server.stop()
    server.start()
    server.wait_http(server.extra["url"] + "/healthz", timeout=120)


async def wait_all_since(storm: Storm, count: int, since: float, timeout: float) -> float | None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if sum(1 for at in storm.snapshots.values() if at > since) >= count:
            return time.time()
        await asyncio.sleep(0.1)
    return None


async def storm_under(server: ManagedProcess, sockets: int, timeout: float = 180) -> dict:
    storm = Storm()
    url = server.extra["url"].replace("http", "ws", 1) + kiosk_socket_path(server)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        clients = [KioskSocket(i, url, server.extra["url"], storm) for i in range(sockets)]
        tasks = [asyncio.create_task(c.run(session)) for c in clients]
        started = time.time()
        first_all = await wait_all_since(storm, sockets, 0, timeout)
        storm.failures.clear()
        killed = time.time()
        await asyncio.to_thread(restart, server)
        back = time.time()
        all_back = await wait_all_since(storm, sockets, killed, timeout)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    after = [at - back for at in storm.snapshots.values() if at > killed]
    # Handshakes the restarted server meets (attempts while it was down were refused by the
    # kernel: they all fall in the first second after the kill, before any backoff grew).
    per_second = Counter(int(at - back) for at in storm.attempts if at > back)
    return {
        "sockets": sockets,
        "first_connect_s": (first_all or float("nan")) - started,
        "server_down_s": back - killed,
        "all_back_after_server_s": (all_back - back) if all_back else None,
        "reconnected": len(after),
        "reconnect_p50_s": statistics.median(after) if after else None,
        "reconnect_p95_s": sorted(after)[int(0.95 * (len(after) - 1))] if after else None,
        "peak_handshakes_per_s": max(per_second.values(), default=0),
        "attempts_after_restart": sum(per_second.values()),
        "failures": dict(storm.failures),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=1000)
    args = parser.parse_args()
    with running_dashboard("reconnect-storm-") as server:
        result = asyncio.run(storm_under(server, args.sockets))
    for key, value in result.items():
        print(f"{key}: {round(value, 2) if isinstance(value, float) else value}")


if __name__ == "__main__":
    main()
