"""A webhook receiver on 127.0.0.1 (aiohttp) that checks each POST's signature the way a
customer's endpoint would: HMAC-SHA256 of the raw body with the shared secret."""

from __future__ import annotations

import hashlib
import hmac

import orjson
from aiohttp import web

from dashboard.alerts.senders import SIGNATURE_HEADER

SECRET = "s3cret-signing-key"


class Receiver:
    """A webhook receiver on 127.0.0.1 that verifies the signature; it can fail first."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.hits = 0
        self.bodies: list[dict] = []
        self.bad_signatures = 0
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.hits += 1
        body = await request.read()
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get(SIGNATURE_HEADER, ""), expected):
            self.bad_signatures += 1
            return web.Response(status=401)
        if self.hits <= self.fail_first:
            return web.Response(status=500)
        self.bodies.append(orjson.loads(body))
        return web.Response(status=204)

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = self.runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()
