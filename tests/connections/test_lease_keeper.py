"""Leases renewed off the event loop (statsbridge/lease_keeper.py, a renewer child
process), on a real private redis-server: a worker whose event loop is blocked for longer than the lease keeps its
connections (a rival worker on a loop of its own finds nothing to take), and one whose
loop is wedged past the stall limit lets them go, publishing nothing on them once it
wakes. A dead worker's leases still move: tests/connections/test_spread.py."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest
import redis

from statsbridge.config import BridgeConfig
from statsbridge.connection_bridges import ConnectionBridges
from tests.connections.test_spread import NAMES, StandIn
from tests.support.redis_server import PrivateRedis
from tests.support.waiting import async_wait_until

TTL = 1.5


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:  # type: ignore[no-untyped-def]
    server = PrivateRedis(tmp_path).start()
    yield server
    server.stop()


def manager(url: str, stall_limit: float) -> ConnectionBridges:
    configs = {name: BridgeConfig(f"http://127.0.0.1:1/{name}", "k", "c", "s") for name in NAMES}

    async def read() -> dict[str, BridgeConfig]:
        return configs

    made: ConnectionBridges
    made = ConnectionBridges(
        read,
        lambda name, config, may, term: StandIn(made.worker, name),  # type: ignore[arg-type,return-value]
        url,
        ttl=TTL,
        tick=0.1,
        stall_limit=stall_limit,
    )
    return made


class OnItsOwnLoop:
    """A rival worker on an event loop in another thread: blocking the test's loop does
    not stop it (as another process would not be)."""

    def __init__(self, worker: ConnectionBridges) -> None:
        self.worker = worker
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="rival-worker", daemon=True)
        self.thread.start()
        self.run(worker.start())

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    def stop(self) -> None:
        self.run(self.worker.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


def holders(url: str) -> dict[str, str | None]:
    client = redis.Redis.from_url(url)
    keys = ["statsbridge:leader"] + [f"statsbridge:conn:{n}" for n in NAMES[1:]]
    try:
        return {n: (v.decode() if v else None) for n, v in zip(NAMES, client.mget(keys), strict=True)}
    finally:
        client.close()


def each_run_once() -> bool:
    return all(len(StandIn.running.get(n, [])) == 1 for n in NAMES)


async def two_workers(url: str, stall_limit: float) -> tuple[ConnectionBridges, OnItsOwnLoop]:
    StandIn.running = {}
    here = manager(url, stall_limit)
    await here.start()
    rival = await asyncio.to_thread(OnItsOwnLoop, manager(url, 30.0))
    await async_wait_until(
        lambda: len(here.held()) == 2 and len(rival.worker.held()) == 2 and each_run_once(),
        timeout=30,
        what="two connections each",
    )
    return here, rival


async def test_a_loop_blocked_longer_than_the_lease_keeps_its_leases(private_redis: PrivateRedis) -> None:
    here, rival = await two_workers(private_redis.url, stall_limit=30.0)
    try:
        mine = here.held()
        terms = {n: here.units[n].lease.term for n in mine}  # type: ignore[union-attr]
        renewals = here.keeper.renewals  # type: ignore[union-attr]
        time.sleep(3 * TTL)  # the loop blocked: no tick, no beat, no renewal from the loop
        assert all(here.units[n].lease.may_publish() for n in mine)  # type: ignore[union-attr]
        assert here.keeper.renewals > renewals  # type: ignore[union-attr]
        await asyncio.sleep(3 * TTL)  # the rival ticked all along and finds nothing to take
        assert here.held() == mine
        assert {n: here.units[n].lease.term for n in mine} == terms  # type: ignore[union-attr]
        assert {n for n, w in holders(private_redis.url).items() if w == here.worker} == set(mine)
        assert each_run_once(), StandIn.running
    finally:
        await asyncio.to_thread(rival.stop)
        await here.stop()


async def test_a_loop_wedged_past_the_stall_limit_lets_its_leases_go(private_redis: PrivateRedis) -> None:
    here, rival = await two_workers(private_redis.url, stall_limit=2.0)
    try:
        mine = here.held()
        terms = {n: here.units[n].lease.term for n in mine}  # type: ignore[union-attr]
        time.sleep(6.0)  # wedged: past the 2 s limit, then the 1.5 s lease runs out
        # Awake, before anything else runs: nothing may be published on those leases...
        assert not any(here.units[n].lease.may_publish() for n in mine)  # type: ignore[union-attr]
        # ...because the rival holds them now, under newer terms.
        taken = holders(private_redis.url)
        assert all(taken[n] == rival.worker.worker for n in mine), taken
        assert here.keeper.withheld > 0  # type: ignore[union-attr]
        await async_wait_until(lambda: not set(mine) & set(here.held()), timeout=10, what="the wedged one stops them")
        newer = {n: rival.worker.units[n].lease.term for n in mine if n in rival.worker.units}  # type: ignore[union-attr]
        assert newer and all(newer[n] > terms[n] for n in newer)
        # Then the spread heals: two each again, every connection run exactly once.
        await async_wait_until(
            lambda: len(here.held()) == 2 and len(rival.worker.held()) == 2 and each_run_once(),
            timeout=30,
            what="two each again",
        )
    finally:
        await asyncio.to_thread(rival.stop)
        await here.stop()


async def test_a_renewer_that_dies_is_started_again_and_keeps_the_leases(private_redis: PrivateRedis) -> None:
    """The renewer is a separate process the OOM killer or a crash may take while the
    worker lives: without a new one, the worker's leases would all run out."""
    import os
    import signal

    here, rival = await two_workers(private_redis.url, stall_limit=30.0)
    try:
        mine = here.held()
        terms = {n: here.units[n].lease.term for n in mine}  # type: ignore[union-attr]
        keeper = here.keeper
        assert keeper is not None
        first = keeper.renewer_pid()
        assert first is not None
        os.kill(first, signal.SIGKILL)
        await async_wait_until(
            lambda: keeper.restarts == 1 and keeper.renewer_pid() not in (None, first), timeout=10, what="a new renewer"
        )
        renewals = keeper.renewals
        await asyncio.sleep(3 * TTL)  # longer than the lease: only the new renewer keeps it
        assert keeper.renewals > renewals
        assert here.held() == mine
        assert {n: here.units[n].lease.term for n in mine} == terms  # type: ignore[union-attr]
        assert {n for n, w in holders(private_redis.url).items() if w == here.worker} == set(mine)
        assert each_run_once(), StandIn.running
    finally:
        await asyncio.to_thread(rival.stop)
        await here.stop()
