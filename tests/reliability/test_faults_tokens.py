"""Issue #7 rows 6 and 7: short-lived tokens with random 401s (the scenario is in
tests/reliability/token_soak.py; bench/soak_tokens.py runs it for 30 minutes), and a
load balancer that routes only requests carrying the session cookie.
"""

from __future__ import annotations

import http.cookiejar
from typing import Any

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.http_common import SESSION_COOKIE
from statsbridge.simulator.server import Simulator
from statsbridge.status import now_ms
from tests.reliability.helpers import figure, fresh_for_every_key, new_simulator, running, wait_settled
from tests.reliability.token_soak import soak_tokens
from tests.support.waiting import async_wait_until

# -- row 6: short-lived tokens and random 401s -------------------------------------------


@pytest.mark.slow
async def test_short_lived_tokens_and_random_401s_cost_one_fetch_per_expiry_and_no_gap() -> None:
    soak = await soak_tokens(lifetime=3.0, duration=60.0, expire_every=(3, 8), seed=7)
    for line in soak.lines():
        figure("row 6", line)
    assert soak.fetches <= soak.expiries + 1
    assert soak.longest_401_run <= 3
    assert soak.longest_gap_s <= 10.0


# -- row 7: a load balancer that needs the session cookie --------------------------------


async def test_behind_a_sticky_balancer_the_bridge_sends_the_session_cookie_on_rest_and_cometd() -> None:
    simulator = new_simulator(require_session_cookie=True)
    await simulator.start()
    try:
        async with running(simulator) as live:
            await wait_settled(live)
            await fresh_for_every_key(live, now_ms())
            assert simulator.statistics.requests >= 1 and simulator.cometd.requests >= 3
            assert simulator.cookies.refused == 0
            assert simulator.cookies.issued == 1  # by the token fetch; the one jar served both sides
    finally:
        await simulator.stop()


class _NoCookies(http.cookiejar.CookieJar):
    def add_cookie_header(self, request: Any) -> None:
        pass

    def extract_cookies(self, response: Any, request: Any) -> None:
        pass


@pytest.mark.parametrize("side", ["rest", "cometd"])
async def test_a_bridge_that_forgets_the_cookie_on_one_side_is_refused(side: str) -> None:
    """The test above has teeth: drop the cookie on one side and the balancer refuses."""
    simulator = new_simulator(require_session_cookie=True)
    await simulator.start()
    cookieless = httpx.AsyncClient(cookies=_NoCookies())
    try:
        async with running(simulator) as live:
            if side == "rest":
                live.bridge.rest.http = cookieless
            else:
                live.bridge.cookies.header_for = lambda url: None  # type: ignore[method-assign]
            await async_wait_until(lambda: simulator.cookies.refused >= 3, timeout=30, what="503s")
            assert live.upstream_open() == []
    finally:
        await cookieless.aclose()
        await simulator.stop()


async def test_a_client_without_the_session_cookie_gets_503_from_the_balancer(simulator: Simulator) -> None:
    queue = next(o["objectId"] for o in simulator.center.objects() if o["objectType"] == "Queue")
    peek = "/statistics/v3/statistic-values/CurrentNumberWaitingCalls"
    params = {"objectType": "Queue", "objectId": queue}
    handshake = [{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}]
    headers = {"x-api-key": CREDS.api_key}
    async with httpx.AsyncClient(base_url=simulator.base_url, headers=headers) as client:
        assert (await client.post("/simulator/v1/require-cookie", json={"require": "yes"})).status_code == 400
        assert (await client.post("/simulator/v1/require-cookie", json={"require": True})).json() == {"require": True}
        grant = await client.post(
            "/auth/v3/oauth/token",
            auth=(CREDS.client_id, CREDS.client_secret),
            data={"grant_type": "password", "username": CREDS.username, "password": CREDS.password},
        )
        assert grant.status_code == 200 and SESSION_COOKIE in client.cookies
        headers["Authorization"] = f"Bearer {grant.json()['access_token']}"
        assert (await client.get(peek, params=params, headers=headers)).status_code == 200  # it kept the cookie
        async with httpx.AsyncClient(base_url=simulator.base_url, headers=headers) as stray:
            for method, path, options in [
                ("GET", peek, {"params": params}),
                ("POST", "/statistics/v3/notifications", {"json": handshake}),
            ]:
                stray.cookies.clear()  # a 503 issues one: refuse the next request again
                response = await stray.request(method, path, **options)
                assert response.status_code == 503
                assert response.json()["status"]["message"] == "no session cookie: load balancer cannot route"
            await client.post("/simulator/v1/require-cookie", json={"require": False})
            stray.cookies.clear()
            assert (await stray.get(peek, params=params)).status_code == 200
    assert simulator.cookies.refused == 2
