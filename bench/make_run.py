#!/usr/bin/env python
"""`make run` on a prepared machine: from the command to the first value (issue 20: <= 5 s).

`make run` is `setup` (a no-op once .venv is built: make compares two timestamps) and
then `manage.py rundashboard`, which this starts the same way (free ports, a temporary
SQLite database; the shared venv's python). The first run finds an empty database
(migrate, collectstatic, the demo content); the next --runs find it prepared, as a
developer's machine is after the first day. Each run times, from the process start:
/healthz answering, the bridge connected with its statistics open, and the first value
a wallboard shows: a kiosk socket on the demo `agents` dashboard (token made between
runs with `wallboard_url`), the first STAT with a value in its snapshot or an update.
A browser would add its own start and the page load (~0.2 s for this page:
bench/large_dashboard.py), not counted here. Where the tree's `make run` compiles the
project's bytecode first (Makefile RUN_COMPILE, issue 20), so does each run here, inside
the timed span and its CPU seconds, so a tree without that step is measured as it runs. Also reported: the CPU seconds the process
had used by then, which a machine shared with other work moves far less than wall time.

    .venv/bin/python bench/make_run.py --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_simulator import proc_cpu_seconds  # noqa: E402

from tests.support.processes import ManagedProcess, base_env, free_port, kiosk_socket_path  # noqa: E402


def run_compile_args() -> list[str] | None:
    """The `python -m compileall ...` arguments `make run` runs before rundashboard, or None."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("RUN_COMPILE :="):
            return line.split(":=", 1)[1].split()
    return None


async def first_value(url: str, origin: str, started: float, deadline: float) -> float:
    """Seconds from `started` to the first STAT with a value on a kiosk socket."""
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.ws_connect(url, headers={"Origin": origin}, max_msg_size=0) as ws:
                    async for message in ws:
                        frame = orjson.loads(message.data)
                        if any(s.get("value") is not None for s in frame.get("statistics", ())):
                            return time.monotonic() - started
            except (aiohttp.ClientError, OSError):
                await asyncio.sleep(0.02)
    raise SystemExit("no value before the deadline")


async def wait_http(url: str, started: float, deadline: float, connected: bool = False) -> float:
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url + "/healthz") as response:
                    bridge = (await response.json())["bridge"]
                    if not connected or (bridge["state"] == "connected" and bridge["statistics"]):
                        return time.monotonic() - started
            except (aiohttp.ClientError, OSError, ValueError, KeyError):
                pass
            await asyncio.sleep(0.02)
    raise SystemExit("not up before the deadline")


async def timed(proc: ManagedProcess, socket_path: str | None) -> dict[str, float]:
    started = time.monotonic()
    compile_cpu = 0.0
    if (compile_args := run_compile_args()) is not None:
        before = os.times()
        subprocess.run([sys.executable, *compile_args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        after = os.times()
        compile_cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    proc.start()
    url, deadline = proc.extra["url"], started + 120
    http = await wait_http(url, started, deadline)
    tasks = [asyncio.create_task(wait_http(url, started, deadline, connected=True))]
    if socket_path:
        tasks.append(
            asyncio.create_task(first_value(url.replace("http", "ws", 1) + socket_path, url, started, deadline))
        )
    done = await asyncio.gather(*tasks)
    cpu = compile_cpu + proc_cpu_seconds(proc.process.pid)  # type: ignore[union-attr]
    return {"http": http, "bridge": done[0], **({"value": done[1]} if socket_path else {}), "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs on the prepared database")
    args = parser.parse_args()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    with tempfile.TemporaryDirectory(prefix="make-run-") as tmp:
        workdir = Path(tmp)
        port, sim_port = free_port(), free_port()
        proc = ManagedProcess(
            ["rundashboard", "--port", str(port), "--simulator-port", str(sim_port)],
            base_env(workdir),
            workdir / "rundashboard.log",
        )
        proc.extra.update(url=f"http://127.0.0.1:{port}")
        try:
            first = asyncio.run(timed(proc, None))
            socket_path = kiosk_socket_path(proc)
            proc.stop()
            runs = []
            for _ in range(args.runs):
                runs.append(asyncio.run(timed(proc, socket_path)))
                proc.stop()
        finally:
            proc.stop()
    median = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    print(
        "\n".join(
            [
                f"### make run: command to first value ({datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z})",
                "",
                f"`{' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}`",
                "",
                f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; load average at start {load}, "
                f"at end {' '.join(Path('/proc/loadavg').read_text().split()[:3])}.",
                "",
                "| seconds from the command | first run (empty database) | prepared, median (min-max) |",
                "|---|---:|---:|",
                *[
                    f"| {label} | {first.get(key, float('nan')):.2f} | {median(key):.2f} "
                    f"({min(r[key] for r in runs):.2f}-{max(r[key] for r in runs):.2f}) |"
                    for key, label in (
                        ("http", "/healthz answers"),
                        ("bridge", "bridge connected, statistics open"),
                        ("value", "first value on a wallboard socket"),
                        ("cpu", "rundashboard's CPU seconds by then (a busy machine moves this least)"),
                    )
                ],
            ]
        )
    )


if __name__ == "__main__":
    main()
