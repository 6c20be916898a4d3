"""Malformed, mistyped and huge input gets a 4xx, and the simulator stays up."""

from __future__ import annotations

import httpx

from tests.simulator.test_cometd import CometD


async def test_malformed_bodies_get_4xx_and_server_stays_up(authed: httpx.AsyncClient) -> None:
    attempts = [
        ("POST", "/statistics/v3/subscriptions", b"{not json"),
        ("POST", "/statistics/v3/subscriptions", b"[1,2,3]"),
        ("POST", "/statistics/v3/subscriptions", b'{"data": {"statistics": "nope"}}'),
        ("POST", "/statistics/v3/subscriptions", b'{"operationId": 5, "data": {"statistics": [{}]}}'),
        ("POST", "/statistics/v3/subscriptions", b'{"data": {"statistics": [42]}}'),
        ("POST", "/statistics/v3/operations/get-statistic-ex", b'{"data": null}'),
        ("POST", CometD, b"garbage"),
        ("POST", CometD, b"[1, 2]"),
        ("POST", CometD, b"[]"),
        ("POST", "/simulator/v1/outage", b'{"seconds": "soon"}'),
        ("POST", "/simulator/v1/rate", b'{"updates_per_second": -4}'),
        ("POST", "/statistics/v3/subscriptions", b"x" * (2 * 1024 * 1024)),
    ]
    for method, path, body in attempts:
        response = await authed.request(method, path, content=body, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (path, body[:40], response.status_code)
    assert (await authed.get("/simulator/v1/state")).status_code == 200
