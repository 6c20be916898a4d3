"""Renew a worker's leases from a thread of its own, so a stalled event loop keeps them.

A worker ingesting ten connections of 2,000 statistics on overloaded cores stalls its
asyncio loop for seconds at a time. Renewing on that loop lost leases by the batch
under a 3 s lease (docs/performance.md "Connections over two workers (issue 22)"),
which forced a 9 s lease and an 8 s failover. Here a daemon thread with its own
synchronous Redis client renews every held lease every ttl/6, all in one round trip
(a thread starved by a busy process still gets one call through in time, where ten
would not), whatever the loop does.

Safety: a thread that renews no matter what would keep a lease for a loop that is
*wedged* (a deadlock, an endless computation), and its connection would never move.
So the thread asks the loop for a sign of life every round (`call_soon_threadsafe`)
and stops renewing once the loop has not answered for `stall_limit` seconds: the lease
then runs out in Redis and another worker takes it with a newer term. When the loop
wakes, its leases' local deadlines lie in the past (they move only after a renewal
Redis confirmed: statsbridge/leadership.py), so it publishes nothing; frames already
past the check carry the old term and relays drop them (dashboard/realtime/fencing.py);
the thread's next renewal finds the lease gone and tells the loop (`on_lost`), which
stops that bridge. A dead process stops the thread with it: its leases expire after
the ttl as before, and the survivors take them.

Imports nothing from Django.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable

import redis

from statsbridge.leadership import RedisLease, renew_all

log = logging.getLogger(__name__)


class LeaseKeeper:
    def __init__(self, redis_url: str, ttl: float, stall_limit: float) -> None:
        self.client = redis.Redis.from_url(redis_url, socket_timeout=ttl / 3, socket_connect_timeout=ttl / 3)
        self.ttl = ttl
        self.stall_limit = stall_limit
        self.every = ttl / 6  # a round: renew every held lease, ask the loop for a sign of life
        self._leases: dict[int, tuple[RedisLease, Callable[[], None]]] = {}
        self._guard = threading.Lock()
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.loop_seen = time.monotonic()
        self.renewals = 0
        self.late_rounds = 0  # rounds that began over ttl/3 after the previous one (a starved process)
        self.withheld = 0  # renewals not made because the loop was wedged past stall_limit

    # -- the loop's side ----------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.loop_seen = time.monotonic()
        self._halt.clear()
        self._thread = threading.Thread(target=self._run, name="statsbridge-leases", daemon=True)
        self._thread.start()

    def keep(self, lease: RedisLease, on_lost: Callable[[], None]) -> None:
        """Renew `lease` from now on; `on_lost` runs on the loop if Redis says it is gone."""
        with self._guard:
            self._leases[id(lease)] = (lease, on_lost)

    def forget(self, lease: RedisLease) -> None:
        with self._guard:
            self._leases.pop(id(lease), None)

    def stop(self) -> None:
        """Stop renewing (what is still held expires or is released by the caller)."""
        self._halt.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.ttl)
        self._thread = None

    def close(self) -> None:
        self.stop()
        self.client.close()

    def loop_stalled_for(self) -> float:
        return time.monotonic() - self.loop_seen

    # -- the thread ---------------------------------------------------------------

    def _run(self) -> None:
        last = time.monotonic()
        while not self._halt.wait(self.every):
            now = time.monotonic()
            if now - last > self.ttl / 3:
                self.late_rounds += 1
                log.warning(
                    "lease renewal thread ran %.1f s late (the process was starved of CPU)", now - last - self.every
                )
            last = now
            if not self._ask_for_a_sign_of_life():
                return  # the loop is closed: the process is ending
            try:
                self._round()
            except Exception:  # a bug here must not end renewals silently for good
                log.exception("lease renewal thread: a round failed")

    def _ask_for_a_sign_of_life(self) -> bool:
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(self._seen)
        except RuntimeError:
            return False
        return True

    def _seen(self) -> None:
        self.loop_seen = time.monotonic()

    def _round(self) -> None:
        with self._guard:
            held = [(lease, on_lost) for lease, on_lost in self._leases.values() if lease.held]
        if not held or self._halt.is_set():
            return
        stalled = self.loop_stalled_for()
        if stalled > self.stall_limit:
            # The loop is wedged: do not hold leases for it. They run out in Redis.
            self.withheld += 1
            if self.withheld == 1 or self.withheld % 100 == 0:
                log.warning(
                    "event loop unresponsive for %.1f s (limit %.1f s): letting leases run out",
                    stalled,
                    self.stall_limit,
                )
            return
        kept = renew_all(self.client, [lease for lease, _ in held])
        self.renewals += 1
        for (lease, on_lost), ok in zip(held, kept, strict=True):
            if not ok and not lease.held:
                self.forget(lease)
                self._tell(on_lost)

    def _tell(self, on_lost: Callable[[], None]) -> None:
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(on_lost)
        except RuntimeError:
            pass  # the loop is closed: nothing left to stop
