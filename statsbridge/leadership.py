"""Exactly one active bridge: a lease in Redis, renewed while held, with fencing.

Several `runworker statsbridge` processes may run; each tries to take the lease
(`SET key id NX PX ttl`). The holder renews it every ttl/3 with a compare-and-extend
script. Fencing is by time: the holder may publish only while its *local* deadline
(last successful renewal + ttl - margin) lies ahead. The key in Redis expires no earlier
than ttl after that renewal, so a holder that cannot reach Redis stops publishing
before anyone else can take over.

Time alone cannot fence a send already past the check: a `group_send` may sit in a
socket for Redis' whole timeout, or the process may be paused (SIGSTOP, a VM stall)
between the check and the write. So every taking of the lease also draws a **term**
from Redis, strictly greater than every earlier one; the bridge tags its frames with it
and relays drop frames of a term older than the newest they have seen
(dashboard/realtime/relays.py). The term is `max(previous + 1, Redis' clock in ms)`, so it
keeps growing even after a Redis restart forgot the counter.

Renewal may run off the event loop (statsbridge/lease_keeper.py: a child process with its
own Redis client, so a stalled loop cannot lose a lease): `RENEW_MANY` extends all of a
holder's leases in one round trip, and `renewed` applies an answer. The deadline only
moves forward after a renewal Redis confirmed, whoever made it, so the time fence holds
whichever thread or process renews.

Imports nothing from Django; the worker command passes the Redis URL in.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import threading
import time
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# Take the lease and draw a new term in one step (Redis 5+ replicates effects, so
# reading TIME before a write is allowed).
_ACQUIRE = """
if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 0
end
local now = redis.call('time')
local floor = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local term = redis.call('incr', KEYS[2])
if term < floor then
  redis.call('set', KEYS[2], floor)
  term = floor
end
return term
"""
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
# Every lease one worker holds, in one round trip: 1 for each key still ours (extended),
# 0 for each that is not (someone else's, or expired).
RENEW_MANY = """
local kept = {}
for i, key in ipairs(KEYS) do
  if redis.call('get', key) == ARGV[1] then
    kept[i] = redis.call('pexpire', key, ARGV[2])
  else
    kept[i] = 0
  end
end
return kept
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class RedisLease:
    def __init__(
        self,
        redis_url: str,
        *,
        key: str = "statsbridge:leader",
        ttl: float = 9.0,
        margin: float = 1.0,
        term_key: str | None = None,
        holder_id: str | None = None,
    ) -> None:
        self.client = aioredis.from_url(redis_url, socket_timeout=ttl / 3, socket_connect_timeout=ttl / 3)
        self.key = key
        # Connections' leases share one term counter (statsbridge/connection_bridges.py):
        # no two bridges ever hold the same term.
        self.term_key = term_key or f"{key}:term"
        self.ttl = ttl
        self.margin = margin
        self.holder_id = holder_id or worker_id()
        self._deadline = 0.0
        self._held = False  # between a taking and a release or loss (renewals may extend only then)
        self._lock = threading.Lock()  # the deadline is moved by the loop and by a renewal thread
        self.renewed_at = 0.0  # monotonic start of the last confirmed taking or renewal
        self.terms = 0  # how many times this process became the leader
        self.term = 0  # the fencing term of the current (or last) leadership

    def may_publish(self) -> bool:
        """The fencing check, made before every send: cheap, local, conservative."""
        return time.monotonic() < self._deadline

    def _kept(self, started: float) -> None:
        """Redis confirmed the lease at `started` or later: it lives until at least
        started + ttl there, so publishing may go on until started + ttl - margin."""
        with self._lock:
            if self._held:
                self._deadline = started + self.ttl - self.margin
                self.renewed_at = started

    def _lost(self) -> None:
        with self._lock:
            self._held = False
            self._deadline = 0.0

    async def try_acquire(self) -> bool:
        started = time.monotonic()
        try:
            term = await self.client.eval(_ACQUIRE, 2, self.key, self.term_key, self.holder_id, int(self.ttl * 1000))
        except (RedisError, OSError) as error:
            log.warning("leader lease: Redis unreachable (%s)", type(error).__name__)
            return False
        if term:
            with self._lock:
                self._held = True
            self._kept(started)
            self.terms += 1
            self.term = int(term)
        return bool(term)

    async def renew(self) -> bool:
        started = time.monotonic()
        try:
            kept = await self.client.eval(_RENEW, 1, self.key, self.holder_id, int(self.ttl * 1000))
        except (RedisError, OSError) as error:
            log.warning("leader lease: renewal failed (%s)", type(error).__name__)
            return self.may_publish()
        return self._renewed(kept, started)

    def renewed(self, kept: object, started: float) -> bool:
        """What a renewal Redis answered (`kept`, sent at `started`) means for this lease.
        A refusal sent before the lease was last taken is about an earlier holding: ignored."""
        if not kept and started < self.renewed_at:
            return self._held
        return self._renewed(kept, started)

    def _renewed(self, kept: object, started: float) -> bool:
        if kept:
            self._kept(started)
            return True
        self._lost()  # someone else holds it, or it expired: stop at once
        return False

    @property
    def held(self) -> bool:
        return self._held

    async def release(self) -> None:
        self._lost()
        try:
            await self.client.eval(_RELEASE, 1, self.key, self.holder_id)
        except (RedisError, OSError):
            pass  # it expires by itself

    async def close(self) -> None:
        await self.client.aclose()


def worker_id() -> str:
    """A name for this process in Redis: host and a random part."""
    return f"{socket.gethostname()}:{secrets.token_hex(6)}"


async def lead_while_holding(
    lease: RedisLease,
    stop: asyncio.Event,
    start: Callable[[], Awaitable[None]],
    stop_leading: Callable[[], Awaitable[None]],
) -> None:
    """Stand by until the lease is ours, lead while it is, stand by again when lost."""
    while not stop.is_set():
        if not await lease.try_acquire():
            await _wait(stop, lease.ttl / 3)
            continue
        log.info("leader lease taken by %s (term %d)", lease.holder_id, lease.term)
        await start()
        while not stop.is_set() and await lease.renew():
            await _wait(stop, lease.ttl / 3)
        await stop_leading()
        if stop.is_set():
            await lease.release()
        else:
            log.warning("leader lease lost by %s: standing by", lease.holder_id)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
