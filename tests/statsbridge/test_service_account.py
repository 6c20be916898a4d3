"""The service account against the real simulator: plain and DOMAIN\\user names, a
refused grant named in the bridge state and /healthz, and no hammering of the token
endpoint while it stays refused."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from django.test import AsyncClient

from statsbridge.exceptions import BadUserCredentials, GrantNotAllowed
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState, BridgeStatus, publish_status
from statsbridge.tokens import TokenProvider
from tests.statsbridge.conftest import config_for, start_live_bridge
from tests.support.waiting import async_wait_until

DOMAIN_USER = f"{CREDS.user_domain}\\{CREDS.username}"


async def token_for(simulator: Simulator, username: str) -> TokenProvider:
    async with httpx.AsyncClient() as http:
        tokens = TokenProvider(config_for(simulator.base_url, username=username), http)
        await tokens.token()
        return tokens


@pytest.mark.parametrize("form", ["domain", "either"])
async def test_a_domain_user_name_gets_a_token_by_the_password_grant(simulator: Simulator, form: str) -> None:
    simulator.auth.username_form = form
    tokens = await token_for(simulator, DOMAIN_USER)
    assert tokens.grant_used == "password"
    assert simulator.tokens.issued == 1


async def test_a_plain_user_name_still_gets_a_token_where_allowed(simulator: Simulator) -> None:
    simulator.auth.username_form = "plain"
    assert (await token_for(simulator, CREDS.username)).grant_used == "password"


async def test_the_wrong_user_name_form_is_refused_naming_the_grant_and_the_fix(simulator: Simulator) -> None:
    simulator.auth.username_form = "domain"
    with pytest.raises(BadUserCredentials) as refused:
        await token_for(simulator, CREDS.username)
    message = str(refused.value)
    assert "password grant (invalid_grant)" in message and "DOMAIN\\user" in message
    assert "/admin/connect-genesys/" in message and CREDS.password not in message


async def test_a_refused_grant_is_not_asked_again_until_its_backoff_ends(simulator: Simulator) -> None:
    simulator.auth.password_grant = False
    async with httpx.AsyncClient() as http:
        tokens = TokenProvider(config_for(simulator.base_url), http)
        for _ in range(20):
            with pytest.raises(GrantNotAllowed, match="unauthorized_client"):
                await tokens.token()
        assert simulator.auth.token_requests == 1
        simulator.auth.password_grant = True
        tokens.use_refresh_token("whatever-the-admin-stored")  # new credentials: ask at once
        await tokens.token()
    assert simulator.auth.token_requests == 3  # the refresh token (refused), then the password grant


async def test_the_bridge_and_healthz_say_which_grant_was_refused(simulator: Simulator) -> None:
    simulator.auth.password_grant = False
    live = await start_live_bridge(simulator)
    live.bridge.on_status_change = publish_status
    try:
        await async_wait_until(
            lambda: live.bridge.status.state == BridgeState.UNAUTHORIZED, what="the bridge unauthorized"
        )
        health = (await AsyncClient().get("/healthz")).json()
        assert health["status"] == "degraded" and health["bridge"]["state"] == "unauthorized"
        detail = health["bridge"]["detail"]
        assert "password grant" in detail and "unauthorized_client" in detail
        assert '"Connect to Genesys"' in detail and "/admin/connect-genesys/" in detail
        # The link keeps retrying on its backoff, the token endpoint is asked far less.
        await async_wait_until(
            lambda: live.bridge.link.failures.get("credentials", 0) >= 4, timeout=60, what="four refused sessions"
        )
        assert simulator.auth.token_requests < live.bridge.link.failures["credentials"]
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]
        publish_status(BridgeStatus())
