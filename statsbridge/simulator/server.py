"""The simulator as one service: its own aiohttp listener serving the Auth API,
the Statistics REST API, CometD and the control API over a live contact center, and
beside them the two skill sources the product reads (Web Services v2 skills and the
employee skill-clusters export) and the Provisioning API's configuration listing (the
builder's object browser), consistent with the same agents.

Usable on its own (`manage.py simulate`), inside `rundashboard` (the embedded
default) and from tests (start on port 0, read `.port`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time

from aiohttp import web

from statsbridge.simulator.auth_api import AUTHORIZE, AuthApi
from statsbridge.simulator.bayeux import SERVICE_CHANNEL, BayeuxServer
from statsbridge.simulator.cometd_api import CometdEndpoint
from statsbridge.simulator.control_api import ControlApi
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS, SimulatorCredentials
from statsbridge.simulator.day_shape import DAY_SHAPE_ENV, WEEK
from statsbridge.simulator.export_oauth_api import ExportTokenApi, ExportTokens
from statsbridge.simulator.http_common import SessionCookies, make_middlewares
from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.provisioning_api import ProvisioningApi
from statsbridge.simulator.publisher import Publisher
from statsbridge.simulator.skill_export_api import SkillExportApi
from statsbridge.simulator.skills_control import SkillsControl
from statsbridge.simulator.skills_faults import SkillFaults
from statsbridge.simulator.skills_model import SkillsModel
from statsbridge.simulator.stats_api import StatisticsApi
from statsbridge.simulator.subscriptions import SubscriptionRegistry
from statsbridge.simulator.tokens import TokenStore
from statsbridge.simulator.ws_v2_api import WebServicesApi

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024
# Paths outside the Statistics API: no x-api-key, no STATISTICS_SESSIONID. The skill
# sources are other products with their own authentication.
EXEMPT_PREFIXES = ("/simulator/", "/auth/v3/oauth/authorize", "/api/v2/", "/export/", "/oauth/token")


class Simulator:
    name = "simulator"

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8089,
        agents: int = 50,
        queues: int = 8,
        seed: int = 0,
        token_lifetime: float = 3600.0,
        connect_timeout_ms: int = 20_000,
        max_interval_s: float = 30.0,
        credentials: SimulatorCredentials = DEFAULT_CREDENTIALS,
        require_session_cookie: bool = False,
        auth_prefix: str = "",
        first_agent: int = 1,
        first_queue: int = 8001,
        day_shape: str | None = None,
        warm_up_seconds: float = 0.0,
    ) -> None:
        """`day_shape` (day_shape.curve_of): None takes SIMULATOR_DAY_SHAPE, else "week",
        so every host (`simulate`, `rundashboard`, the hosted check, a test's fixture)
        follows the one setting without passing it along. `warm_up_seconds`: the center
        has been running that long when served (its first tick plays them), so a short-lived
        host does not meet the start's artificial calm (every agent mid-call, no queue)."""
        self.host, self.port = host, port
        self.auth_prefix = auth_prefix  # "/idp": the Auth API only at base + "/idp/auth/v3"
        self.credentials = credentials
        self.center = ContactCenter(
            agents=agents,
            queues=queues,
            seed=seed,
            first_agent=first_agent,
            first_queue=first_queue,
            day_shape=day_shape if day_shape is not None else os.environ.get(DAY_SHAPE_ENV) or WEEK,
            start=time.time() - warm_up_seconds,
        )
        self.tokens = TokenStore(lifetime=token_lifetime)
        self.bayeux = BayeuxServer(timeout_ms=connect_timeout_ms, max_interval_s=max_interval_s)
        self.registry = SubscriptionRegistry()
        self.publisher = Publisher(self.center, self.registry, self.bayeux)
        self.cookies = SessionCookies(require=require_session_cookie)
        self.available = True
        self.service_state_case = "upper"  # the seed's spelling; "lower" for clients to cope
        self.outages = 0
        self.restarts = 0
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._outage_task: asyncio.Task | None = None
        self._restart_task: asyncio.Task | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self.listening = False
        self.auth = AuthApi(self.tokens, credentials, auth_prefix)
        self.statistics = StatisticsApi(self.center, self.registry, self.tokens, lambda: self.available)
        self.cometd = CometdEndpoint(self.bayeux, self.tokens)
        self.skills = SkillsModel(self.center.agents, self.center.groups)
        self.skill_faults = SkillFaults()
        self.ws_v2 = WebServicesApi(self.skills, self.skill_faults, credentials)
        self.export_tokens = ExportTokens()
        self.skill_export = SkillExportApi(self.skills, self.skill_faults, credentials, self.export_tokens)
        self.export_oauth = ExportTokenApi(self.export_tokens, credentials)
        self.provisioning = ProvisioningApi(self.center, self.tokens)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def auth_base_url(self) -> str:
        """Where the Auth API is: `base_url` unless started with an `auth_prefix`."""
        return self.base_url + self.auth_prefix

    def build_app(self) -> web.Application:
        app = web.Application(
            client_max_size=MAX_BODY_BYTES,
            middlewares=make_middlewares(
                lambda: self.credentials.api_key, EXEMPT_PREFIXES + (self.auth_prefix + AUTHORIZE,), self.cookies
            ),
        )
        app.add_routes(
            self.auth.routes()
            + self.statistics.routes()
            + self.cometd.routes()
            + ControlApi(self).routes()
            + SkillsControl(self).routes()
            + self.ws_v2.routes()
            + self.skill_export.routes()
            + self.export_oauth.routes()
            + self.provisioning.routes()
        )
        return app

    async def start(self) -> None:
        self._stop.clear()
        self._runner = web.AppRunner(self.build_app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        await self._listen()
        self._tasks = [
            asyncio.create_task(self.publisher.run(self._stop), name="sim-publisher"),
            asyncio.create_task(self._sweep(), name="sim-sweeper"),
        ]
        log.info("Genesys simulator listening on %s", self.base_url)

    async def stop(self) -> None:
        self._stop.set()
        self.bayeux.forget()
        for task in [*self._tasks, self._outage_task, self._restart_task]:
            if task is not None:
                task.cancel()
        await asyncio.gather(*[t for t in [*self._tasks, self._restart_task] if t], return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner, self._site, self.listening = None, None, False

    async def _listen(self) -> None:
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await self._site.start()
        if self.port == 0:
            self.port = self._site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.listening = True

    async def _stop_listening(self) -> None:
        """New connections are refused and live ones closed, as when the process dies."""
        self.listening = False
        if self._site is not None:
            await self._site.stop()
            self._site = None
        server = self._runner.server if self._runner is not None else None
        for handler in list(server.connections if server is not None else []):
            if handler.transport is not None:
                handler.transport.close()

    # -- faults ------------------------------------------------------------

    def start_outage(self, seconds: float) -> None:
        """Publish UNAVAILABLE, drop every subscription, publish AVAILABLE after `seconds`."""
        self.outages += 1
        if self.available:
            self.available = False
            self.registry.drop_all()
            self.bayeux.publish(SERVICE_CHANNEL, self._service_state("UNAVAILABLE"))
        if self._outage_task is not None:
            self._outage_task.cancel()
        self._outage_task = asyncio.get_running_loop().create_task(self._end_outage(seconds))

    async def _end_outage(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self.available = True
        self.bayeux.publish(SERVICE_CHANNEL, self._service_state("AVAILABLE"))

    def _service_state(self, state: str) -> dict:
        return _service_state(state.lower() if self.service_state_case == "lower" else state)

    def restart(self) -> None:
        """Forget every CometD client, subscription and token, as a restarted service."""
        self.restarts += 1
        self._forget_everything()

    def _forget_everything(self) -> None:
        self.bayeux.forget()
        self.registry.drop_all()
        self.tokens.forget()
        self.cookies.forget()
        self.provisioning.forget()

    async def restart_with_downtime(self, down_seconds: float) -> None:
        """A restarted process: the listener goes away (connections refused, live ones
        closed) for `down_seconds`, then serves again having forgotten everything."""
        await self._stop_listening()
        self._forget_everything()
        await asyncio.sleep(down_seconds)
        self.restart()  # again: a request being handled as it went down leaves nothing
        await self._listen()

    def schedule_restart(self, down_seconds: float) -> None:
        """`restart_with_downtime` in the background (the control API answers first)."""
        if self._restart_task is None or self._restart_task.done():
            self._restart_task = asyncio.get_running_loop().create_task(self.restart_with_downtime(down_seconds))

    async def _sweep(self) -> None:
        while not self._stop.is_set():
            await asyncio.sleep(1.0)
            self.bayeux.sweep()

    def counts(self) -> dict:
        return {
            "tokens": self.tokens.active,
            "tokens_issued": self.tokens.issued,
            "token_requests": self.auth.token_requests,
            "cometd_clients": len(self.bayeux.clients),
            "handshakes": self.bayeux.handshakes,
            "cometd_requests": self.cometd.requests,
            "unknown_client_replies": self.bayeux.unknown_client_replies,
            "expired_clients": self.bayeux.expired,
            "subscriptions": self.registry.subscription_count,
            "subscriptions_created": self.registry.created,
            "statistics_open": self.registry.statistic_count,
            "updates_published": self.publisher.published,
            "day_shape": self.center.day_shape,
            "messages_dropped": self.bayeux.dropped,
            "rest_requests": self.statistics.requests,
            "session_cookies_issued": self.cookies.issued,
            "service_state": "AVAILABLE" if self.available else "UNAVAILABLE",
            "outages": self.outages,
            "restarts": self.restarts,
            "listening": self.listening,
            "ws_requests": self.ws_v2.requests,
            "skill_export_requests": self.skill_export.requests,
            "skill_export_pages": self.skill_export.pages,
            "skill_export_unauthorized": self.skill_export.unauthorized,
            "export_tokens_issued": self.export_tokens.issued,
            "provisioning_requests": self.provisioning.requests,
            "updates_per_second": self.publisher.rate,
            "time": time.time(),
        }


def _service_state(state: str) -> dict:
    # Reference: seed 002 "Service state" notification samples.
    return {"data": {"serviceState": state}, "name": "ServiceStateChange", "topic": SERVICE_CHANNEL}
