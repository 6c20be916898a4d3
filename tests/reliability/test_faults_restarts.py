"""Issue #7 row 1: the upstream restarted again and again (down 0.5-20 s each).

CI runs a short seeded schedule: 6 restarts, down 0.5-5 s, about a minute. The
issue's 20 restarts in 5 minutes, down up to 20 s, is bench/soak_restarts.py.
"""

from __future__ import annotations

import time

import pytest

from statsbridge.simulator.server import Simulator
from tests.reliability.helpers import figure, forget_client, held_poll, running, wait_settled
from tests.reliability.restart_soak import restart_schedule, soak_restarts
from tests.support.waiting import async_wait_until

RESUME_BOUND_S = 15.0


@pytest.mark.slow
async def test_after_each_restart_every_statistic_resumes_within_15_s_open_once_at_one_handshake_a_second() -> None:
    schedule = restart_schedule(6, down=(0.5, 5.0), total_s=60.0, seed=11)
    soak = await soak_restarts(schedule)
    for line in soak.lines():
        figure("row 1 (CI schedule)", line)
    assert max(soak.resumes_s) <= RESUME_BOUND_S
    for open_now in soak.open_after + soak.open_before_next:
        assert open_now == soak.configured  # none lost, none opened twice
    # The link starts handshakes >= 1 s apart; a token fetch before one of them may
    # shave a little off the gap seen at the server.
    assert min(soak.handshake_gaps) >= 0.75
    assert soak.most_handshakes_within(10) <= 10
    assert len(soak.handshake_stamps) >= len(schedule) + 1


def test_the_restart_schedule_is_seeded_and_reaches_both_ends_of_the_down_range() -> None:
    schedule = restart_schedule(20, down=(0.5, 20.0), total_s=300.0, seed=1)
    assert schedule == restart_schedule(20, down=(0.5, 20.0), total_s=300.0, seed=1)
    downs = [r.down_s for r in schedule]
    assert len(schedule) == 20 and min(downs) == 0.5 and max(downs) == 20.0
    assert sum(downs) + sum(r.up_s for r in schedule) == pytest.approx(300.0, abs=0.5)


async def test_a_new_session_cuts_short_a_sync_backoff_that_grew_while_the_upstream_refused(
    simulator: Simulator,
) -> None:
    """A restart while the bridge's syncs were failing: its backoff had grown to many
    seconds, and a new session must not wait for it to run out."""
    async with running(simulator) as live:
        await wait_settled(live)
        simulator.available = False  # REST answers 503, and no UNAVAILABLE message says so
        simulator.registry.drop_all()
        forget_client(simulator, await async_wait_until(lambda: held_poll(simulator), what="a held poll"))
        await async_wait_until(
            lambda: live.bridge.counters.upstream_errors >= 6,
            timeout=90,
            what="six failed syncs in a row: a backoff of up to 16 s",
        )
        simulator.available = True
        handshakes = simulator.bayeux.handshakes
        forget_client(simulator, await async_wait_until(lambda: held_poll(simulator), what="a held poll"))
        await async_wait_until(lambda: simulator.bayeux.handshakes > handshakes, what="the new session")
        session = time.monotonic()
        await wait_settled(live, timeout=60)
        resumed = time.monotonic() - session
    figure("row 1: every statistic open again after a new session, past a grown sync backoff (s)", round(resumed, 2))
    assert resumed <= 5.0
