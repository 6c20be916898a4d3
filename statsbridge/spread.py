"""Spreading the connections' bridges over the `runworker statsbridge` processes.

Each connection has its own lease (statsbridge/leadership.py). Left alone, the first
worker to start would take every lease and the others would idle. So every worker
beats in a registry of live workers (a sorted set in Redis scored by Redis' clock,
entries older than the lease ttl dropped) with how many connections it holds, and
decides each tick (`plan`) from n connections over w live workers:
- it takes a free lease while it holds fewer than floor(n/w), or fewer than ceil(n/w)
  when no live worker holds fewer than floor(n/w) (the short ones fill up first);
- it lets one go when it holds more than ceil(n/w) (a worker joined), or more than
  floor(n/w) while another holds fewer and it is the one holding most (ties: the
  smallest id), so no worker idles while another holds two more.
A dead worker stops beating and renewing at the same moment, so its leases and its
registry entry expire together; the survivors then take its connections on their next tick.

Imports nothing from Django.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

WORKERS_KEY = "statsbridge:workers"

# Beat with what we hold, forget the silent, list the live with what they hold: one
# step, on Redis' clock (no two hosts' clocks compared).
_BEAT = """
local now = redis.call('time')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local oldest = ms - tonumber(ARGV[2])
redis.call('zadd', KEYS[1], ms, ARGV[1])
redis.call('hset', KEYS[2], ARGV[1], ARGV[3])
for _, gone in ipairs(redis.call('zrangebyscore', KEYS[1], '-inf', oldest)) do
  redis.call('hdel', KEYS[2], gone)
end
redis.call('zremrangebyscore', KEYS[1], '-inf', oldest)
local found = {}
for _, worker in ipairs(redis.call('zrange', KEYS[1], 0, -1)) do
  table.insert(found, worker)
  table.insert(found, redis.call('hget', KEYS[2], worker) or '0')
end
return found
"""


@dataclass(frozen=True)
class Plan:
    take: bool  # may take one more free lease now
    give_up: bool  # should let one go now


def plan(me: str, held: int, connections: int, counts: dict[str, int]) -> Plan:
    """What a worker holding `held` does, with `counts` (live worker -> held, itself
    included) as the registry last said."""
    workers = max(1, len(counts))
    low, high = connections // workers, math.ceil(connections / workers) if connections else 0
    others = [c for w, c in counts.items() if w != me]
    short = any(c < low for c in others)
    richest = min((w for w, c in counts.items() if c == max(counts.values())), default=me) == me
    if held > high or (held > low and short and richest):
        return Plan(take=False, give_up=True)
    return Plan(take=held < low or (held < high and not short), give_up=False)


class WorkerRegistry:
    def __init__(self, redis_url: str, worker: str, ttl: float, key: str = WORKERS_KEY) -> None:
        self.client = aioredis.from_url(redis_url, socket_timeout=ttl / 3, socket_connect_timeout=ttl / 3)
        self.worker = worker
        self.ttl = ttl
        self.key = key
        self.counts: dict[str, int] = {worker: 0}

    async def beat(self, held: int) -> dict[str, int]:
        """Say this worker is alive and holds `held`; the live workers and what they
        hold (the last known, when Redis does not answer)."""
        try:
            found = await self.client.eval(
                _BEAT, 2, self.key, f"{self.key}:held", self.worker, int(self.ttl * 1000), held
            )
            pairs = [item.decode() if isinstance(item, bytes) else str(item) for item in found]
            self.counts = {pairs[i]: int(pairs[i + 1]) for i in range(0, len(pairs), 2)}
        except (RedisError, OSError) as error:
            log.warning("worker registry: Redis unreachable (%s)", type(error).__name__)
        self.counts[self.worker] = held
        return dict(self.counts)

    async def leave(self) -> None:
        try:
            await self.client.zrem(self.key, self.worker)
            await self.client.hdel(f"{self.key}:held", self.worker)
        except (RedisError, OSError):
            pass  # the entry ages out

    async def close(self) -> None:
        await self.client.aclose()
