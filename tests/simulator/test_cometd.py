"""The simulated CometD endpoint, driven with raw Bayeux messages over loopback."""

from __future__ import annotations

import asyncio
import time

import httpx

from statsbridge.simulator.server import Simulator
from tests.simulator.test_stats_api import SUBS, first_object

CometD = "/statistics/v3/notifications"


async def bayeux(http: httpx.AsyncClient, *messages: dict, path: str = "") -> list[dict]:
    response = await http.post(CometD + path, json=list(messages))
    assert response.status_code == 200, response.text
    return response.json()


async def handshake(http: httpx.AsyncClient) -> str:
    [reply] = await bayeux(
        http,
        {"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"], "id": "1"},
        path="/handshake",
    )
    assert reply["successful"] and reply["supportedConnectionTypes"] == ["long-polling", "callback-polling"]
    assert reply["advice"]["reconnect"] == "retry" and reply["advice"]["timeout"] > 0
    return reply["clientId"]


def connect(client_id: str) -> dict:
    return {"channel": "/meta/connect", "clientId": client_id, "connectionType": "long-polling"}


def subscribe(client_id: str, channel: str) -> dict:
    return {"channel": "/meta/subscribe", "clientId": client_id, "subscription": channel}


async def test_handshake_connect_subscribe_and_receive_updates(authed: httpx.AsyncClient) -> None:
    client_id = await handshake(authed)
    first = await bayeux(authed, connect(client_id))
    assert first[-1]["successful"]  # the first connect is answered at once
    replies = await bayeux(
        authed, subscribe(client_id, "/statistics/v3/updates"), subscribe(client_id, "/statistics/v3/service")
    )
    assert all(r["successful"] for r in replies)
    agent = await first_object(authed, "Agent")
    await authed.post(
        SUBS,
        json={
            "operationId": "live",
            "data": {
                "statistics": [
                    {"statisticId": "tics", "objectId": agent, "objectType": "Agent", "name": "TimeInCurrentState"}
                ]
            },
        },
    )
    events = []
    for _ in range(5):
        events = [m for m in await bayeux(authed, connect(client_id)) if m["channel"] == "/statistics/v3/updates"]
        if events:
            break
    assert events, "no StatisticUpdate arrived"
    notification = events[0]["data"]
    assert notification["name"] == "StatisticUpdate" and notification["topic"] == "/statistics/v3/updates"
    record = notification["data"]["statistics"][0]
    assert record["subscriptionId"] == "live" and record["statisticId"] == "tics"
    assert isinstance(record["timestamp"], int)


async def test_unknown_client_gets_402_with_handshake_advice(authed: httpx.AsyncClient) -> None:
    [reply] = await bayeux(authed, connect("no-such-client"))
    assert reply["successful"] is False and reply["error"] == "402::Unknown client"
    assert reply["advice"]["reconnect"] == "handshake"


async def test_connect_is_held_until_the_advice_timeout(authed: httpx.AsyncClient, simulator: Simulator) -> None:
    client_id = await handshake(authed)
    await bayeux(authed, connect(client_id))
    loop = asyncio.get_running_loop()
    started = loop.time()
    replies = await bayeux(authed, connect(client_id))
    assert replies[-1]["successful"]
    assert loop.time() - started >= simulator.bayeux.timeout_ms / 1000 * 0.9


async def test_clients_that_stop_polling_expire(authed: httpx.AsyncClient, simulator: Simulator) -> None:
    client_id = await handshake(authed)
    await bayeux(authed, connect(client_id))
    limit = simulator.bayeux.max_interval_s + simulator.bayeux.timeout_ms / 1000
    assert simulator.bayeux.sweep(now=time.monotonic()) == 0
    assert simulator.bayeux.sweep(now=time.monotonic() + limit + 1) >= 1
    [reply] = await bayeux(authed, connect(client_id))
    assert reply["error"] == "402::Unknown client"


async def test_invalid_channel_id_gets_500_like_the_real_service(authed: httpx.AsyncClient) -> None:
    client_id = await handshake(authed)
    response = await authed.post(CometD, json=[subscribe(client_id, "pepe")])
    assert response.status_code == 500


