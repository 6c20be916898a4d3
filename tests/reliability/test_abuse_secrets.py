"""Abuse row 16 of issue #7: secrets never reach logs, pages, /healthz, /metrics,
frames or error messages. A real bridge against the real simulator, made to fail in
every way it knows, and everything a person or a log could see is grepped.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import AsyncClient

from dashboard.access.policy import issue_token
from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.models import Wallboard
from dashboard.project.asgi import application
from statsbridge.bridge import Bridge
from statsbridge.desired import DesiredSet
from statsbridge.exceptions import StatsBridgeError
from statsbridge.fanout import BATCH_EVENT, BROADCAST_GROUP
from statsbridge.service import BridgeService, config_from_settings
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState
from statsbridge.tokens import TokenProvider
from tests.statsbridge.conftest import config_for
from tests.support.processes import start_dashboard
from tests.support.waiting import async_wait_until, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1")


# -- row 16: secrets never reach logs, pages, /healthz, /metrics, frames or messages ---------

LOGGERS = ("statsbridge", "aiocometd_ng", "httpx", "httpcore", "dashboard", "django", "aiohttp", "asyncio")
WRONG = {
    "client_secret": "wrong-client-secret-7f3a9",
    "password": "wrong-password-7f3a9",
    "api_key": "wrong-api-key-7f3a9",
}


def issued_tokens(simulator: Simulator) -> list[str]:
    """Every access and refresh token the simulator issues from now on (refreshing
    drops the old ones from `tokens._by_access`, so they are caught at issue)."""
    issued: list[str] = []
    issue = simulator.tokens.issue

    def recorded(username: str, client_id: str):  # type: ignore[no-untyped-def]
        token = issue(username, client_id)
        issued.extend([token.access_token, token.refresh_token])
        return token

    simulator.tokens.issue = recorded  # type: ignore[method-assign]
    return issued


async def frames_of(layer: object, texts: list[str]) -> None:
    channel = await layer.new_channel()  # type: ignore[attr-defined]
    await layer.group_add(BROADCAST_GROUP, channel)  # type: ignore[attr-defined]
    while True:
        message = await layer.receive(channel)  # type: ignore[attr-defined]
        if message.get("type") == BATCH_EVENT:
            texts.extend(text for _dashboard, text, _seq in message["frames"])


class _Statuses:
    """A sink that keeps what the browsers would be told about the bridge's state."""

    def __init__(self) -> None:
        self.details: list[str] = []

    async def send_updates(self, stats: list[dict], routes: dict) -> None:
        pass

    async def send_status(self, status: object, dashboards: set[str]) -> None:
        self.details.append(repr(status))


async def refusals(simulator: Simulator) -> list[str]:
    """What a bridge with one wrong credential shows, and the errors it raises."""
    said: list[str] = []
    for field, wrong in WRONG.items():
        config = config_for(simulator.base_url, backoff_cap=1.0, **{field: wrong})
        sink = _Statuses()
        bridge, stop = Bridge(config, load_desired=lambda: _empty(), sink=sink), asyncio.Event()
        task = asyncio.create_task(bridge.run(stop))
        await async_wait_until(
            lambda: bridge.status.state == BridgeState.UNAUTHORIZED,
            timeout=20,
            what=f"unauthorized with a wrong {field}",
        )
        stop.set()
        await asyncio.wait_for(task, 15)
        said += sink.details + [bridge.status.detail]
        async with httpx.AsyncClient() as http:
            with pytest.raises(StatsBridgeError) as raised:
                await TokenProvider(config, http).token()
        said += [str(raised.value), repr(raised.value)]
    return said


async def _empty() -> DesiredSet:
    return DesiredSet()


async def pages(simulator: Simulator) -> list[str]:
    """Every page an operator or admin sees, the Genesys connect flow included."""
    anonymous, admin = AsyncClient(), AsyncClient()
    texts = [(await anonymous.get(path)).content.decode() for path in ("/healthz", "/metrics", "/accounts/login/")]
    await admin.aforce_login(await sync_to_async(User.objects.get)(username="admin"))
    floor = await sync_to_async(Wallboard.objects.get)(slug="floor")
    for path in [
        "/",
        "/dashboards/agents/",
        f"/wallboards/floor/?token={await sync_to_async(issue_token)(floor)}",
        "/admin/",
        "/admin/dashboard/statistic/",
        "/admin/dashboard/wallboardtoken/",
        "/admin/connect-genesys/",
        "/healthz",
        "/metrics",
    ]:
        texts.append((await admin.get(path)).content.decode())
    for sign_in in (False, True):  # refused (bad code), then accepted (a refresh token is stored)
        start = await admin.get("/admin/connect-genesys/start/")
        params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
        code = "a-code-never-issued"
        if sign_in:
            async with httpx.AsyncClient() as browser:
                answer = await browser.post(
                    start["Location"].split("?")[0],
                    data={**params, "username": CREDS.username, "password": CREDS.password},
                )
            code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        done = await admin.get(
            "/admin/connect-genesys/callback/", {"code": code, "state": params["state"]}, follow=True
        )
        texts.append(done.content.decode())
    return texts


