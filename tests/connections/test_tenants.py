"""Two simulated tenants: `simulate --tenant brand-b` runs as its own process with its
own agents, queues and credentials; each accepts only its own key and client, so two
connections really are two upstreams."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as A
from statsbridge.simulator.tenants import BRAND_B_CREDENTIALS as B
from tests.support.processes import ManagedProcess, base_env, free_port


def simulate(tmp: Path, *args: str) -> ManagedProcess:
    port = free_port()
    process = ManagedProcess(["simulate", "--port", str(port), *args], base_env(tmp), tmp / f"simulate-{port}.log")
    process.extra["url"] = f"http://127.0.0.1:{port}"
    process.start()
    process.wait_http(process.extra["url"] + "/simulator/v1/state")
    return process


@pytest.fixture(scope="module")
def tenants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    tmp = tmp_path_factory.mktemp("tenants")
    default, brand_b = simulate(tmp), simulate(tmp, "--tenant", "brand-b")
    try:
        yield {"default": default.extra["url"], "brand-b": brand_b.extra["url"]}
    finally:
        default.stop()
        brand_b.stop()


def objects(url: str) -> list[dict]:
    return httpx.get(url + "/simulator/v1/objects", timeout=10).json()["objects"]


def token_status(url: str, key: str, client: tuple[str, str], user: tuple[str, str]) -> int:
    # Reference: seed 002 "Authentication" (password grant, x-api-key), as statsbridge/tokens.py sends it
    response = httpx.post(
        url + "/auth/v3/oauth/token",
        data={"grant_type": "password", "username": user[0], "password": user[1], "scope": "*"},
        auth=client,
        headers={"x-api-key": key},
        timeout=10,
    )
    return response.status_code


def test_each_tenant_has_its_own_agents_and_queues(tenants: dict[str, str]) -> None:
    a = {o["objectId"] for o in objects(tenants["default"])}
    b = {o["objectId"] for o in objects(tenants["brand-b"])}
    assert {"agent001", "8001@SIP_Switch"} <= a and {"agent501", "9001@SIP_Switch"} <= b
    agents_a = {i for i in a if i.startswith("agent")}
    agents_b = {i for i in b if i.startswith("agent")}
    assert not agents_a & agents_b and len(agents_a) == 50 and len(agents_b) == 20
    names = {o["objectId"]: o.get("name") for o in objects(tenants["brand-b"])}
    assert names["agent501"] != {o["objectId"]: o.get("name") for o in objects(tenants["default"])}["agent001"]


def test_each_tenant_accepts_only_its_own_credentials(tenants: dict[str, str]) -> None:
    a_client, b_client = (A.client_id, A.client_secret), (B.client_id, B.client_secret)
    a_user, b_user = (A.username, A.password), (B.username, B.password)
    assert token_status(tenants["default"], A.api_key, a_client, a_user) == 200
    assert token_status(tenants["brand-b"], B.api_key, b_client, b_user) == 200
    assert token_status(tenants["brand-b"], A.api_key, b_client, b_user) == 403  # the other tenant's key
    assert token_status(tenants["brand-b"], B.api_key, a_client, b_user) == 401  # the other tenant's client
