"""The simulator every fault test starts from (tests/reliability/helpers.py builds it)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from statsbridge.simulator.server import Simulator
from tests.reliability.helpers import new_simulator


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    sim = new_simulator()
    await sim.start()
    yield sim
    await sim.stop()
