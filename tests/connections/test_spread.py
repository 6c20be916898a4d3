"""Connections spread over workers: the plan (pure) and three managers sharing a real
private redis-server, their bridges stood in by services that only record they run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from statsbridge.config import BridgeConfig
from statsbridge.connection_bridges import ConnectionBridges
from statsbridge.spread import plan
from statsbridge.status import BridgeStatus
from statsbridge.tasks import TaskSet
from tests.support.redis_server import PrivateRedis
from tests.support.waiting import async_wait_until

NAMES = ["default", "brand-b", "brand-c", "brand-d"]


def test_the_short_fill_up_first_and_the_richest_lets_go() -> None:
    # 4 connections over 3 workers: floor 1, ceil 2
    assert plan("a", 0, 4, {"a": 0, "b": 0, "c": 0}).take
    assert not plan("a", 1, 4, {"a": 1, "b": 0, "c": 2}).take  # b is short: it fills first
    assert plan("a", 1, 4, {"a": 1, "b": 1, "c": 1}).take  # nobody short: up to ceil
    assert not plan("a", 2, 4, {"a": 2, "b": 1, "c": 1}).take
    assert plan("a", 2, 4, {"a": 2, "b": 2, "c": 0}).give_up  # c idles: the richest (smallest id) lets go
    assert not plan("b", 2, 4, {"a": 2, "b": 2, "c": 0}).give_up
    assert plan("a", 4, 4, {"a": 4, "b": 0}).give_up  # a worker joined: over ceil
    assert plan("a", 2, 4, {"a": 2}).take  # alone: everything


class StandIn:
    """What the manager needs of a bridge service; records who runs which connection."""

    running: dict[str, list[str]] = {}

    def __init__(self, worker: str, name: str) -> None:
        self.worker, self.connection = worker, name
        self.also_on_status = None
        self.bridge = SimpleNamespace(
            status=BridgeStatus(), store=SimpleNamespace(last_update_ms=None), background=TaskSet()
        )

    async def start(self) -> None:
        StandIn.running.setdefault(self.connection, []).append(self.worker)

    async def stop(self) -> None:
        StandIn.running[self.connection].remove(self.worker)

    async def handle_request(self, message: dict) -> None:
        pass


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:  # type: ignore[no-untyped-def]
    server = PrivateRedis(tmp_path).start()
    yield server
    server.stop()


def worker(url: str) -> ConnectionBridges:
    configs = {name: BridgeConfig(f"http://127.0.0.1:1/{name}", "k", "c", "s") for name in NAMES}

    async def read() -> dict[str, BridgeConfig]:
        return configs

    manager: ConnectionBridges
    manager = ConnectionBridges(
        read,
        lambda name, config, may, term: StandIn(manager.worker, name),
        url,
        ttl=1.5,
        tick=0.1,  # type: ignore[arg-type,return-value]
    )
    return manager


def spread_ok(workers: list[ConnectionBridges]) -> bool:
    held = [w.held() for w in workers]
    each = sorted(n for names in held for n in names)
    return (
        each == sorted(NAMES)
        and all(1 <= len(names) <= 2 for names in held)
        and all(len(StandIn.running.get(n, [])) == 1 for n in NAMES)
    )


async def test_four_connections_spread_over_three_workers_and_move_when_one_dies(private_redis: PrivateRedis) -> None:
    StandIn.running = {}
    workers = [worker(private_redis.url) for _ in range(3)]
    for w in workers:
        await w.start()
    try:
        await async_wait_until(lambda: spread_ok(workers), timeout=20, what="each worker holding one or two")
        victim = max(workers, key=lambda w: len(w.held()))
        orphans = victim.held()
        # Death: the tick and the renewal thread stop (no renewal, no beat, no release),
        # its bridges stand idle.
        assert victim._task is not None and victim.keeper is not None
        victim._task.cancel()
        victim.keeper.stop()
        for name in orphans:
            StandIn.running[name].remove(victim.worker)
        died = time.monotonic()
        survivors = [w for w in workers if w is not victim]
        await async_wait_until(
            lambda: sorted(n for w in survivors for n in w.held()) == sorted(NAMES),
            timeout=20,
            what="the dead worker's connections on the survivors",
        )
        moved_in = time.monotonic() - died
        assert all(len(StandIn.running[n]) == 1 for n in NAMES), StandIn.running
        assert all(len(w.held()) == 2 for w in survivors)
        print(f"connections moved {moved_in:.2f} s after the worker died (lease ttl 1.5 s)")
        victim.units.clear()
    finally:
        for w in workers:
            await w.stop()


async def test_without_redis_one_process_runs_every_connection_and_follows_changes() -> None:
    StandIn.running = {}
    configs = {name: BridgeConfig(f"http://127.0.0.1:1/{name}", "k", "c", "s") for name in NAMES[:2]}

    async def read() -> dict[str, BridgeConfig]:
        return dict(configs)

    manager = ConnectionBridges(read, lambda name, config, may, term: StandIn("here", name), None, tick=0.05)  # type: ignore[arg-type,return-value]
    manager.reread_every = 0.1
    await manager.start()
    try:
        assert manager.held() == ["brand-b", "default"]  # running as soon as start returns
        configs["brand-c"] = BridgeConfig("http://127.0.0.1:1/c", "k", "c", "s")  # added
        del configs["brand-b"]  # disabled
        await async_wait_until(lambda: manager.held() == ["brand-c", "default"], timeout=10, what="the change followed")
        assert StandIn.running["brand-b"] == [] and StandIn.running["brand-c"] == ["here"]
        first = manager.units["brand-c"].service
        configs["brand-c"] = BridgeConfig("http://127.0.0.1:1/c2", "k", "c", "s")  # edited: restarted
        await async_wait_until(
            lambda: manager.units["brand-c"].service is not first, timeout=10, what="the edited one restarted"
        )
        assert StandIn.running["brand-c"] == ["here"]
    finally:
        await manager.stop()