async def test_cometd_requires_a_valid_token(http: httpx.AsyncClient) -> None:
    response = await http.post(
        CometD, json=[{"channel": "/meta/handshake"}], headers={"Authorization": "Bearer expired"}
    )
    assert response.status_code == 401


async def test_outage_publishes_unavailable_drops_subscriptions_then_available(
    authed: httpx.AsyncClient, simulator: Simulator
) -> None:
    client_id = await handshake(authed)
    await bayeux(authed, connect(client_id))
    await bayeux(authed, subscribe(client_id, "/statistics/v3/service"))
    agent = await first_object(authed, "Agent")
    await authed.post(
        SUBS,
        json={
            "operationId": "o",
            "data": {
                "statistics": [
                    {"statisticId": "a", "objectId": agent, "objectType": "Agent", "name": "CurrentAgentState"}
                ]
            },
        },
    )
    assert (await authed.post("/simulator/v1/outage", json={"seconds": 0.5})).status_code == 200
    assert simulator.registry.subscription_count == 0
    assert (await authed.get(f"{SUBS}/o/statistic-values")).status_code == 503
    states = []
    for _ in range(6):
        for message in await bayeux(authed, connect(client_id)):
            if message["channel"] == "/statistics/v3/service":
                assert message["data"]["name"] == "ServiceStateChange"
                states.append(message["data"]["data"]["serviceState"])
        if "AVAILABLE" in states:
            break
    assert states == ["UNAVAILABLE", "AVAILABLE"]


async def test_restart_forgets_clients_subscriptions_and_tokens(
    authed: httpx.AsyncClient, simulator: Simulator
) -> None:
    client_id = await handshake(authed)
    await authed.post("/simulator/v1/restart")
    state = (await authed.get("/simulator/v1/state")).json()
    assert state["cometd_clients"] == 0 and state["subscriptions"] == 0 and state["tokens"] == 0
    response = await authed.post(CometD, json=[connect(client_id)])
    assert response.status_code == 401  # the token died with the restart


async def test_updates_go_only_to_the_subscription_owners_sessions(
    authed: httpx.AsyncClient, simulator: Simulator
) -> None:
    from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS

    other = (
        await authed.post(
            "/auth/v3/oauth/token",
            auth=(CREDS.client_id, CREDS.client_secret),
            data={"grant_type": "password", "username": "observer@simulator", "password": "observer-password"},
        )
    ).json()["access_token"]
    mine = await handshake(authed)
    await bayeux(authed, connect(mine), subscribe(mine, "/statistics/v3/updates"))
    theirs_headers = {"Authorization": f"Bearer {other}"}
    [reply] = (
        await authed.post(
            CometD,
            json=[{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"]}],
            headers=theirs_headers,
        )
    ).json()
    theirs = reply["clientId"]
    await authed.post(
        CometD, json=[connect(theirs), subscribe(theirs, "/statistics/v3/updates")], headers=theirs_headers
    )
    agent = await first_object(authed, "Agent")
    await authed.post(
        SUBS,
        json={
            "operationId": "owned",
            "data": {
                "statistics": [
                    {"statisticId": "t", "objectId": agent, "objectType": "Agent", "name": "TimeInCurrentState"}
                ]
            },
        },
    )
    simulator.publisher.tick(time.time() + 2)
    assert simulator.bayeux.clients[mine].queue and not simulator.bayeux.clients[theirs].queue


async def test_a_client_that_stops_polling_has_a_bounded_queue(authed: httpx.AsyncClient, simulator: Simulator) -> None:
    client_id = await handshake(authed)
    await bayeux(authed, connect(client_id), subscribe(client_id, "/statistics/v3/updates"))
    client = simulator.bayeux.clients[client_id]
    for _ in range(100):
        client.enqueue({"channel": "/statistics/v3/updates", "data": {}}, weight=simulator.bayeux.queue_limit // 10)
    assert client.queued <= simulator.bayeux.queue_limit and client.dropped > 0
