"""Issue #7 row 6 as a scenario: tokens that live `lifetime` seconds, for `duration`
seconds, plus random 401s (`expire_all`: every token refused at once) at seeded
moments. CI runs it short (tests/reliability/test_faults_tokens.py: 3 s tokens for
60 s); bench/soak_tokens.py runs the issue's 60 s tokens for 30 minutes.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import orjson

from statsbridge.simulator.server import Simulator
from tests.reliability.helpers import new_simulator, running, wait_settled
from tests.statsbridge.conftest import LiveBridge


@dataclass
class TokenSoakFigures:
    seconds: float
    fetches: int
    renewals_due: float  # tokens the bridge had to renew ahead of expiry (natural)
    forced: int  # expire_all: every token refused at once
    longest_401_run: int
    longest_gap_s: float  # between update frames at the dashboard
    token_checks: int

    @property
    def expiries(self) -> float:
        return self.renewals_due + self.forced

    def lines(self) -> list[str]:
        return [
            f"token fetches / expiries (natural + forced): {self.fetches} / {self.expiries:.1f} ({self.forced} forced)",
            f"longest run of 401s: {self.longest_401_run} (of {self.token_checks} token checks)",
            f"longest gap between update frames (s): {self.longest_gap_s:.2f}",
        ]


def longest_run_of_refusals(answers: list[bool]) -> int:
    longest = run = 0
    for accepted in answers:
        run = 0 if accepted else run + 1
        longest = max(longest, run)
    return longest


async def record_update_arrivals(live: LiveBridge, arrivals: list[float]) -> None:
    while True:
        frame = orjson.loads((await live.reader.next())["text"])
        if frame["type"] == "update":
            arrivals.append(time.monotonic())


def record_token_checks(simulator: Simulator) -> list[bool]:
    """Every token check of the Statistics API and CometD, in order: False is a 401."""
    answers: list[bool] = []
    check = simulator.tokens.user_for

    def recorded(token: str | None) -> str | None:
        user = check(token)
        answers.append(user is not None)
        return user

    simulator.tokens.user_for = recorded  # type: ignore[method-assign]
    return answers


async def soak_tokens(
    *,
    lifetime: float,
    duration: float,
    expire_every: tuple[float, float] = (3, 8),
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> TokenSoakFigures:
    simulator = new_simulator(token_lifetime=lifetime)
    await simulator.start()
    answers = record_token_checks(simulator)
    try:
        async with running(simulator) as live:
            await wait_settled(live)
            fetches, answers[:] = live.bridge.tokens.fetches, []
            arrivals: list[float] = []
            recorder = asyncio.create_task(record_update_arrivals(live, arrivals))
            started, forced = (
                time.monotonic(),
                await expire_at_random(simulator, duration, expire_every, random.Random(seed), progress),
            )
            ended = time.monotonic()
            recorder.cancel()
            fetched = live.bridge.tokens.fetches - fetches
            config = live.bridge.config
    finally:
        await simulator.stop()
    # statsbridge/tokens.py renews ahead of expiry: at 80 % of a short life, `refresh_margin` early otherwise.
    renew_every = max(lifetime - config.refresh_margin, 0.8 * lifetime)
    moments = [started, *arrivals, ended]
    return TokenSoakFigures(
        ended - started,
        fetched,
        (ended - started) / renew_every,
        forced,
        longest_run_of_refusals(answers),
        max(later - earlier for earlier, later in zip(moments, moments[1:], strict=False)),
        len(answers),
    )


async def expire_at_random(
    simulator: Simulator,
    duration: float,
    every: tuple[float, float],
    rng: random.Random,
    progress: Callable[[str], None] | None,
) -> int:
    """Refuse every token at seeded random moments for `duration` seconds; how many times."""
    started, forced = time.monotonic(), 0
    next_expiry, next_report = started + rng.uniform(*every), started + 60
    while (now := time.monotonic()) - started < duration:
        if now >= next_expiry:
            simulator.tokens.expire_all()
            forced, next_expiry = forced + 1, now + rng.uniform(*every)
        if progress and now >= next_report:
            next_report = now + 60
            progress(f"{now - started:6.0f} s: {forced} forced expiries")
        await asyncio.sleep(0.05)  # a sampling tick of the schedule, not a wait for a result
    return forced
