"""A Bayeux server that answers garbage on purpose, and a bare CometD link to it.

The simulator speaks the protocol correctly; row 8 needs replies no real server
should send (not JSON, 10 MB, HTTP 204/302/500, advice of the wrong type...).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
from aiohttp import web

from statsbridge.cometd import UPDATES_CHANNEL, NotificationLink
from statsbridge.cookies import SharedCookies
from statsbridge.tokens import TokenProvider
from tests.reliability.helpers import MIB
from tests.statsbridge.conftest import config_for


class GarbageBayeux:
    """A token endpoint and a Bayeux endpoint that answers from `plan` first, in order
    per channel ("*" matches any), and correctly otherwise: each correct /meta/connect
    is held briefly and carries one update event."""

    def __init__(self, plan: list[tuple[str, int, Any]]) -> None:
        self.plan = list(plan)
        self.served = self.connects = self.events = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        app = web.Application(client_max_size=64 * MIB)
        app.add_routes(
            [
                web.post("/auth/v3/oauth/token", self.token),
                web.post("/statistics/v3/notifications{tail:.*}", self.bayeux),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def token(self, request: web.Request) -> web.Response:
        return web.json_response({"access_token": "garbage-token", "expires_in": 3600})

    async def bayeux(self, request: web.Request) -> web.Response:
        messages = orjson.loads(await request.read())
        first = messages[0]
        self.connects += first["channel"] == "/meta/connect"
        for index, (channel, status, body) in enumerate(self.plan):
            if channel in ("*", first["channel"]):
                del self.plan[index]
                self.served += 1
                return web.Response(
                    status=status, body=body(first) if callable(body) else body, content_type="application/json"
                )
        return web.Response(
            body=orjson.dumps([r for m in messages for r in await self._answer(m)]), content_type="application/json"
        )

    async def _answer(self, message: dict) -> list[dict]:
        reply = {
            "channel": message["channel"],
            "id": message.get("id"),
            "successful": True,
            "clientId": "c1",
            "advice": {"interval": 0, "timeout": 2000, "reconnect": "retry"},
        }
        if message["channel"] == "/meta/handshake":
            reply.update(version="1.0", supportedConnectionTypes=["long-polling"])
        if message["channel"] == "/meta/subscribe":
            reply["subscription"] = message["subscription"]
        if message["channel"] != "/meta/connect":
            return [reply]
        await asyncio.sleep(0.05)
        self.events += 1
        return [{"channel": UPDATES_CHANNEL, "data": {"statistics": [{"n": self.events}]}}, reply]


def reply(**fields: object) -> Callable[[dict], bytes]:
    return lambda m: orjson.dumps([{"channel": m.get("channel"), "id": m.get("id"), **fields}])


def events_then_ok(*events: object) -> Callable[[dict], bytes]:
    return lambda m: orjson.dumps([*events, {"channel": m.get("channel"), "id": m.get("id"), "successful": True}])


def event_number(event: object) -> int:
    """`n` of an event the garbage server sent well-formed, 0 for any other."""
    data = event.get("data") if isinstance(event, dict) else None
    records = data.get("statistics") if isinstance(data, dict) else None
    if isinstance(records, list) and records and isinstance(records[0], dict):
        n = records[0].get("n")
        return n if isinstance(n, int) else 0
    return 0


@asynccontextmanager
async def link_to(
    server: GarbageBayeux, **overrides: object
) -> AsyncIterator[tuple[NotificationLink, list[int], asyncio.Task]]:
    """A CometD link to `server`; yields it, the numbers of the valid events it received
    (not the events: some carry 10 MB) and its task. `overrides` change its config."""
    settings: dict = {"backoff_cap": 0.01, "poll_grace": 1.0, "request_timeout": 3.0, **overrides}
    config = config_for(await server.start(), **settings)
    http = httpx.AsyncClient()
    numbers: list[int] = []
    link = NotificationLink(
        config,
        TokenProvider(config, http),
        SharedCookies(),
        on_event=lambda event: numbers.append(event_number(event)),
        on_session=lambda: None,
        on_state=lambda state, detail: None,
    )
    link.HANDSHAKE_SPACING = 0.0  # hundreds of sessions; the spacing has its own test
    stop = asyncio.Event()
    task = asyncio.create_task(link.run(stop))
    try:
        yield link, numbers, task
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
        await http.aclose()
        await server.stop()
