"""Exactly one active bridge: a lease in Redis, renewed while held, with fencing.

Several `runworker statsbridge` processes may run; each tries to take the lease
(`SET key id NX PX ttl`). The holder renews it every ttl/3 with a compare-and-extend
script. Fencing is by time: the holder may publish only while its *local* deadline
(last successful renewal + ttl - margin) lies ahead. The key in Redis expires no earlier
than ttl after that renewal, so a holder that cannot reach Redis stops publishing
before anyone else can take over: no value is sent by two leaders.

Imports nothing from Django; the worker command passes the Redis URL in.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import time
from typing import Awaitable, Callable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class RedisLease:
    def __init__(self, redis_url: str, *, key: str = "statsbridge:leader", ttl: float = 9.0,
                 margin: float = 1.0) -> None:
        self.client = aioredis.from_url(redis_url, socket_timeout=ttl / 3, socket_connect_timeout=ttl / 3)
        self.key = key
        self.ttl = ttl
        self.margin = margin
        self.holder_id = f"{socket.gethostname()}:{secrets.token_hex(6)}"
        self._deadline = 0.0
        self.terms = 0  # how many times this process became the leader

    def may_publish(self) -> bool:
        """The fencing check, made before every send: cheap, local, conservative."""
        return time.monotonic() < self._deadline

    async def try_acquire(self) -> bool:
        started = time.monotonic()
        try:
            taken = await self.client.set(self.key, self.holder_id, nx=True, px=int(self.ttl * 1000))
        except (RedisError, OSError) as error:
            log.warning("leader lease: Redis unreachable (%s)", type(error).__name__)
            return False
        if taken:
            self._deadline = started + self.ttl - self.margin
            self.terms += 1
        return bool(taken)

    async def renew(self) -> bool:
        started = time.monotonic()
        try:
            kept = await self.client.eval(_RENEW, 1, self.key, self.holder_id, int(self.ttl * 1000))
        except (RedisError, OSError) as error:
            log.warning("leader lease: renewal failed (%s)", type(error).__name__)
            return self.may_publish()
        if kept:
            self._deadline = started + self.ttl - self.margin
            return True
        self._deadline = 0.0  # someone else holds it: stop at once
        return False

    async def release(self) -> None:
        self._deadline = 0.0
        try:
            await self.client.eval(_RELEASE, 1, self.key, self.holder_id)
        except (RedisError, OSError):
            pass  # it expires by itself

    async def close(self) -> None:
        await self.client.aclose()


async def lead_while_holding(lease: RedisLease, stop: asyncio.Event,
                             start: Callable[[], Awaitable[None]],
                             stop_leading: Callable[[], Awaitable[None]]) -> None:
    """Stand by until the lease is ours, lead while it is, stand by again when lost."""
    while not stop.is_set():
        if not await lease.try_acquire():
            await _wait(stop, lease.ttl / 3)
            continue
        log.info("leader lease taken by %s (term %d)", lease.holder_id, lease.terms)
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
    except asyncio.TimeoutError:
        pass
