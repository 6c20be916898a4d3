"""Fixtures shared by the dashboard tests: a signed-in admin, a real simulator, and the
bridge with a simulator in the test's loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.test import Client

from dashboard.boards.demo import ensure_demo_content
from statsbridge.service import BridgeService, config_from_settings
from statsbridge.simulator.server import Simulator


@pytest.fixture
def staff(client: Client) -> Client:
    # No password: hashing one costs a second per test, and force_login needs none.
    user = User.objects.create(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@contextmanager
def threaded_simulator(**options: object) -> Iterator[Simulator]:
    """A real simulator in its own thread and event loop: the admin action is sync and
    runs its own loop (async_to_sync), so the simulator must not share the test's."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="simulator", daemon=True)
    thread.start()
    simulator = Simulator(port=0, **options)  # type: ignore[arg-type]
    asyncio.run_coroutine_threadsafe(simulator.start(), loop).result(timeout=30)
    try:
        yield simulator
    finally:
        asyncio.run_coroutine_threadsafe(simulator.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture(scope="module")
def simulator_url() -> Iterator[str]:
    with threaded_simulator() as simulator:
        yield simulator.base_url


@pytest.fixture
def upstream(simulator_url: str, settings: object) -> str:
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": None}  # type: ignore[attr-defined]
    settings.STATSBRIDGE_SIMULATOR_URL = simulator_url  # type: ignore[attr-defined]
    return simulator_url


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
