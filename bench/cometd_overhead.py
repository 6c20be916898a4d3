"""What aiocometd-ng (wrapped by statsbridge/cometd_transport.py) costs over the floor a
Bayeux client of our own could reach: the numbers behind keeping it
(docs/architecture.md, "Private names we depend on").

- parse: one long-poll reply of `--events` event messages (10 statistics each) through
  our transport's reply path (JSON, `_sane`, aiocometd-ng's `_consume_payload` into its
  queue) against the floor (JSON, then each event into a queue).
- connect: `--sessions` CometD sessions opened by `NotificationLink` (handshake, first
  connect, two subscribes: what the bridge needs before its first value) against the same
  four POSTs sent with bare httpx, both to a local Bayeux server (tests' GarbageBayeux,
  which holds each /meta/connect 50 ms).

    .venv/bin/python bench/cometd_overhead.py [--events 200] [--rounds 200] [--sessions 30]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from statsbridge.cometd import NOTIFICATIONS_PATH, SERVICE_CHANNEL, UPDATES_CHANNEL, NotificationLink  # noqa: E402
from statsbridge.cometd_transport import _GuardedLongPolling, _sane  # noqa: E402
from statsbridge.cookies import SharedCookies  # noqa: E402
from statsbridge.tokens import TokenProvider  # noqa: E402
from tests.reliability.garbage_bayeux import GarbageBayeux  # noqa: E402
from tests.statsbridge.conftest import config_for  # noqa: E402


def reply_body(events: int) -> bytes:
    stats = [
        {"statisticId": f"s{n}", "subscriptionId": "sub", "value": n, "timestamp": 1_700_000_000_000 + n}
        for n in range(10)
    ]
    messages = [{"channel": UPDATES_CHANNEL, "data": {"statistics": stats}} for _ in range(events)]
    return orjson.dumps(
        [
            *messages,
            {
                "channel": "/meta/connect",
                "id": "7",
                "successful": True,
                "advice": {"interval": 0, "timeout": 2000, "reconnect": "retry"},
            },
        ]
    )


async def parse_ours(body: bytes, rounds: int) -> float:
    transport = _GuardedLongPolling(url="http://127.0.0.1/", incoming_queue=asyncio.Queue(), http_session=None)
    request = {"channel": "/meta/connect", "id": "7"}
    started = time.perf_counter()
    for _ in range(rounds):
        messages = [_sane(m) for m in orjson.loads(body) if isinstance(m, dict)]
        await transport._consume_payload(messages, headers={}, find_response_for=request)
        while not transport.incoming_queue.empty():
            transport.incoming_queue.get_nowait()
    return (time.perf_counter() - started) / rounds


async def parse_floor(body: bytes, rounds: int) -> float:
    queue: asyncio.Queue = asyncio.Queue()
    started = time.perf_counter()
    for _ in range(rounds):
        for message in orjson.loads(body):
            if message.get("channel") == UPDATES_CHANNEL:
                queue.put_nowait(message)
        while not queue.empty():
            queue.get_nowait()
    return (time.perf_counter() - started) / rounds


async def connect_ours(base_url: str, sessions: int) -> list[float]:
    config = config_for(base_url, backoff_cap=0.01, poll_grace=1.0, request_timeout=3.0)
    times: list[float] = []
    async with httpx.AsyncClient() as http:
        tokens = TokenProvider(config, http)
        for _ in range(sessions):
            opened = asyncio.Event()
            link = NotificationLink(
                config,
                tokens,
                SharedCookies(),
                on_event=lambda e: None,
                on_session=opened.set,
                on_state=lambda s, d: None,
            )
            link.HANDSHAKE_SPACING = 0.0
            stop, started = asyncio.Event(), time.perf_counter()
            task = asyncio.create_task(link.run(stop))
            await asyncio.wait_for(opened.wait(), 10)
            times.append(time.perf_counter() - started)
            stop.set()
            await asyncio.wait_for(task, 10)
    return times


async def connect_floor(base_url: str, sessions: int) -> list[float]:
    url, times = base_url + NOTIFICATIONS_PATH, []
    async with httpx.AsyncClient() as http:
        for _ in range(sessions):
            started = time.perf_counter()
            handshake = {"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}
            for message in (
                handshake,
                {"channel": "/meta/connect", "clientId": "c1", "connectionType": "long-polling"},
                {"channel": "/meta/subscribe", "clientId": "c1", "subscription": UPDATES_CHANNEL},
                {"channel": "/meta/subscribe", "clientId": "c1", "subscription": SERVICE_CHANNEL},
            ):
                (
                    await http.post(
                        url,
                        content=orjson.dumps([{**message, "id": "1"}]),
                        headers={"Content-Type": "application/json"},
                    )
                ).raise_for_status()
            times.append(time.perf_counter() - started)
    return times


async def main(args: argparse.Namespace) -> None:
    body = reply_body(args.events)
    ours, floor = await parse_ours(body, args.rounds), await parse_floor(body, args.rounds)
    print(
        f"parse, one reply of {args.events} events ({len(body) / 1024:.0f} KiB): "
        f"ours {ours * 1e3:.2f} ms, floor {floor * 1e3:.2f} ms, library share {(ours - floor) * 1e3:.2f} ms "
        f"({(ours - floor) / args.events * 1e6:.1f} µs per event)"
    )
    server = GarbageBayeux([])
    base_url = await server.start()
    try:
        ours_c, floor_c = await connect_ours(base_url, args.sessions), await connect_floor(base_url, args.sessions)
    finally:
        await server.stop()
    print(
        f"connect (handshake, first connect held 50 ms, 2 subscribes), median of {args.sessions}: "
        f"ours {statistics.median(ours_c) * 1e3:.1f} ms, floor {statistics.median(floor_c) * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=30)
    asyncio.run(main(parser.parse_args()))
