#!/usr/bin/env python
"""Messages to the floor: how long from a supervisor's POST to the frame on a wallboard's sockets.

Run: .venv/bin/python bench/floor_messages.py [--posts 20] [--screens 20]

Starts the real `manage.py rundashboard` (embedded: its simulator, a temp SQLite, free
ports), signs in as the demo supervisor, opens `--screens` kiosk sockets of the demo
wallboard `floor` (one per page, as screens do, spread over its dashboards), then posts
`--posts` messages on /messages/ one after another. For each: time from sending the POST
until every socket has the `message` frame (the slowest screen), and until the first.
Prints median and max, and what the post itself took (HTTP round trip, redirect not followed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.processes import kiosk_socket_path, start_dashboard  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


async def sign_in(session: aiohttp.ClientSession, base: str) -> None:
    page = await (await session.get(f"{base}/accounts/login/")).text()
    form = {"username": "supervisor", "password": "supervisor", "csrfmiddlewaretoken": CSRF.search(page).group(1)}
    async with session.post(f"{base}/accounts/login/", data=form, allow_redirects=False) as done:
        assert done.status == 302, await done.text()


async def reader(ws: aiohttp.ClientWebSocketResponse, arrived: dict[str, list[float]]) -> None:
    async for message in ws:
        frame = json.loads(message.data)
        if frame.get("type") == "message" and not frame.get("withdrawn"):
            arrived.setdefault(frame["text"], []).append(time.perf_counter())


async def run(posts: int, screens: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        server = await asyncio.to_thread(start_dashboard, Path(tmp))
        base = server.extra["url"]
        try:
            paths = [
                await asyncio.to_thread(kiosk_socket_path, server, d) for d in ("agents", "queues", "service-level")
            ]
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:  # an IP host
                await sign_in(session, base)
                arrived: dict[str, list[float]] = {}
                sockets = [
                    await session.ws_connect(base.replace("http", "ws") + paths[n % 3], headers={"Origin": base})
                    for n in range(screens)
                ]
                tasks = [asyncio.create_task(reader(ws, arrived)) for ws in sockets]
                await asyncio.sleep(3)  # snapshots delivered
                slowest, first, http = [], [], []
                for n in range(posts):
                    page = await (await session.get(f"{base}/messages/")).text()
                    text = f"bench message {n}"
                    form = {"text": text, "level": "info", "style": "banner", "minutes": "5", "wallboards": "floor",
                            "csrfmiddlewaretoken": CSRF.search(page).group(1)}  # fmt: skip
                    sent = time.perf_counter()
                    async with session.post(f"{base}/messages/", data=form, allow_redirects=False) as done:
                        assert done.status == 302, await done.text()
                    http.append(time.perf_counter() - sent)
                    deadline = time.perf_counter() + 10
                    while len(arrived.get(text, ())) < screens and time.perf_counter() < deadline:
                        await asyncio.sleep(0.002)
                    times = arrived.get(text, [])
                    assert len(times) == screens, f"{len(times)} of {screens} screens got {text!r}"
                    slowest.append(max(times) - sent)
                    first.append(min(times) - sent)
                for task in tasks:
                    task.cancel()
        finally:
            server.stop()

    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"

    print(f"{posts} posts, {screens} kiosk sockets of wallboard 'floor'")
    print(f"POST answered:             {ms(http)}")
    print(f"first socket has it:       {ms(first)}")
    print(f"every socket has it:       {ms(slowest)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--screens", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(run(args.posts, args.screens))


if __name__ == "__main__":
    main()
