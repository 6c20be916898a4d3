"""Fault rows 3-8 of issue #7: a real bridge against the real simulator over loopback,
with faults injected in the simulator, in a TCP proxy between the two
(tests/support/fault_proxy.py), or by a small server that answers garbage.

The figures the rows ask for are printed (`pytest -s`) and copied to docs/reliability.md.
"""
from __future__ import annotations

import asyncio
import gc
import http.cookiejar
import math
import os
import random
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Iterator

import httpx
import orjson
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statsbridge.agent_status import AgentState
from statsbridge.backoff import Backoff
from statsbridge.cometd import SERVICE_CHANNEL, UPDATES_CHANNEL, NotificationLink, _GenesysClient
from statsbridge.cookies import SharedCookies
from statsbridge.messages import encode, snapshot_message
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.http_common import SESSION_COOKIE
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState, now_ms
from statsbridge.tokens import TokenProvider
from statsbridge.values import normalise, timestamp_ms
from tests.statsbridge.conftest import DASHBOARD, LiveBridge, config_for, start_live_bridge
from tests.support.fault_proxy import FaultProxy
from tests.support.waiting import async_wait_until

MIB = 2**20
HOUR_MS = 3_600_000


def figure(name: str, value: object) -> None:
    print(f"FIGURE {name}: {value}")


def rss_mib() -> float:
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


def new_simulator(**options: Any) -> Simulator:
    sim = Simulator(port=0, agents=20, queues=4, seed=3, connect_timeout_ms=2000, max_interval_s=2.0, **options)
    sim.publisher.rate = 20  # every statistic updates often: a missing value is the bridge's doing
    return sim


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    sim = new_simulator()
    await sim.start()
    yield sim
    await sim.stop()


@asynccontextmanager
async def running(simulator: Simulator, **config: object) -> AsyncIterator[LiveBridge]:
    """A live bridge for the block. Its task is created but has not run when the block
    starts, so the block may still patch the link before the first handshake."""
    live = await start_live_bridge(simulator, **config)
    try:
        yield live
    finally:
        live.stop.set()
        await asyncio.wait_for(live.task, 20)  # type: ignore[arg-type]


def settled(live: LiveBridge) -> bool:
    return (live.bridge.status.state == BridgeState.CONNECTED
            and sorted(live.upstream_open()) == sorted(live.desired.statistics))


async def wait_settled(live: LiveBridge, timeout: float = 30.0) -> None:
    await async_wait_until(lambda: settled(live), timeout=timeout, what="connected, every statistic open once")


