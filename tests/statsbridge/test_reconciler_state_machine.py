"""Whatever the upstream does, once things go quiet the upstream's open statistics equal
the desired set, each open once. A Hypothesis state machine drives the real bridge
against the real simulator through drops, 402s, 401s, outages and configuration edits."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from statsbridge.desired import descriptor_of
from statsbridge.simulator.server import Simulator
from tests.statsbridge.conftest import DASHBOARD, LiveBridge, start_live_bridge

STATISTICS = [
    "TotalNumberInboundCalls",
    "CurrentNumberWaitingCalls",
    "ServiceFactor",
    "AverageSpeedOfAnswer",
    "CurrentNumberReadyAgents",
]


class UpstreamChaos(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.sim = Simulator(port=0, agents=10, queues=4, seed=9, connect_timeout_ms=1500)
        self.live: LiveBridge = self.run(self._start())
        self.queues = [o["objectId"] for o in self.sim.center.objects() if o["objectType"] == "Queue"]

    async def _start(self) -> LiveBridge:
        await self.sim.start()
        return await start_live_bridge(self.sim, backoff_cap=1.0, chunk_size=3)

    def run(self, coro):  # type: ignore[no-untyped-def]
        return self.loop.run_until_complete(coro)

    def settle(self, seconds: float) -> None:
        self.run(asyncio.sleep(seconds))

    @rule(pause=st.floats(0, 0.5))
    def drop_connections(self, pause: float) -> None:
        for client in self.sim.bayeux.clients.values():
            for transport in list(client.transports):
                transport.close()
        self.settle(pause)

    @rule(pause=st.floats(0, 0.5))
    def unknown_client_402(self, pause: float) -> None:
        self.sim.bayeux.forget()  # CometD sessions gone, statistic subscriptions still open
        self.settle(pause)

    @rule(pause=st.floats(0, 0.5))
    def expired_tokens_401(self, pause: float) -> None:
        self.sim.tokens.expire_all()
        self.settle(pause)

    @rule(seconds=st.floats(0.05, 1.5), pause=st.floats(0, 0.5))
    def outage(self, seconds: float, pause: float) -> None:
        async def begin() -> None:
            self.sim.start_outage(seconds)  # UNAVAILABLE now, AVAILABLE after `seconds`

        self.run(begin())
        self.settle(pause)

    @rule(pause=st.floats(0, 0.5))
    def restart(self, pause: float) -> None:
        self.sim.restart()
        self.settle(pause)

    @rule(name=st.sampled_from(STATISTICS), queue=st.integers(0, 3), pause=st.floats(0, 0.3))
    def add_statistic(self, name: str, queue: int, pause: float) -> None:
        self.live.desired.add(DASHBOARD, descriptor_of(object_type="Queue", object_id=self.queues[queue], name=name))
        self.live.bridge.request_reload()
        self.settle(pause)

    @rule(data=st.data(), pause=st.floats(0, 0.3))
    def remove_statistic(self, data: st.DataObject, pause: float) -> None:
        keys = sorted(self.live.desired.statistics)
        if len(keys) <= 1:
            return
        key = data.draw(st.sampled_from(keys))
        del self.live.desired.statistics[key]
        self.live.desired.routes.pop(key, None)
        self.live.bridge.request_reload()
        self.settle(pause)

    def teardown(self) -> None:
        try:
            self.run(self._converges())
        finally:
            self.live.stop.set()
            self.run(asyncio.wait_for(self.live.task, 15))  # type: ignore[arg-type]
            self.run(self.sim.stop())
            self.loop.close()

    async def _converges(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.sim.available and sorted(self.live.upstream_open()) == sorted(self.live.desired.statistics):
                await asyncio.sleep(1.0)  # and it stays so
                if sorted(self.live.upstream_open()) == sorted(self.live.desired.statistics):
                    return
            await asyncio.sleep(0.1)
        counts = Counter(self.live.upstream_open())
        raise AssertionError(
            f"upstream open {dict(counts)} != desired {sorted(self.live.desired.statistics)}; "
            f"bridge {self.live.bridge.status}"
        )


UpstreamChaos.TestCase.settings = settings(
    max_examples=12, stateful_step_count=10, deadline=None, suppress_health_check=list(HealthCheck)
)
test_upstream_open_set_converges_to_desired_set = UpstreamChaos.TestCase
