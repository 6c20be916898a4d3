"""Fixtures of the realtime tests: the bridge and a simulator in the test's loop."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asgiref.sync import sync_to_async

from dashboard.boards.demo import ensure_demo_content
from statsbridge.service import BridgeService, config_from_settings
from statsbridge.simulator.server import Simulator


@pytest.fixture
async def bridge_and_simulator(settings) -> AsyncIterator[Simulator]:  # type: ignore[no-untyped-def]
    await sync_to_async(ensure_demo_content)()
    simulator = Simulator(port=0, connect_timeout_ms=2000)
    await simulator.start()
    service = BridgeService(config_from_settings(simulator.base_url))
    await service.start()
    yield simulator
    await service.stop()
    await simulator.stop()
