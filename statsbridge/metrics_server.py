"""A /metrics listener for processes that serve no HTTP of their own (`runworker
statsbridge`): aiohttp on the bridge's own event loop, so collecting never races the
bridge (statsbridge/metrics.py), with the web processes' access rule
(statsbridge/metrics_access.py). Imports nothing from Django.
"""

from __future__ import annotations

import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from statsbridge.metrics import BridgeCollector
from statsbridge.metrics_access import may_read_metrics

log = logging.getLogger(__name__)


class MetricsServer:
    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(BridgeCollector())
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]  # the port bound, when 0 asked for any

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/metrics"

    async def _metrics(self, request: web.Request) -> web.Response:
        headers = {name.lower(): value for name, value in request.headers.items()}
        if not may_read_metrics(self.token, request.headers.get("Authorization"), request.remote, headers):
            return web.Response(
                status=401 if self.token else 403,
                text="metrics need a bearer token (METRICS_TOKEN) or a loopback client\n",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'} if self.token else None,
            )
        body = generate_latest(self.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
