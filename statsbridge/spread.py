"""Spreading the connections' bridges over the `runworker statsbridge` processes.

Each connection has its own lease (statsbridge/leadership.py). Left alone, the first
worker to start would take every lease and the others would idle. So every worker
beats in a registry of live workers (a sorted set in Redis scored by Redis' clock,
entries older than the lease ttl dropped), and takes a lease only while it holds fewer
than its fair share, ceil(connections / live workers); one holding more than its share
(a worker joined) lets one go per tick. A dead worker stops beating and its leases stop
being renewed at the same moment, so both expire together: by then the survivors' share
has grown to cover the orphans, and they take them on their next tick.

Imports nothing from Django.
"""

from __future__ import annotations

import logging
import math

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

WORKERS_KEY = "statsbridge:workers"

# Beat, forget the silent, count: one step, on Redis' clock (no two hosts' clocks compared).
_BEAT = """
local now = redis.call('time')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('zadd', KEYS[1], ms, ARGV[1])
redis.call('zremrangebyscore', KEYS[1], '-inf', ms - tonumber(ARGV[2]))
return redis.call('zcard', KEYS[1])
"""


def fair_share(connections: int, workers: int) -> int:
    """How many connections one worker may hold."""
    return math.ceil(connections / max(1, workers)) if connections else 0


class WorkerRegistry:
    def __init__(self, redis_url: str, worker: str, ttl: float, key: str = WORKERS_KEY) -> None:
        self.client = aioredis.from_url(redis_url, socket_timeout=ttl / 3, socket_connect_timeout=ttl / 3)
        self.worker = worker
        self.ttl = ttl
        self.key = key
        self.live = 1

    async def beat(self) -> int:
        """Say this worker is alive; the number of live workers (the last known count,
        at least 1, when Redis does not answer)."""
        try:
            self.live = max(1, int(await self.client.eval(_BEAT, 1, self.key, self.worker, int(self.ttl * 1000))))
        except (RedisError, OSError) as error:
            log.warning("worker registry: Redis unreachable (%s)", type(error).__name__)
        return self.live

    async def leave(self) -> None:
        try:
            await self.client.zrem(self.key, self.worker)
        except (RedisError, OSError):
            pass  # the entry ages out

    async def close(self) -> None:
        await self.client.aclose()
