"""One bridge per connection (issue 22), in this process: all of them, or a fair share.

Without Redis (the embedded default: one process, the in-memory layer) every enabled
connection's bridge runs here. With Redis, several `runworker statsbridge` processes
share them: each connection has its own lease (statsbridge/leadership.py; `default`
keeps `statsbridge:leader`, the others `statsbridge:conn:<name>`, all drawing terms from
one counter), and a worker takes a lease only while it holds fewer than its fair share
(statsbridge/spread.py). A tick (STATSBRIDGE_SPREAD_TICK, 0.5 s) lets go of what is over
the share and tries to take what nobody holds, so a dead worker's connections move as
soon as their leases expire. Held leases are renewed by a thread of their own
(statsbridge/lease_keeper.py), so a loop stalled by ingest keeps them; a loop wedged past
STATSBRIDGE_LOOP_STALL_LIMIT lets them run out.

The connections are re-read every `reread_every` seconds and on `config.changed`:
one added starts, one disabled or removed stops, one whose settings changed restarts.
`default` is one connection among the others; its bridge is today's BridgeService
(request channel `statsbridge`, the alert watchers, `SHARED_KEY` for /healthz).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from statsbridge import connection_status
from statsbridge.config import BridgeConfig
from statsbridge.leadership import RedisLease, worker_id
from statsbridge.lease_keeper import LeaseKeeper
from statsbridge.messages import encode
from statsbridge.service import BridgeService
from statsbridge.spread import WorkerRegistry, plan
from statsbridge.status import BridgeStatus

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10.0
ReadConfigs = Callable[[], Awaitable[dict[str, BridgeConfig]]]
# (name, config, may_publish, term) -> the service of that connection's bridge
MakeService = Callable[[str, BridgeConfig, Callable[[], bool] | None, int], BridgeService]


@dataclass
class Unit:
    """One connection in this process: its lease (with Redis) and its running bridge."""

    name: str
    config: BridgeConfig
    lease: RedisLease | None = None
    service: BridgeService | None = None
    lost: bool = False  # the renewal found the lease gone: the tick stops its bridge
    shared_at: float = 0.0
    share: Callable[[BridgeStatus], None] | None = None


class ConnectionBridges:
    name = "statistics bridge"  # one per connection, all or a share (the words hosts log)

    def __init__(
        self,
        read_configs: ReadConfigs,
        make_service: MakeService,
        redis_url: str | None = None,
        *,
        lease_key: str = "statsbridge:leader",
        ttl: float = 3.0,
        tick: float = 0.5,
        reread_every: float = 5.0,
        stall_limit: float = 30.0,
    ) -> None:
        self.read_configs = read_configs
        self.make_service = make_service
        self.redis_url = redis_url
        self.lease_key = lease_key
        self.ttl, self.tick, self.reread_every = ttl, tick, reread_every
        self.worker = worker_id()
        self.registry = WorkerRegistry(redis_url, self.worker, ttl) if redis_url else None
        self.keeper = LeaseKeeper(redis_url, ttl, stall_limit) if redis_url else None
        self.configs: dict[str, BridgeConfig] = {}
        self.units: dict[str, Unit] = {}
        self._read_at = 0.0
        self._stop = asyncio.Event()
        self._poke = asyncio.Event()
        self._task: asyncio.Task | None = None

    # -- what the hosts and the alert service see ---------------------------------

    @property
    def active(self) -> BridgeService | None:
        """`default`'s bridge when it runs here (the skills sync runs beside it)."""
        unit = self.units.get("default")
        return unit.service if unit is not None else None

    @property
    def lease(self) -> RedisLease | None:
        unit = self.units.get("default")
        return unit.lease if unit is not None else None

    def held(self) -> list[str]:
        return sorted(name for name, unit in self.units.items() if unit.service is not None)

    # -- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        self._stop.clear()
        log.info("connection bridges: worker %s", self.worker)
        await self._reread()
        if self.registry is None:
            await self._run_all()  # the embedded default answers from its first page on
        else:
            await self.registry.beat(0)
        if self.keeper is not None:
            await asyncio.to_thread(self.keeper.start, asyncio.get_running_loop())
        self._task = asyncio.create_task(self._run(), name="connection-bridges")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        for name in list(self.units):
            await self._drop(name)
        if self.keeper is not None:
            await asyncio.to_thread(self.keeper.close)
        if self.registry is not None:
            await self.registry.leave()
            await self.registry.close()

    def poke(self) -> None:
        """The configuration changed: re-read the connections now."""
        self._read_at = 0.0
        self._poke.set()

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if time.monotonic() - self._read_at >= self.reread_every:
                    await self._reread()
                if self.registry is None:
                    await self._run_all()
                else:
                    await self._spread()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("connection bridges: tick failed")
            self._poke.clear()
            try:
                await asyncio.wait_for(self._poke.wait(), timeout=self.tick)
            except TimeoutError:
                pass

    async def _reread(self) -> None:
        self._read_at = time.monotonic()
        try:
            configs = await self.read_configs()
        except Exception as error:  # the database restarting: keep what we have
            log.warning("could not read the connections (%s); keeping %d", type(error).__name__, len(self.configs))
            return
        self.configs = configs
        connection_status.set_configured(list(configs))
        for name in list(self.units):
            unit = self.units[name]
            if name not in configs:
                log.info("connection %s is gone or disabled: its bridge stops", name)
                await self._drop(name)
            elif unit.config != configs[name]:
                log.info("connection %s changed: its bridge restarts", name)
                unit.config = configs[name]
                if unit.service is not None:
                    await self._stop_service(unit)
                    await self._start_service(unit)

    # -- without Redis: everything here ----------------------------------------------

    async def _run_all(self) -> None:
        for name, config in self.configs.items():
            unit = self.units.setdefault(name, Unit(name, config))
            if unit.service is None:
                await self._start_service(unit)

    # -- with Redis: a fair share ----------------------------------------------------

    async def _spread(self) -> None:
        assert self.registry is not None
        counts = await self.registry.beat(len(self.held()))
        await self._stop_lost()
        decision = plan(self.worker, len(self.held()), len(self.configs), counts)
        if decision.give_up:
            held = self.held()
            give_up = ([n for n in held if n != "default"] or held)[-1]
            log.info(
                "holding %d of %d connections (%d workers): letting %s go",
                len(held),
                len(self.configs),
                len(counts),
                give_up,
            )
            await self._drop(give_up)
            return
        self._share_every(5.0)
        while decision.take and await self._take_one():
            # as many as the plan allows now: a survivor takes a dead worker's connections
            # in one tick, not one per tick behind bridges that are starting
            counts[self.worker] = len(self.held())
            decision = plan(self.worker, len(self.held()), len(self.configs), counts)

    async def _take_one(self) -> bool:
        for name in self._candidates():
            if await self._try_take(name):
                return True
        return False

    def _share_every(self, seconds: float) -> None:
        """Held connections' states to Redis now and then, not only on changes (the key
        expires, so a dead worker's states vanish), and the names of all (for /healthz of
        processes without bridges: it never reads the database)."""
        now = time.monotonic()
        unit = next((u for u in self.units.values() if u.service is not None and u.lease is not None), None)
        if unit is not None and unit.service is not None and now - unit.shared_at >= seconds:
            names = encode(sorted(self.configs))
            unit.service.bridge.background.spawn(self._write_names(unit.lease, names), name="connection-names-share")
        for unit in self.units.values():
            if unit.service is not None and unit.share is not None and now - unit.shared_at >= seconds:
                unit.shared_at = now
                unit.share(unit.service.bridge.status)

    def _candidates(self) -> list[str]:
        """Connections not held here, `default` first, then from a point that differs per
        worker (workers starting together contend less)."""
        free = sorted(n for n in self.configs if n not in self.held())
        if not free:
            return []
        start = hash(self.worker) % len(free)
        rest = [n for n in free[start:] + free[:start] if n != "default"]
        return (["default"] if "default" in free else []) + rest

    async def _try_take(self, name: str) -> bool:
        unit = self.units.setdefault(name, Unit(name, self.configs[name]))
        if unit.lease is None:
            unit.lease = self._lease(name)
        if not await unit.lease.try_acquire():
            return False
        if self.keeper is not None:
            self.keeper.keep(unit.lease, lambda: self._lost(unit))
        if name == "default":
            log.info("leader lease taken by %s (term %d)", unit.lease.holder_id, unit.lease.term)
        else:
            log.info("connection lease taken: %s by %s (term %d)", name, unit.lease.holder_id, unit.lease.term)
        await self._start_service(unit)
        log.info("holding connections: %s", ", ".join(self.held()))
        return True

    def _lost(self, unit: Unit) -> None:
        """The renewal thread found the lease gone (fenced already: its deadline closed)."""
        if self.units.get(unit.name) is not unit or unit.service is None:
            return  # dropped or stopped meanwhile
        unit.lost = True  # the tick stops it
        if unit.name == "default":  # the words operators and tests know from one leader
            log.warning("leader lease lost by %s: standing by", self.worker)
        else:
            log.warning("lease of connection %s lost by %s: its bridge stops", unit.name, self.worker)
        self._poke.set()

    async def _stop_lost(self) -> None:
        lost = [unit for unit in self.units.values() if unit.lost]
        for unit in lost:
            unit.lost = False
        await asyncio.gather(*(self._stop_service(unit) for unit in lost))

    def _lease(self, name: str) -> RedisLease:
        assert self.redis_url is not None
        key = self.lease_key if name == "default" else f"statsbridge:conn:{name}"
        return RedisLease(
            self.redis_url, key=key, ttl=self.ttl, term_key=f"{self.lease_key}:term", holder_id=self.worker
        )

    # -- one connection's bridge ------------------------------------------------------

    async def _start_service(self, unit: Unit) -> None:
        lease = unit.lease
        service = self.make_service(
            unit.name, unit.config, lease.may_publish if lease else None, lease.term if lease else 0
        )
        if lease is not None:
            unit.share = self._share_status_of(unit, service)
        self._poke_on_config_changed(service)
        unit.service = service
        await service.start()

    async def _stop_service(self, unit: Unit) -> None:
        """Bounded: a bridge whose stop hangs (a CometD close under load) must not stall
        the tick, or this worker would never take or renew again (it is fenced already)."""
        service, unit.service = unit.service, None
        if service is None:
            return
        try:
            await asyncio.wait_for(service.stop(), timeout=STOP_TIMEOUT_S)
        except Exception:
            log.exception("the bridge of connection %s did not stop cleanly", unit.name)

    async def _drop(self, name: str) -> None:
        unit = self.units.pop(name, None)
        if unit is None:
            return
        await self._stop_service(unit)
        if unit.lease is not None:
            if self.keeper is not None:
                self.keeper.forget(unit.lease)
            await unit.lease.release()
            await unit.lease.close()

    def _poke_on_config_changed(self, service: BridgeService) -> None:
        """A `config.changed` (a connection saved, added or disabled among others) makes
        this worker re-read its connections at once, not at the next periodic re-read."""
        answer = service.handle_request

        async def handle_request(message: dict) -> None:
            if message.get("type") == "config.changed":
                self.poke()
            await answer(message)

        service.handle_request = handle_request  # type: ignore[method-assign]

    def _share_status_of(self, unit: Unit, service: BridgeService) -> Callable[[BridgeStatus], None]:
        """Web processes without this bridge read its state for /healthz from Redis."""
        lease = unit.lease
        assert lease is not None

        def share(status: BridgeStatus) -> None:
            if lease.may_publish():
                status = status.with_counts(last_update_ms=service.bridge.store.last_update_ms)
                payload = encode(status.as_json())
                service.bridge.background.spawn(self._write(lease, unit.name, payload), name="bridge-status-share")

        if hasattr(service, "also_on_status"):
            service.also_on_status = share  # type: ignore[attr-defined]
        else:
            previous = service.bridge.on_status_change
            service.bridge.on_status_change = lambda s: (previous(s) if previous else None, share(s))
        return share

    async def _write_names(self, lease: RedisLease | None, names: str) -> None:
        try:
            await lease.client.set(connection_status.NAMES_KEY, names, ex=15)  # type: ignore[union-attr]
        except Exception:
            log.warning("could not share the connections' names in Redis")

    async def _write(self, lease: RedisLease, name: str, payload: str) -> None:
        try:
            await lease.client.set(connection_status.shared_key(name), payload, ex=15)
        except Exception:
            log.warning("could not share the state of connection %s in Redis", name)