async def next_frame(live: LiveBridge, deadline: float) -> dict:
    """The next frame for the probe dashboard (not kept: some carry 10 MB)."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise AssertionError("deadline passed waiting for frames")
    return orjson.loads((await asyncio.wait_for(live.layer.receive(live.channel), left))["text"])


async def fresh_for_every_key(live: LiveBridge, since_ms: int, timeout: float = 30.0,
                             keys: set[str] | None = None) -> None:
    """Wait until every statistic (or `keys`) had a value stamped in the hour from `since_ms`."""
    deadline, waiting = time.monotonic() + timeout, set(keys or live.desired.statistics)
    while waiting:
        try:
            frame = await next_frame(live, deadline)
        except (AssertionError, asyncio.TimeoutError):
            raise AssertionError(f"no value newer than {since_ms} for {sorted(waiting)}") from None
        if frame["type"] == "update":
            waiting -= {s["id"] for s in frame["statistics"]
                        if since_ms <= (s["timestamp"] or 0) < since_ms + HOUR_MS}


def held_poll(simulator: Simulator) -> str | None:
    """The id of a client subscribed to both channels whose /meta/connect is being held."""
    return next((c.client_id for c in simulator.bayeux.clients.values()
                 if c.polling and len(c.channels) == 2), None)


def forget_client(simulator: Simulator, client_id: str) -> None:
    """The service forgets the client: its held poll is answered `402::Unknown client`
    (`bayeux.forget()` would also cut the TCP connection: a network failure, row 2)."""
    simulator.bayeux.disconnect({"clientId": client_id})


# -- row 3: 402::Unknown client, again and again ----------------------------------------

def count_handshakes_in_flight(live: LiveBridge) -> dict[str, int]:
    link, seen = live.bridge.link, {"now": 0, "max": 0}
    open_session = link._open

    async def counted(client: Any) -> None:
        seen["now"] += 1
        seen["max"] = max(seen["max"], seen["now"])
        try:
            await open_session(client)
        finally:
            seen["now"] -= 1

    link._open = counted  # type: ignore[method-assign]
    return seen


@pytest.mark.slow
async def test_a_hundred_unknown_client_replies_are_a_hundred_recoveries_one_handshake_at_a_time(
        simulator: Simulator) -> None:
    async with running(simulator) as live:
        link = live.bridge.link
        link.HANDSHAKE_SPACING = 0.05  # the default 1 s has its own test below
        in_flight = count_handshakes_in_flight(live)
        await wait_settled(live)
        started = time.monotonic()
        for n in range(1, 101):
            client_id = await async_wait_until(lambda: held_poll(simulator), interval=0.01, what=f"poll #{n}")
            before = simulator.bayeux.handshakes
            forget_client(simulator, client_id)
            await async_wait_until(lambda: simulator.bayeux.handshakes > before, interval=0.01,
                                   what=f"the handshake after 402 #{n}")
        await wait_settled(live)
        figure("row 3: 100 recoveries took (s, 50 ms spacing)", round(time.monotonic() - started, 1))
        assert simulator.bayeux.unknown_client_replies == 100
        assert link.failures == {"unknown-client": 100}
        assert link.handshakes == simulator.bayeux.handshakes == 101
        assert in_flight["max"] == 1
        assert len(live.upstream_open()) == len(set(live.upstream_open()))


async def test_with_the_default_spacing_a_burst_of_402s_costs_at_most_one_handshake_per_second(
        simulator: Simulator) -> None:
    stamps: list[float] = []
    handshake = simulator.bayeux.handshake

    def stamped(owner: str, message: dict) -> dict:
        stamps.append(time.monotonic())
        return handshake(owner, message)

    simulator.bayeux.handshake = stamped  # type: ignore[method-assign]
    async with running(simulator) as live:
        await wait_settled(live)
        for n in range(1, 11):
            forget_client(simulator, await async_wait_until(lambda: held_poll(simulator), interval=0.01,
                                                            what=f"poll #{n}"))
        await async_wait_until(lambda: len(stamps) >= 11 and held_poll(simulator), what="the tenth recovery")
    assert len(stamps) == 11
    gaps = [later - earlier for earlier, later in zip(stamps, stamps[1:])]
    figure("row 3: handshake gaps at default spacing (s)", [round(g, 2) for g in gaps])
    # Arrival times at the server: transit jitter may shave a little off a 1 s gap.
    assert min(gaps) >= 0.75
    assert (stamps[-1] - stamps[1]) / 9 >= 0.95


# -- row 4: advice reconnect none ----------------------------------------------------

@pytest.mark.slow
async def test_advice_none_shows_the_state_and_retries_below_one_request_per_second(
        simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        simulator.bayeux.reconnect_advice = "none"
        frame = await live.frames_until(lambda f: f["type"] == "bridge" and f["state"] != "connected", 30)
        assert frame["state"] == "connecting" and "advised-none" in frame["detail"]
        await async_wait_until(lambda: live.bridge.link.failures.get("advised-none", 0) >= 3, timeout=60,
                               what="the first few refusals")
        requests, rest, states = simulator.cometd.requests, simulator.statistics.requests, set()
        started = time.monotonic()
        while time.monotonic() - started < 15.0:  # a measuring window, sampled
            states.add(live.bridge.status.state)
            await asyncio.sleep(0.1)
        rate = (simulator.cometd.requests - requests) / (time.monotonic() - started)
        figure("row 4: CometD requests/s under advice none, after 3 refusals", round(rate, 2))
        assert rate < 1.0
        assert BridgeState.CONNECTED not in states
        assert simulator.statistics.requests == rest  # no resubscribing while refused
        assert live.bridge.link.backoff.cap == 60.0


def test_the_backoff_is_jittered_and_capped_at_60_s() -> None:
    backoff = Backoff(base=0.5, cap=config_for("http://127.0.0.1:9").backoff_cap)
    delays = [backoff.next_delay() for _ in range(300)]
    assert 0.25 <= min(delays) and max(delays) <= 60.0
    late = delays[50:]
    assert max(late) - min(late) > 30.0  # drawn, not fixed: many clients do not march in step
    assert max(late) > 50.0  # and the cap is reached


async def test_after_advice_none_the_bridge_recovers_once_advice_is_retry(simulator: Simulator) -> None:
    async with running(simulator, backoff_cap=4.0) as live:
        await wait_settled(live)
        simulator.bayeux.reconnect_advice = "none"
        await async_wait_until(lambda: live.bridge.link.failures.get("advised-none", 0) >= 2, timeout=60,
                               what="refusals")
        assert live.bridge.status.state != BridgeState.CONNECTED
        simulator.bayeux.reconnect_advice = "retry"
        since = now_ms()
        await wait_settled(live, timeout=60)
        await fresh_for_every_key(live, since)


# -- row 5: a long poll accepted and never answered, and other network faults --------

class _Behind:
    """The simulator as the bridge sees it through the proxy: another base_url."""

    def __init__(self, simulator: Simulator, base_url: str) -> None:
        self._simulator, self.base_url = simulator, base_url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._simulator, name)


@asynccontextmanager
async def through_proxy(simulator: Simulator, **config: object) -> AsyncIterator[tuple[FaultProxy, LiveBridge]]:
    async with FaultProxy("127.0.0.1", simulator.port) as proxy:
        behind = _Behind(simulator, proxy.url)
        async with running(behind, request_timeout=3.0, **config) as live:  # type: ignore[arg-type]
            yield proxy, live


async def test_a_black_holed_long_poll_is_noticed_within_advice_timeout_plus_grace(
        simulator: Simulator) -> None:
    advice_s, grace_s = simulator.bayeux.timeout_ms / 1000, 3.0
    async with through_proxy(simulator, poll_grace=grace_s) as (proxy, live):
        await wait_settled(live)
        await async_wait_until(lambda: held_poll(simulator), what="a long poll in flight")
        network = live.bridge.link.failures.get("network", 0)
        proxy.blackhole()
        started = time.monotonic()
        await async_wait_until(lambda: live.bridge.link.failures.get("network", 0) > network, interval=0.02,
                               timeout=advice_s + grace_s + 60, what="the link noticing the silence")
        noticed = time.monotonic() - started
        assert live.bridge.status.state != BridgeState.CONNECTED
        proxy.pass_through()
        await wait_settled(live, timeout=60)
    figure(f"row 5: black-holed poll noticed after (s, advice {advice_s} + grace {grace_s})", round(noticed, 2))
    assert noticed <= advice_s + grace_s + 5.0


async def test_connections_reset_mid_poll_are_noticed_and_recovered(simulator: Simulator) -> None:
    async with through_proxy(simulator) as (proxy, live):
        await wait_settled(live)
        await async_wait_until(lambda: held_poll(simulator), what="a long poll in flight")
        network = live.bridge.link.failures.get("network", 0)
        proxy.cut_all()
        await async_wait_until(lambda: live.bridge.link.failures.get("network", 0) > network,
                               what="the reset seen as a network failure")
        since = now_ms()
        await wait_settled(live, timeout=60)
        await fresh_for_every_key(live, since)
    assert proxy.resets >= 1


async def test_a_slow_link_still_delivers_every_statistic(simulator: Simulator) -> None:
    async with through_proxy(simulator) as (proxy, live):
        proxy.delay(0.2)
        await wait_settled(live, timeout=60)
        await fresh_for_every_key(live, now_ms(), timeout=60)
        assert live.bridge.link.failures == {}


# -- row 6: short-lived tokens and random 401s -------------------------------------------

TOKEN_LIFETIME_S = 3.0
TOKEN_SOAK_S = 60.0


def longest_run_of_refusals(answers: list[bool]) -> int:
    longest = run = 0
    for accepted in answers:
        run = 0 if accepted else run + 1
        longest = max(longest, run)
    return longest


async def record_update_arrivals(live: LiveBridge, arrivals: list[float]) -> None:
    while True:
        frame = orjson.loads((await live.layer.receive(live.channel))["text"])
        if frame["type"] == "update":
            arrivals.append(time.monotonic())


def record_token_checks(simulator: Simulator) -> list[bool]:
    """Every token check of the Statistics API and CometD, in order: False is a 401."""
    answers: list[bool] = []
    check = simulator.tokens.user_for

    def recorded(token: str | None) -> str | None:
        user = check(token)
        answers.append(user is not None)
        return user

    simulator.tokens.user_for = recorded  # type: ignore[method-assign]
    return answers


@pytest.mark.slow
async def test_short_lived_tokens_and_random_401s_cost_one_fetch_per_expiry_and_no_gap() -> None:
    simulator = new_simulator(token_lifetime=TOKEN_LIFETIME_S)
    await simulator.start()
    answers = record_token_checks(simulator)
    try:
        async with running(simulator) as live:
            await wait_settled(live)
            fetches, answers[:] = live.bridge.tokens.fetches, []
            arrivals: list[float] = []
            recorder = asyncio.create_task(record_update_arrivals(live, arrivals))
            rng, forced = random.Random(7), 0
            started = time.monotonic()
            next_expiry = started + rng.uniform(3, 8)
            while (now := time.monotonic()) - started < TOKEN_SOAK_S:
                if now >= next_expiry:
                    simulator.tokens.expire_all()
                    forced, next_expiry = forced + 1, now + rng.uniform(3, 8)
                await asyncio.sleep(0.05)
            ended = time.monotonic()
            recorder.cancel()
            fetched = live.bridge.tokens.fetches - fetches
    finally:
        await simulator.stop()
    # Short tokens are renewed at 80 % of their life (statsbridge/tokens.py): one fetch each.
    expiries = (ended - started) / (0.8 * TOKEN_LIFETIME_S) + forced
    moments = [started, *arrivals, ended]
    gap = max(later - earlier for earlier, later in zip(moments, moments[1:]))
    figure("row 6: token fetches / expiries (natural + forced)", f"{fetched} / {expiries:.1f} ({forced} forced)")
    figure("row 6: longest run of 401s", longest_run_of_refusals(answers))
    figure("row 6: longest gap between update frames (s)", round(gap, 2))
    assert fetched <= expiries + 1
    assert longest_run_of_refusals(answers) <= 3
    assert gap <= 10.0


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
        grant = await client.post("/auth/v3/oauth/token", auth=(CREDS.client_id, CREDS.client_secret),
                                  data={"grant_type": "password", "username": CREDS.username,
                                        "password": CREDS.password})
        assert grant.status_code == 200 and SESSION_COOKIE in client.cookies
        headers["Authorization"] = f"Bearer {grant.json()['access_token']}"
        assert (await client.get(peek, params=params, headers=headers)).status_code == 200  # it kept the cookie
        async with httpx.AsyncClient(base_url=simulator.base_url, headers=headers) as stray:
            for method, path, options in [("GET", peek, {"params": params}),
                                          ("POST", "/statistics/v3/notifications", {"json": handshake})]:
                stray.cookies.clear()  # a 503 issues one: refuse the next request again
                response = await stray.request(method, path, **options)
                assert response.status_code == 503
                assert response.json()["status"]["message"] == "no session cookie: load balancer cannot route"
            await client.post("/simulator/v1/require-cookie", json={"require": False})
            stray.cookies.clear()
            assert (await stray.get(peek, params=params)).status_code == 200
    assert simulator.cookies.refused == 2


# -- row 8: malformed frames, through the bridge and through the transport ---------------

def odd_value(rng: random.Random) -> object:
    nested: object = 1
    for _ in range(rng.randint(1, 200)):  # below orjson's re-encoding limit (see the xfail below)
        nested = {"v": nested} if rng.random() < 0.5 else [nested]
    return rng.choice([
        {"Status": rng.choice([99, -1, "4", None, True, 4.5])}, {"Status": 4, "extra": [1]}, nested,
        "x" * rng.randint(0, 5000), [1, 2], {"a": 1, "b": 2}, {"value": "5"}, {}, None, True,
        float("nan"), float("inf"), -0.0, 10**18, -(2**63), 1e308, {"value": float("nan")}])


def malformed_messages(rng: random.Random, count: int, opened: dict[str, set[str]]) -> Iterator[object]:
    subscription, keys = next(iter(opened.items()))
    stamp = now_ms()

    def record(value: object = 1, timestamp: object = stamp, key: object = None, sub: object = None) -> dict:
        return {"subscriptionId": subscription if sub is None else sub,
                "statisticId": rng.choice(sorted(keys)) if key is None else key,
                "value": value, "timestamp": timestamp}

    def updates(records: object) -> dict:
        return {"channel": UPDATES_CHANNEL, "data": {"statistics": records}}

    shapes: list[Callable[[], object]] = [
        lambda: rng.choice([None, 42, "text", [], [1, 2], True, 3.5, b"bytes"]),
        lambda: {"channel": rng.choice([None, 5, "/elsewhere", UPDATES_CHANNEL]),
                 "data": rng.choice([None, 5, "x", []])},
        lambda: updates(rng.choice([None, "nope", 5, {"a": 1}])),
        lambda: updates([rng.choice([None, 1, "x", [], {}]) for _ in range(3)]),
        lambda: updates([record(odd_value(rng)) for _ in range(rng.randint(1, 5))]),
        lambda: updates([record(timestamp=rng.choice([None, "2024", -5, 0, 1e300, float("nan"), True, 10**14 + 1]))]),
        lambda: updates([record(key=rng.choice([None, 5, "nope", 4.5]), sub=rng.choice([None, 5, "nope", True]))]),
        lambda: {"channel": SERVICE_CHANNEL, "data": {"serviceState": rng.choice([None, 5, "MAYBE", "available"])}},
        lambda: {"channel": UPDATES_CHANNEL, "data": {"data": {"data": {"statistics": [record()]}}}},
    ]
    yield updates([record("x" * (10 * MIB), timestamp=None)])  # 10 MB, stored and sent once
    yield updates([record(key="k" * (10 * MIB))])
    for _ in range(count - 2):
        yield rng.choice(shapes)()


async def test_a_thousand_malformed_messages_leave_the_bridge_alive_lean_and_flowing(simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        await fresh_for_every_key(live, now_ms())
        before, counters = rss_mib(), vars(live.bridge.counters).copy()
        for message in malformed_messages(random.Random(8), 1000, live.bridge.reconciler.open):
            live.bridge.handle_message(message)  # type: ignore[arg-type]
        await fresh_for_every_key(live, now_ms())  # drains the frames, the 10 MB one too
        growth = rss_mib() - before
        skipped = {k: v - counters[k] for k, v in vars(live.bridge.counters).items() if v != counters[k]}
        figure("row 8: RSS growth after 1,000 malformed messages (MiB)", round(growth, 1))
        figure("row 8: counters moved by them", skipped)
        assert not live.task.done() and live.bridge.status.state == BridgeState.CONNECTED  # type: ignore[union-attr]
        assert growth < 20
        assert skipped["malformed"] > 100 and skipped["unknown_values"] > 50 and skipped["stale_updates"] > 50


class GarbageBayeux:
    """A token endpoint and a Bayeux endpoint that answers from `plan` first, in order
    per channel ("*" matches any), and correctly otherwise: each correct /meta/connect
    is held briefly and carries one update event."""

    def __init__(self, plan: list[tuple[str, int, Any]]) -> None:
        self.plan = list(plan)
        self.served = self.connects = self.events = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        app = web.Application(client_max_size=64 * MIB)
        app.add_routes([web.post("/auth/v3/oauth/token", self.token),
                        web.post("/statistics/v3/notifications{tail:.*}", self.bayeux)])
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def token(self, request: web.Request) -> web.Response:
        return web.json_response({"access_token": "garbage-token", "expires_in": 3600})

    async def bayeux(self, request: web.Request) -> web.Response:
        messages = orjson.loads(await request.read())
        first = messages[0]
        self.connects += first["channel"] == "/meta/connect"
        for index, (channel, status, body) in enumerate(self.plan):
            if channel in ("*", first["channel"]):
                del self.plan[index]
                self.served += 1
                return web.Response(status=status, body=body(first) if callable(body) else body,
                                    content_type="application/json")
        return web.Response(body=orjson.dumps([r for m in messages for r in await self._answer(m)]),
                            content_type="application/json")

    async def _answer(self, message: dict) -> list[dict]:
        reply = {"channel": message["channel"], "id": message.get("id"), "successful": True, "clientId": "c1",
                 "advice": {"interval": 0, "timeout": 2000, "reconnect": "retry"}}
        if message["channel"] == "/meta/handshake":
            reply.update(version="1.0", supportedConnectionTypes=["long-polling"])
        if message["channel"] == "/meta/subscribe":
            reply["subscription"] = message["subscription"]
        if message["channel"] != "/meta/connect":
            return [reply]
        await asyncio.sleep(0.05)
        self.events += 1
        return [{"channel": UPDATES_CHANNEL, "data": {"statistics": [{"n": self.events}]}}, reply]


def reply(**fields: object) -> Callable[[dict], bytes]:
    return lambda m: orjson.dumps([{"channel": m.get("channel"), "id": m.get("id"), **fields}])


def events_then_ok(*events: object) -> Callable[[dict], bytes]:
    return lambda m: orjson.dumps([*events, {"channel": m.get("channel"), "id": m.get("id"), "successful": True}])


GARBAGE: list[tuple[str, int, Any]] = [
    ("*", 200, b""), ("*", 200, b"not json"), ("*", 200, b"{"), ("*", 200, b"null"), ("*", 200, b"42"),
    ("*", 200, b'"text"'), ("*", 200, b"[]"), ("*", 200, b"[1, 2, 3]"), ("*", 200, b"[null]"),
    ("*", 200, b'[{"channel": 5}]'), ("*", 200, b"[" * 1000 + b"]" * 1000),
    ("*", 500, b"<html>oops</html>"), ("*", 502, b""), ("*", 401, b"{}"), ("*", 403, b"{}"),
    ("*", 404, b"nope"), ("*", 204, b""), ("*", 302, b""),
    ("/meta/handshake", 200, reply(successful=True)),
    ("/meta/handshake", 200, reply(successful=True, clientId=7, supportedConnectionTypes="long-polling")),
    ("/meta/handshake", 200, reply(successful=False, error=12345)),
    ("/meta/handshake", 200, reply(successful=False, advice={"reconnect": "none"})),
    ("/meta/subscribe", 200, reply(successful=False, error="403::denied")),
    ("/meta/subscribe", 200, reply(successful="yes", subscription=42)),
    ("/meta/connect", 200, reply(successful=True, advice="retry")),
    ("/meta/connect", 200, reply(successful=True, advice=[1])),
    ("/meta/connect", 200, reply(successful=True, advice={"timeout": "soon", "interval": -5, "reconnect": 7})),
    ("/meta/connect", 200, reply(successful=True, advice={"interval": "x", "reconnect": "retry"})),
    ("/meta/connect", 200, reply(successful=False, error="402::Unknown client", advice={"reconnect": "handshake"})),
    ("/meta/connect", 200, lambda m: orjson.dumps([{"channel": "/meta/connect", "successful": True}])),
    ("/meta/connect", 200, events_then_ok({"channel": UPDATES_CHANNEL, "data": 5}, {"channel": UPDATES_CHANNEL},
                                          {"data": {}}, {"channel": 5, "data": {}},
                                          {"channel": UPDATES_CHANNEL, "data": {"statistics": "x" * 1000}})),
]
HUGE: list[tuple[str, int, Any]] = [  # 10 MB each, made when served
    ("*", 200, lambda m: b"x" * (10 * MIB)),
    ("/meta/connect", 200, lambda m: b'["' + b"x" * (10 * MIB) + b'"]'),
    ("/meta/connect", 200, lambda m: events_then_ok({"channel": UPDATES_CHANNEL, "data": {
        "statistics": [{"value": "x" * (10 * MIB)}]}})(m)),
]


def event_number(event: object) -> int:
    """`n` of an event the garbage server sent well-formed, 0 for any other."""
    data = event.get("data") if isinstance(event, dict) else None
    records = data.get("statistics") if isinstance(data, dict) else None
    if isinstance(records, list) and records and isinstance(records[0], dict):
        n = records[0].get("n")
        return n if isinstance(n, int) else 0
    return 0


@asynccontextmanager
async def link_to(server: GarbageBayeux) -> AsyncIterator[tuple[NotificationLink, list[int], asyncio.Task]]:
    """A CometD link to `server`; yields it, the numbers of the valid events it received
    (not the events: some carry 10 MB) and its task."""
    config = config_for(await server.start(), backoff_cap=0.01, poll_grace=1.0, request_timeout=3.0)
    http = httpx.AsyncClient()
    numbers: list[int] = []
    link = NotificationLink(config, TokenProvider(config, http), SharedCookies(),
                            on_event=lambda event: numbers.append(event_number(event)),
                            on_session=lambda: None, on_state=lambda state, detail: None)
    link.HANDSHAKE_SPACING = 0.0  # hundreds of sessions; the spacing has its own test
    stop = asyncio.Event()
    task = asyncio.create_task(link.run(stop))
    try:
        yield link, numbers, task
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
        await http.aclose()
        await server.stop()


async def test_hundreds_of_malformed_bayeux_replies_leave_the_link_alive_lean_and_flowing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # aiocometd-ng naps 250 ms after closing the HTTP session of a failed open: 80 s here.
    monkeypatch.setattr(_GenesysClient, "_HTTP_SESSION_CLOSE_TIMEOUT", 0.0)
    before = rss_mib()
    server = GarbageBayeux(GARBAGE * 10 + HUGE)
    async with link_to(server) as (link, numbers, task):
        await async_wait_until(lambda: not server.plan, timeout=120, what="every malformed reply served")
        served_at = server.events
        await async_wait_until(lambda: max(numbers) > served_at + 5, timeout=30,
                               what="valid events after the garbage")
        assert not task.done()
    growth = rss_mib() - before
    figure("row 8: malformed Bayeux replies served / link failures by kind", (server.served, link.failures))
    figure("row 8: RSS growth after them (MiB)", round(growth, 1))
    assert server.served == len(GARBAGE) * 10 + len(HUGE)
    assert growth < 20


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["Status", "value", "v", ""]) | st.text(max_size=6), children, max_size=4),
    max_leaves=20)
STATES = {state.value for state in AgentState}


@settings(max_examples=2000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(JSON)
def test_the_value_parser_gives_none_or_a_finite_number_for_any_json(raw: object) -> None:
    result = normalise(raw)
    assert result.value is None or (type(result.value) in (int, float) and math.isfinite(result.value))
    assert result.state is None or result.state in STATES
    stamp = timestamp_ms(raw)
    assert stamp is None or (type(stamp) is int and 0 <= stamp < 10**14)  # 0: see the xfail below


# -- bugs these rows found, fixed in this session (one still strict-xfail) --------------------

def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


async def test_a_value_nested_too_deep_to_reencode_costs_no_snapshot_and_no_other_value(
        simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        subscription, keys = next(iter(live.bridge.reconciler.open.items()))
        deep, other = sorted(keys)[:2]
        stamp = now_ms()
        live.bridge.handle_message({"channel": UPDATES_CHANNEL, "data": {"statistics": [
            {"subscriptionId": subscription, "statisticId": k, "value": v, "timestamp": stamp}
            for k, v in ((deep, nested(300)), (other, 4242))]}})
        encode(snapshot_message(DASHBOARD, live.bridge.status, live.bridge.snapshot(DASHBOARD)))
        deadline = time.monotonic() + 5
        while not any(s["id"] == other and s["value"] == 4242 for s in (await next_frame(live, deadline))
                      .get("statistics", [])):
            pass


async def test_an_update_with_a_list_for_an_id_is_skipped_without_ending_the_session(
        simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        subscription, keys = next(iter(live.bridge.reconciler.open.items()))
        key, handshakes = sorted(keys)[0], simulator.bayeux.handshakes
        stale_before = live.bridge.counters.stale_updates
        for record in [{"subscriptionId": [subscription], "statisticId": key},
                       {"subscriptionId": subscription, "statisticId": {"id": key}}]:
            simulator.bayeux.publish(UPDATES_CHANNEL, {"statistics": [{"timestamp": now_ms(), **record}]})
        await async_wait_until(lambda: live.bridge.link.failures
                               or live.bridge.counters.stale_updates >= stale_before + 2,
                               what="the two bad updates skipped and counted, or a failure")
        valid_before = live.bridge.counters.updates_in
        await async_wait_until(lambda: live.bridge.counters.updates_in > valid_before, what="valid updates after")
        assert live.bridge.link.failures == {} and simulator.bayeux.handshakes == handshakes


async def test_one_far_future_timestamp_does_not_freeze_a_statistic(simulator: Simulator) -> None:
    async with running(simulator) as live:
        await wait_settled(live)
        subscription, keys = next(iter(live.bridge.reconciler.open.items()))
        key = sorted(keys)[0]
        live.bridge.handle_message({"channel": UPDATES_CHANNEL, "data": {"statistics": [
            {"subscriptionId": subscription, "statisticId": key, "value": 1, "timestamp": 10**13}]}})
        await fresh_for_every_key(live, now_ms(), timeout=6, keys={key})


def test_a_timestamp_below_one_millisecond_is_not_read_as_the_epoch() -> None:
    assert timestamp_ms(0.5) is None


async def test_an_advised_interval_is_read_as_milliseconds() -> None:
    advice = {"interval": 1000, "timeout": 2000, "reconnect": "retry"}
    server = GarbageBayeux([("/meta/connect", 200, reply(successful=True, advice=advice))])
    async with link_to(server):
        await async_wait_until(lambda: not server.plan, what="the advice served")
        connects = server.connects
        await async_wait_until(lambda: server.connects > connects, timeout=1 + 7,
                               what="the next /meta/connect, 1 s later")


async def test_a_non_object_advice_on_a_held_poll_does_not_wedge_the_link() -> None:
    ok = reply(successful=True, clientId="c1", advice={"interval": 0, "timeout": 2000, "reconnect": "retry"})
    server = GarbageBayeux([("/meta/connect", 200, ok), ("/meta/connect", 200, ok),
                            ("/meta/connect", 200, reply(successful=True, clientId="c1", advice="retry"))])
    async with link_to(server) as (link, numbers, task):
        await async_wait_until(lambda: not server.plan, what="the odd advice served")
        connects = server.connects
        await async_wait_until(lambda: server.connects > connects or link.failures, timeout=8,
                               what="another poll, or the link giving up the session")
