"""Issue #7 row 1 as a scenario: the upstream restarted again and again. Each restart
is the real simulator going away (its listener closed, live connections dropped,
new ones refused) for 0.5-20 s, then serving again having forgotten every CometD
client, subscription and token (`Simulator.restart_with_downtime`).

Measured per restart: how long after the upstream is back every configured statistic
has a value stamped after that moment; then the statistics open upstream (the
simulator's registry) against the configured set; and every Bayeux request carrying
a handshake, answered or refused, with its arrival time. CI runs a short seeded
schedule (tests/reliability/test_faults_restarts.py); bench/soak_restarts.py runs the
issue's 20 restarts in 5 minutes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from statsbridge.simulator.server import Simulator
from statsbridge.status import now_ms
from tests.reliability.helpers import fresh_for_every_key, new_simulator, read_frames_until, running, wait_settled
from tests.statsbridge.conftest import LiveBridge

RESUME_WAIT_S = 60.0  # how long we wait for a resume; the bound (15 s) is asserted by the caller


@dataclass
class Restart:
    down_s: float
    up_s: float  # planned time up before the next restart, counted from when it is back


@dataclass
class RestartFigures:
    resumes_s: list[float] = field(default_factory=list)  # per restart, back -> every statistic fresh
    open_after: list[list[str]] = field(default_factory=list)  # statistics open upstream, once settled
    open_before_next: list[list[str]] = field(default_factory=list)  # ... at the end of each up period
    handshake_stamps: list[float] = field(default_factory=list)
    configured: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def handshake_gaps(self) -> list[float]:
        stamps = self.handshake_stamps
        return [later - earlier for earlier, later in zip(stamps, stamps[1:], strict=False)]

    def most_handshakes_within(self, seconds: float) -> int:
        """The most handshake requests that arrived within any `seconds`-long window."""
        stamps, first, most = self.handshake_stamps, 0, 0
        for last, stamp in enumerate(stamps):
            while stamp - stamps[first] >= seconds:
                first += 1
            most = max(most, last - first + 1)
        return most

    def lines(self) -> list[str]:
        gaps = self.handshake_gaps
        return [
            f"{len(self.resumes_s)} restarts in {self.seconds:.0f} s; resume after back (s): worst "
            f"{max(self.resumes_s):.2f}, median {sorted(self.resumes_s)[len(self.resumes_s) // 2]:.2f}",
            f"resume times (s): {[round(r, 2) for r in self.resumes_s]}",
            f"handshake requests: {len(self.handshake_stamps)}, shortest gap {min(gaps, default=0):.2f} s, "
            f"most within any 1 s / 10 s: {self.most_handshakes_within(1)} / {self.most_handshakes_within(10)}, "
            f"overall {len(self.handshake_stamps) / self.seconds:.2f}/s",
            f"open upstream == configured after every restart: "
            f"{all(sorted(o) == self.configured for o in self.open_after + self.open_before_next)}",
        ]


def restart_schedule(count: int, down: tuple[float, float], total_s: float, seed: int) -> list[Restart]:
    """`count` restarts in about `total_s`, down times drawn in `down` (both ends included)."""
    rng = random.Random(seed)
    downs = [down[0], down[1], *(rng.uniform(*down) for _ in range(count - 2))][:count]
    rng.shuffle(downs)
    up_total = max(total_s - sum(downs), 2.0 * count)
    weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
    return [Restart(round(d, 2), round(up_total * w / sum(weights), 2)) for d, w in zip(downs, weights, strict=False)]


def record_handshake_requests(simulator: Simulator) -> list[float]:
    """Arrival times of every Bayeux request carrying /meta/handshake, answered or 401.
    Patched before `start()`: the routes bind the handler then."""
    stamps: list[float] = []
    handle = simulator.cometd.handle

    async def recorded(request: web.Request) -> web.StreamResponse:
        if b'"/meta/handshake"' in await request.read():
            stamps.append(time.monotonic())
        return await handle(request)

    simulator.cometd.handle = recorded  # type: ignore[method-assign]
    return stamps


async def soak_restarts(schedule: list[Restart], progress: Callable[[str], None] | None = None) -> RestartFigures:
    simulator = new_simulator()
    figures = RestartFigures(handshake_stamps=record_handshake_requests(simulator))
    await simulator.start()
    try:
        async with running(simulator) as live:
            figures.configured = sorted(live.desired.statistics)
            await wait_settled(live)
            started = time.monotonic()
            for n, restart in enumerate(schedule, 1):
                await restart_once(simulator, live, restart, figures)
                if progress:
                    progress(
                        f"restart {n}/{len(schedule)}: down {restart.down_s:.2f} s, "
                        f"resumed {figures.resumes_s[-1]:.2f} s after back"
                    )
            figures.seconds = time.monotonic() - started
    finally:
        await simulator.stop()
    return figures


async def restart_once(simulator: Simulator, live: LiveBridge, restart: Restart, figures: RestartFigures) -> None:
    await simulator.restart_with_downtime(restart.down_s)
    back, since = time.monotonic(), now_ms()
    await fresh_for_every_key(live, since, timeout=RESUME_WAIT_S)
    figures.resumes_s.append(time.monotonic() - back)
    await wait_settled(live, timeout=RESUME_WAIT_S)
    figures.open_after.append(sorted(live.upstream_open()))
    await read_frames_until(live, back + restart.up_s)
    figures.open_before_next.append(sorted(live.upstream_open()))