async def socket_frames() -> list[str]:
    ws = WebsocketCommunicator(application, "/ws/dashboards/agents/", headers=[ORIGIN])
    ws.scope["user"] = await sync_to_async(User.objects.get)(username="supervisor")
    assert (await ws.connect(timeout=10))[0]
    texts = [await ws.receive_from(timeout=10) for _ in range(3)]
    await ws.disconnect()
    return texts


@pytest.fixture
async def simulator(settings) -> AsyncIterator[Simulator]:  # type: ignore[no-untyped-def]
    await sync_to_async(ensure_demo_content)()
    sim = Simulator(port=0, connect_timeout_ms=2000)
    await sim.start()
    settings.STATSBRIDGE_SIMULATOR_URL = sim.base_url  # what rundashboard sets
    yield sim
    await sim.stop()


async def test_no_secret_reaches_logs_pages_health_metrics_frames_or_error_messages(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    issued = issued_tokens(simulator)
    seen: dict[str, list[str]] = {"frames": []}
    service = BridgeService(config_from_settings(simulator.base_url))
    listener = asyncio.create_task(frames_of(service.layer, seen["frames"]))
    await service.start()
    bridge = service.bridge
    try:
        await async_wait_until(
            lambda: bridge.status.state == BridgeState.CONNECTED and bridge.store.last_update_ms,
            timeout=30,
            what="values flowing",
        )
        for fault in (simulator.tokens.expire_all, simulator.restart):  # 401s, then a forgotten refresh token
            fetches = bridge.tokens.fetches
            fault()
            bridge.request_reload()
            await async_wait_until(
                lambda: (
                    bridge.tokens.fetches > fetches
                    and bridge.reconciler.open
                    and bridge.status.state == BridgeState.CONNECTED
                ),
                timeout=30,
                what=f"recovered from {fault.__name__}",
            )
        seen["refusals"] = await refusals(simulator)
        seen["pages"] = await pages(simulator)
        seen["socket"] = await socket_frames()
    finally:
        listener.cancel()
        await service.stop()
    seen["logs"] = [caplog.text, *(repr(r.args) for r in caplog.records)]
    secrets = {
        "client secret": CREDS.client_secret,
        "password": CREDS.password,
        "api key": CREDS.api_key,
        **{f"wrong {k}": v for k, v in WRONG.items()},
        **{f"token #{n}": token for n, token in enumerate(issued)},
    }
    leaks = sorted(
        {
            (where, name)
            for where, texts in seen.items()
            for text in texts
            for name, secret in secrets.items()
            if secret in text
        }
    )
    assert leaks == []
    assert len(issued) >= 6 and all(seen.values())  # the run really issued tokens and saw everything
    assert "Genesys refused the sign-in" in "".join(seen["pages"])


def test_a_rundashboard_logging_at_debug_prints_no_secret(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The real process, every logger at DEBUG: its output, /healthz and /metrics."""
    server = start_dashboard(tmp_path, LOG_LEVEL="DEBUG")
    try:
        url = server.extra["url"]
        wait_until(
            lambda: httpx.get(url + "/healthz", timeout=5).json()["bridge"]["state"] == "connected",
            timeout=60,
            what="the embedded bridge connected",
        )
        answers = [httpx.get(url + path, timeout=5).text for path in ("/healthz", "/metrics", "/accounts/login/")]
    finally:
        server.stop()
    output = server.log()
    assert "DEBUG" in output  # the level took
    for secret in (CREDS.client_secret, CREDS.password, CREDS.api_key):
        assert secret not in output and not any(secret in answer for answer in answers), secret
    assert not re.search(r"Bearer\s+[\w.~+/-]{8,}", output)
    assert not re.search(r"(access|refresh)_token\W+[\w.~+/-]{8,}", output)
