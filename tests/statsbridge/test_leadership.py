"""Exactly one active bridge: the Redis lease, takeover, and fencing (real redis-server)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from statsbridge.leadership import RedisLease, lead_while_holding
from tests.support.redis_server import PrivateRedis
from tests.support.waiting import async_wait_until


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:  # type: ignore[no-untyped-def]
    server = PrivateRedis(tmp_path).start()
    yield server
    server.stop()


class Candidate:
    """A would-be bridge: counts the values it would publish while it may."""

    def __init__(self, url: str, ttl: float = 3.0) -> None:
        self.lease = RedisLease(url, key="test:leader", ttl=ttl, margin=0.5)
        self.leading = False
        self.published: list[float] = []
        self.stop = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def _start(self) -> None:
        self.leading = True

    async def _stop(self) -> None:
        self.leading = False

    def run(self) -> Candidate:
        self.task = asyncio.create_task(lead_while_holding(self.lease, self.stop, self._start, self._stop))
        return self

    async def publish_forever(self) -> None:
        while not self.stop.is_set():
            if self.lease.may_publish():
                self.published.append(time.monotonic())
            await asyncio.sleep(0.01)

    async def die(self) -> None:
        """Crash: stop renewing without releasing (the key must expire by itself)."""
        assert self.task is not None
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def test_only_one_candidate_leads(private_redis: PrivateRedis) -> None:
    first, second = Candidate(private_redis.url).run(), Candidate(private_redis.url).run()
    await async_wait_until(lambda: first.leading or second.leading, what="a leader")
    await asyncio.sleep(2.0)
    assert first.leading != second.leading
    for c in (first, second):
        c.stop.set()
    await asyncio.gather(first.task, second.task)  # type: ignore[arg-type]


async def test_standby_takes_over_when_the_leader_dies(private_redis: PrivateRedis) -> None:
    first = Candidate(private_redis.url).run()
    await async_wait_until(lambda: first.leading, what="first leads")
    second = Candidate(private_redis.url).run()
    await asyncio.sleep(1.0)
    assert not second.leading
    died = time.monotonic()
    await first.die()
    await async_wait_until(lambda: second.leading, timeout=15, what="takeover")
    assert time.monotonic() - died <= 10.0
    second.stop.set()
    await second.task  # type: ignore[misc]


async def test_a_leader_cut_off_from_redis_stops_publishing_before_anyone_else_can_lead(
    private_redis: PrivateRedis,
) -> None:
    leader = Candidate(private_redis.url).run()
    await async_wait_until(lambda: leader.leading, what="leader")
    publisher = asyncio.create_task(leader.publish_forever())
    await asyncio.sleep(0.3)
    cut_at = time.monotonic()
    await asyncio.to_thread(private_redis.stop)  # the leader can no longer renew
    await async_wait_until(lambda: not leader.lease.may_publish(), timeout=10, what="fenced")
    fenced_after = leader.published[-1] - cut_at
    # The key lived at most ttl after the last renewal, which was before the cut:
    assert fenced_after < leader.lease.ttl
    await asyncio.to_thread(private_redis.start)  # Redis back (empty, as after a restart): someone may lead again
    rival = Candidate(private_redis.url).run()
    await async_wait_until(lambda: rival.leading or leader.leading, timeout=15, what="a new term")
    first_rival_term = time.monotonic()
    assert not leader.published or leader.published[-1] < first_rival_term
    for c in (leader, rival):
        c.stop.set()
    publisher.cancel()
    await asyncio.gather(leader.task, rival.task, publisher, return_exceptions=True)  # type: ignore[arg-type]


async def test_every_taking_of_the_lease_draws_a_greater_term_even_after_a_redis_restart(
    private_redis: PrivateRedis,
) -> None:
    first = Candidate(private_redis.url, ttl=2.0).run()
    await async_wait_until(lambda: first.leading, what="first leads")
    second = Candidate(private_redis.url, ttl=2.0).run()
    terms = [first.lease.term]
    await first.die()
    await async_wait_until(lambda: second.leading, timeout=15, what="takeover")
    terms.append(second.lease.term)
    await second.die()
    await asyncio.to_thread(private_redis.stop)  # the counter is forgotten with everything else
    await asyncio.to_thread(private_redis.start)
    third = Candidate(private_redis.url, ttl=2.0).run()
    await async_wait_until(lambda: third.leading, timeout=15, what="a leader after the restart")
    terms.append(third.lease.term)
    assert terms[0] < terms[1] < terms[2], terms
    third.stop.set()
    await third.task  # type: ignore[misc]
    for c in (first, second, third):
        await c.lease.close()
