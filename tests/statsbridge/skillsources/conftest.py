"""A real simulator on a free loopback port, run on its own event loop in a background
thread, so the synchronous skill-source clients can be called straight from plain
(non-async) tests, as the product's sync calls them.

Tests change the simulator only through its control API over HTTP, never by touching
its objects from the test thread: the simulator's loop owns them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from statsbridge.skillsources import SkillClusterExportClient, WebServicesClient

START_TIMEOUT = 30.0


@dataclass
class RunningSimulator:
    sim: Simulator
    control: httpx.Client

    @property
    def base_url(self) -> str:
        return self.sim.base_url

    def set_faults(self, body: dict) -> dict:
        response = self.control.post("/simulator/v1/skills-faults", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def set_agent_skills(self, agent: str, skills: dict[str, int]) -> None:
        response = self.control.post("/simulator/v1/agent-skills", json={"agent": agent, "skills": skills})
        assert response.status_code == 200, response.text


@pytest.fixture
def simulator() -> Iterator[RunningSimulator]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="skills-simulator", daemon=True)
    thread.start()
    sim = Simulator(port=0, agents=20, queues=4, seed=1)
    asyncio.run_coroutine_threadsafe(sim.start(), loop).result(START_TIMEOUT)
    control = httpx.Client(base_url=sim.base_url, timeout=10)
    try:
        yield RunningSimulator(sim, control)
    finally:
        control.close()
        asyncio.run_coroutine_threadsafe(sim.stop(), loop).result(START_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(START_TIMEOUT)
        loop.close()


@pytest.fixture
def ws(simulator: RunningSimulator) -> Iterator[WebServicesClient]:
    with WebServicesClient(simulator.base_url, CREDS.ws_username, CREDS.ws_password, timeout=5) as client:
        yield client


@pytest.fixture
def export(simulator: RunningSimulator) -> Iterator[SkillClusterExportClient]:
    with SkillClusterExportClient(simulator.base_url, CREDS.export_token, page_size=7, timeout=5) as client:
        yield client
