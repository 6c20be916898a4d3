"""Fixtures of the skills tests: a fresh simulator in its own thread, its skill sources."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from dashboard.skills.models import SkillSource
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A fresh simulator per test (tests change skills and set faults), in its own
    thread and loop: the sync is synchronous and must not share the test's loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="simulator", daemon=True)
    thread.start()
    simulator = Simulator(port=0)
    asyncio.run_coroutine_threadsafe(simulator.start(), loop).result(timeout=30)
    yield simulator
    asyncio.run_coroutine_threadsafe(simulator.stop(), loop).result(timeout=30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    loop.close()


@pytest.fixture
def ws(sim: Simulator) -> SkillSource:
    return SkillSource.objects.create(
        name="ws",
        kind=SkillSource.Kind.WEB_SERVICES,
        base_url=sim.base_url,
        username=CREDS.ws_username,
        secret=CREDS.ws_password,
    )


@pytest.fixture
def export(sim: Simulator) -> SkillSource:
    return SkillSource.objects.create(
        name="export", kind=SkillSource.Kind.SKILL_EXPORT, base_url=sim.base_url, secret=CREDS.export_token
    )


@pytest.fixture
def sources(ws: SkillSource, export: SkillSource) -> tuple[SkillSource, SkillSource]:
    return ws, export
