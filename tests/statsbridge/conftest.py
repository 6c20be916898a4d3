"""A real bridge against a real simulator over loopback, fanning out through a real
(in-memory) channel layer that the tests listen to like a consumer would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import orjson
import pytest
from channels.layers import InMemoryChannelLayer

from statsbridge.bridge import Bridge
from statsbridge.config import BridgeConfig
from statsbridge.desired import DesiredSet, descriptor_of
from statsbridge.fanout import ChannelsFanout
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from tests.support.relay_frames import FrameReader, listener

DASHBOARD = "probe"


def config_for(base_url: str, **overrides: object) -> BridgeConfig:
    values: dict = dict(
        base_url=base_url,
        api_key=CREDS.api_key,
        client_id=CREDS.client_id,
        client_secret=CREDS.client_secret,
        username=CREDS.username,
        password=CREDS.password,
    )
    return BridgeConfig(**{**values, **overrides})


@dataclass
class LiveBridge:
    bridge: Bridge
    simulator: Simulator
    desired: DesiredSet
    layer: InMemoryChannelLayer
    channel: str
    stop: asyncio.Event
    task: asyncio.Task | None = None
    frames: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reader = FrameReader(self.layer, self.channel, DASHBOARD)

    async def next_frame(self, timeout: float = 15.0) -> dict:
        message = await asyncio.wait_for(self.reader.next(), timeout)
        frame = orjson.loads(message["text"])
        self.frames.append(frame)
        return frame

    async def frames_until(self, predicate, timeout: float = 15.0) -> dict:  # type: ignore[no-untyped-def]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            frame = await self.next_frame(max(0.01, deadline - loop.time()))
            if predicate(frame):
                return frame

    def upstream_open(self) -> list[str]:
        """statisticIds open upstream, with repeats if any is open twice."""
        return [o.statistic_id for s in self.simulator.registry.all() for o in s.statistics.values()]


def demo_desired(objects: list[dict], agents: int = 3) -> DesiredSet:
    desired = DesiredSet()
    for obj in [o for o in objects if o["objectType"] == "Agent"][:agents]:
        desired.add(DASHBOARD, descriptor_of(object_type="Agent", object_id=obj["objectId"], name="TimeInCurrentState"))
        desired.add(DASHBOARD, descriptor_of(object_type="Agent", object_id=obj["objectId"], name="CurrentAgentState"))
    queue = next(o for o in objects if o["objectType"] == "Queue")
    desired.add(
        DASHBOARD, descriptor_of(object_type="Queue", object_id=queue["objectId"], name="CurrentNumberWaitingCalls")
    )
    return desired


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    sim = Simulator(port=0, agents=20, queues=4, seed=3, connect_timeout_ms=2000, max_interval_s=2.0)
    await sim.start()
    yield sim
    await sim.stop()


async def start_live_bridge(simulator: Simulator, **config: object) -> LiveBridge:
    desired = demo_desired(simulator.center.objects())

    async def load() -> DesiredSet:
        return desired

    layer = InMemoryChannelLayer(capacity=10_000)
    channel = await listener(layer)
    bridge = Bridge(config_for(simulator.base_url, **config), load_desired=load, sink=ChannelsFanout(layer))
    live = LiveBridge(bridge, simulator, desired, layer, channel, asyncio.Event())
    live.task = asyncio.create_task(bridge.run(live.stop))
    return live


@pytest.fixture
async def live(simulator: Simulator) -> AsyncIterator[LiveBridge]:
    live = await start_live_bridge(simulator)
    yield live
    live.stop.set()
    await asyncio.wait_for(live.task, 15)  # type: ignore[arg-type]


@pytest.fixture
async def split_simulator() -> AsyncIterator[Simulator]:
    """The Auth API served only under /idp: a tenant whose sign-in is on another host."""
    sim = Simulator(port=0, agents=6, queues=2, seed=5, connect_timeout_ms=2000, auth_prefix="/idp")
    await sim.start()
    yield sim
    await sim.stop()
