"""The simulated Statistics REST API: the five calls, their envelopes and errors."""

from __future__ import annotations

import httpx

from statsbridge.simulator.server import Simulator

SUBS = "/statistics/v3/subscriptions"


async def first_object(http: httpx.AsyncClient, object_type: str) -> str:
    objects = (await http.get("/simulator/v1/objects")).json()["objects"]
    return next(o["objectId"] for o in objects if o["objectType"] == object_type)


async def test_create_subscription_returns_values_with_timestamps(authed: httpx.AsyncClient) -> None:
    agent, queue = await first_object(authed, "Agent"), await first_object(authed, "Queue")
    body = {
        "operationId": "op-1",
        "data": {
            "statistics": [
                {"statisticId": "s1", "objectId": agent, "objectType": "Agent", "name": "CurrentAgentState"},
                {"statisticId": "s2", "objectId": queue, "objectType": "Queue", "name": "CurrentNumberWaitingCalls"},
                {
                    "statisticId": "s3",
                    "objectId": queue,
                    "objectType": "Queue",
                    "definition": {
                        "category": "TotalNumber",
                        "subject": "DNAction",
                        "mainMask": "CallAnswered",
                        "intervalType": "GrowingWindow",
                        "notificationMode": "Periodical",
                        "notificationFrequency": 5,
                    },
                },
            ]
        },
    }
    response = await authed.post(SUBS, params={"verbose": "INFO"}, json=body)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert response.json()["status"]["code"] == 0
    assert data["subscriptionId"] == "op-1" == data["operationId"]
    by_id = {s["statisticId"]: s for s in data["statistics"]}
    assert set(by_id) == {"s1", "s2", "s3"}
    assert "Status" in by_id["s1"]["value"] and by_id["s1"]["name"] == "CurrentAgentState"
    assert isinstance(by_id["s2"]["value"], (int, float))
    assert all(isinstance(s["timestamp"], int) and s["timestamp"] > 1_600_000_000_000 for s in by_id.values())


async def test_statistic_values_filters_by_ids_and_verbose_off(authed: httpx.AsyncClient) -> None:
    queue = await first_object(authed, "Queue")
    stats = [
        {"statisticId": f"q{i}", "objectId": queue, "objectType": "Queue", "name": name}
        for i, name in enumerate(["TotalNumberInboundCalls", "ServiceFactor"])
    ]
    await authed.post(SUBS, json={"operationId": "op-2", "data": {"statistics": stats}})
    response = await authed.get(f"{SUBS}/op-2/statistic-values", params={"statisticIds": "q1", "verbose": "OFF"})
    records = response.json()["data"]["statistics"]
    assert [r["statisticId"] for r in records] == ["q1"]
    assert "objectId" not in records[0]
    unknown = await authed.get(f"{SUBS}/op-2/statistic-values", params={"statisticIds": "nope"})
    assert unknown.status_code == 400 and "nope" in unknown.json()["status"]["message"]


async def test_delete_is_fire_and_forget(authed: httpx.AsyncClient, simulator: Simulator) -> None:
    queue = await first_object(authed, "Queue")
    await authed.post(
        SUBS,
        json={
            "operationId": "op-3",
            "data": {
                "statistics": [{"statisticId": "x", "objectId": queue, "objectType": "Queue", "name": "ServiceFactor"}]
            },
        },
    )
    assert simulator.registry.subscription_count == 1
    assert (await authed.delete(f"{SUBS}/op-3")).json()["status"]["code"] == 0
    assert (await authed.delete(f"{SUBS}/never-existed")).status_code == 200
    assert simulator.registry.subscription_count == 0


async def test_peeks_without_subscription(authed: httpx.AsyncClient) -> None:
    agent = await first_object(authed, "Agent")
    many = await authed.post(
        "/statistics/v3/operations/get-statistic-ex",
        json={
            "data": {
                "statistics": [
                    {"name": "CurrentAgentState", "objectType": "Agent", "objectId": agent},
                    {"name": "TimeInCurrentState", "objectType": "Agent", "objectId": agent},
                ]
            }
        },
    )
    assert [s["name"] for s in many.json()["data"]["statistics"]] == ["CurrentAgentState", "TimeInCurrentState"]
    one = await authed.get(
        "/statistics/v3/statistic-values/TimeInCurrentState", params={"objectType": "Agent", "objectId": agent}
    )
    assert set(one.json()["data"]["statistic"]) == {"value", "timestamp"}
    missing = await authed.get(
        "/statistics/v3/statistic-values/NoSuchStatistic", params={"objectType": "Agent", "objectId": agent}
    )
    assert missing.status_code == 404


async def test_one_bad_item_gets_status_2_with_its_error_and_the_rest_opens(authed: httpx.AsyncClient) -> None:
    agent = await first_object(authed, "Agent")
    cases = [
        ({"statisticId": "a", "objectId": agent, "objectType": "Agnt", "name": "CurrentAgentState"}, "Agnt"),
        ({"statisticId": "a", "objectId": "ghost", "objectType": "Agent", "name": "CurrentAgentState"}, "ghost"),
        ({"statisticId": "a", "objectId": agent, "objectType": "Agent", "name": "Bogus"}, "Bogus"),
        (
            {
                "statisticId": "a",
                "objectId": agent,
                "objectType": "Agent",
                "definition": {"category": "Nonsense", "subject": "AgentStatus"},
            },
            "category",
        ),
    ]
    for index, (bad, word) in enumerate(cases):
        good = {"statisticId": "g", "objectId": agent, "objectType": "Agent", "name": "TimeInCurrentState"}
        response = await authed.post(SUBS, json={"operationId": f"bad-{index}", "data": {"statistics": [good, bad]}})
        assert response.status_code == 200, bad
        body = response.json()
        assert body["status"]["code"] == 2
        assert [s["statisticId"] for s in body["data"]["statistics"]] == ["g"]
        [error] = body["errors"]
        message = error["status"]["message"]
        assert "statistics[1]" in message and word in message, message
        values = await authed.get(f"{SUBS}/bad-{index}/statistic-values")
        assert [s["statisticId"] for s in values.json()["data"]["statistics"]] == ["g"]


async def test_a_subscription_whose_every_item_is_bad_gets_400_with_the_errors(authed: httpx.AsyncClient) -> None:
    bad = {"statisticId": "a", "objectId": "ghost", "objectType": "Agent", "name": "CurrentAgentState"}
    response = await authed.post(SUBS, json={"operationId": "all-bad", "data": {"statistics": [bad]}})
    assert response.status_code == 400
    body = response.json()
    assert "ghost" in body["status"]["message"] and len(body["errors"]) == 1


async def test_bad_or_expired_token_gets_401(
    http: httpx.AsyncClient, simulator: Simulator, authed: httpx.AsyncClient
) -> None:
    assert (await http.get(f"{SUBS}/x/statistic-values", headers={"Authorization": "Bearer junk"})).status_code == 401
    simulator.tokens.expire_all()
    assert (await authed.get(f"{SUBS}/x/statistic-values")).status_code == 401


async def test_rest_sets_the_session_cookie(authed: httpx.AsyncClient) -> None:
    response = await authed.delete(f"{SUBS}/whatever")
    assert "STATISTICS_SESSIONID" in response.cookies or "STATISTICS_SESSIONID" in authed.cookies
