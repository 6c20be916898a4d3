"""Issue #7 row 8: malformed frames through the bridge and through the transport, and
a fuzz of the value parser (the hour-long run is bench/soak_value_parser.py).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statsbridge.agent_status import AgentState
from statsbridge.cometd import SERVICE_CHANNEL, UPDATES_CHANNEL
from statsbridge.cometd_transport import _GenesysClient
from statsbridge.simulator.server import Simulator
from statsbridge.status import BridgeState, now_ms
from statsbridge.values import normalise, timestamp_ms
from tests.reliability.garbage_bayeux import GarbageBayeux, events_then_ok, link_to, reply
from tests.reliability.helpers import MIB, figure, fresh_for_every_key, rss_mib, running, wait_settled
from tests.support.waiting import async_wait_until


def odd_value(rng: random.Random) -> object:
    nested: object = 1
    for _ in range(rng.randint(1, 200)):  # below orjson's re-encoding limit (deeper: test_faults_found_bugs.py)
        nested = {"v": nested} if rng.random() < 0.5 else [nested]
    return rng.choice(
        [
            {"Status": rng.choice([99, -1, "4", None, True, 4.5])},
            {"Status": 4, "extra": [1]},
            nested,
            "x" * rng.randint(0, 5000),
            [1, 2],
            {"a": 1, "b": 2},
            {"value": "5"},
            {},
            None,
            True,
            float("nan"),
            float("inf"),
            -0.0,
            10**18,
            -(2**63),
            1e308,
            {"value": float("nan")},
        ]
    )


def malformed_messages(rng: random.Random, count: int, opened: dict[str, set[str]]) -> Iterator[object]:
    subscription, keys = next(iter(opened.items()))
    stamp = now_ms()

    def record(value: object = 1, timestamp: object = stamp, key: object = None, sub: object = None) -> dict:
        return {
            "subscriptionId": subscription if sub is None else sub,
            "statisticId": rng.choice(sorted(keys)) if key is None else key,
            "value": value,
            "timestamp": timestamp,
        }

    def updates(records: object) -> dict:
        return {"channel": UPDATES_CHANNEL, "data": {"statistics": records}}

    shapes: list[Callable[[], object]] = [
        lambda: rng.choice([None, 42, "text", [], [1, 2], True, 3.5, b"bytes"]),
        lambda: {
            "channel": rng.choice([None, 5, "/elsewhere", UPDATES_CHANNEL]),
            "data": rng.choice([None, 5, "x", []]),
        },
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


GARBAGE: list[tuple[str, int, Any]] = [
    ("*", 200, b""),
    ("*", 200, b"not json"),
    ("*", 200, b"{"),
    ("*", 200, b"null"),
    ("*", 200, b"42"),
    ("*", 200, b'"text"'),
    ("*", 200, b"[]"),
    ("*", 200, b"[1, 2, 3]"),
    ("*", 200, b"[null]"),
    ("*", 200, b'[{"channel": 5}]'),
    ("*", 200, b"[" * 1000 + b"]" * 1000),
    ("*", 500, b"<html>oops</html>"),
    ("*", 502, b""),
    ("*", 401, b"{}"),
    ("*", 403, b"{}"),
    ("*", 404, b"nope"),
    ("*", 204, b""),
    ("*", 302, b""),
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
    (
        "/meta/connect",
        200,
        events_then_ok(
            {"channel": UPDATES_CHANNEL, "data": 5},
            {"channel": UPDATES_CHANNEL},
            {"data": {}},
            {"channel": 5, "data": {}},
            {"channel": UPDATES_CHANNEL, "data": {"statistics": "x" * 1000}},
        ),
    ),
]
HUGE: list[tuple[str, int, Any]] = [  # 10 MB each, made when served
    ("*", 200, lambda m: b"x" * (10 * MIB)),
    ("/meta/connect", 200, lambda m: b'["' + b"x" * (10 * MIB) + b'"]'),
    (
        "/meta/connect",
        200,
        lambda m: events_then_ok({"channel": UPDATES_CHANNEL, "data": {"statistics": [{"value": "x" * (10 * MIB)}]}})(
            m
        ),
    ),
]


async def test_hundreds_of_malformed_bayeux_replies_leave_the_link_alive_lean_and_flowing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # aiocometd-ng naps 250 ms after closing the HTTP session of a failed open: 80 s here.
    monkeypatch.setattr(_GenesysClient, "_HTTP_SESSION_CLOSE_TIMEOUT", 0.0)
    before = rss_mib()
    server = GarbageBayeux(GARBAGE * 10 + HUGE)
    async with link_to(server) as (link, numbers, task):
        await async_wait_until(lambda: not server.plan, timeout=120, what="every malformed reply served")
        served_at = server.events
        await async_wait_until(lambda: max(numbers) > served_at + 5, timeout=30, what="valid events after the garbage")
        assert not task.done()
    growth = rss_mib() - before
    figure("row 8: malformed Bayeux replies served / link failures by kind", (server.served, link.failures))
    figure("row 8: RSS growth after them (MiB)", round(growth, 1))
    assert server.served == len(GARBAGE) * 10 + len(HUGE)
    assert growth < 20


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["Status", "value", "v", ""]) | st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
STATES = {state.value for state in AgentState}


@settings(max_examples=2000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(JSON)
def test_the_value_parser_gives_none_or_a_finite_number_for_any_json(raw: object) -> None:
    result = normalise(raw)
    assert result.value is None or (type(result.value) in (int, float) and math.isfinite(result.value))
    assert result.state is None or result.state in STATES
    stamp = timestamp_ms(raw)
    assert stamp is None or (type(stamp) is int and 0 <= stamp < 10**14)
