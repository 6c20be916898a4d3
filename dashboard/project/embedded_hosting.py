"""The embedded default's side of the built-in simulator: its credentials, its agents'
names, its skill sources' secrets, its plausible past (history backfill), the simulator
hosted for `check_genesys`, and the simulated tenants behind the demo's second connection
(`brand-b`).

Besides the hosting in `rundashboard` and the `simulate` command, this is the only
product module that imports `statsbridge.simulator` (tests/test_import_boundaries.py).
Settings call it only when no upstream is configured (GENESYS_API_BASE_URL unset), and
the demo content and the hosted check only exist then, so a real tenant never loads
the simulator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from statsbridge.simulator.credentials import SimulatorCredentials
    from statsbridge.simulator.server import Simulator

CREDENTIAL_KEYS = ("API_KEY", "CLIENT_ID", "CLIENT_SECRET", "USERNAME", "PASSWORD")
# A simulator hosted for one check lives a minute; a fresh center is calm at first (every
# agent mid-call, no queue: brand-b's statistics first changed 39 s in), so it starts as
# if it had been running for ten minutes.
HOSTED_WARM_UP_SECONDS = 600.0


def embedded_credentials() -> dict[str, str]:
    """The GENESYS_* defaults when the built-in simulator is the upstream."""
    from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as creds

    return {
        "API_KEY": creds.api_key,
        "CLIENT_ID": creds.client_id,
        "CLIENT_SECRET": creds.client_secret,
        "USERNAME": creds.username,
        "PASSWORD": creds.password,
    }


def simulator_agent_names(agents: int = 50, queues: int = 8) -> dict[str, str]:
    """Agent objectId -> display name in the simulator's default contact center (the one
    `rundashboard` starts), for the demo dashboards' agent grid."""
    from statsbridge.simulator.model import ContactCenter

    objects = ContactCenter(agents=agents, queues=queues).objects()
    return {o["objectId"]: o["name"] for o in objects if o["objectType"] == "Agent"}


def simulator_routing(agents: int = 50, queues: int = 8) -> tuple[dict[str, list[str]], dict[str, str]]:
    """({agent group: member agent objectIds}, {queue objectId: the group serving it}) in
    the simulator's default contact center, for the demo's queue routing (drill-down)."""
    from statsbridge.simulator.model import ContactCenter

    center = ContactCenter(agents=agents, queues=queues)
    members = {g.group_id: [a.agent_id for a in g.members] for g in center.groups}
    serving = {q.queue_id: center.groups[q.group].group_id for q in center.queues}
    return members, serving


def simulator_skill_credentials() -> SimulatorCredentials:
    """The secrets of the simulator's skill sources (Web Services v2, skill export)."""
    from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS

    return DEFAULT_CREDENTIALS


@asynccontextmanager
async def hosted_simulator() -> AsyncIterator[Simulator]:
    """The built-in simulator on a free loopback port for the length of a block, as
    `rundashboard` hosts it (`check_genesys` with no upstream configured)."""
    from statsbridge.simulator.server import Simulator

    simulator = Simulator(host="127.0.0.1", port=0, warm_up_seconds=HOSTED_WARM_UP_SECONDS)
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


def demo_statistics(simulator: Simulator) -> list[dict]:
    """What the demo dashboards would show, for a database with none yet."""
    objects = simulator.center.objects()
    queue = next(o["objectId"] for o in objects if o["objectType"] == "Queue")
    agent = next(o["objectId"] for o in objects if o["objectType"] == "Agent")
    return [
        {"objectType": "Queue", "objectId": queue, "name": "CurrentNumberWaitingCalls"},
        {"objectType": "Agent", "objectId": agent, "name": "TimeInCurrentState"},
    ]


# -- simulated tenants: the demo's second connection (dashboard/connections) -----------


def tenant_credentials(name: str) -> SimulatorCredentials:
    """The credentials a simulated tenant accepts (statsbridge/simulator/tenants.py)."""
    from statsbridge.simulator.tenants import TENANTS

    return TENANTS[name].credentials


def tenant_agents(name: str) -> list[tuple[str, str]]:
    """(objectId, display name) of a simulated tenant's agents, for the demo's dashboards."""
    from statsbridge.simulator.model import ContactCenter
    from statsbridge.simulator.tenants import TENANTS

    options = TENANTS[name].simulator_options()
    center = ContactCenter(**{k: options[k] for k in ("agents", "queues", "first_agent", "first_queue")})
    return [(o["objectId"], o["name"]) for o in center.objects() if o["objectType"] == "Agent"]


def simulated_connection_names() -> list[str]:
    """Connection rows that are simulated tenants: named as one and holding its API key
    (the demo's `brand-b`). A row pointing at anything else is never touched."""
    from dashboard.connections.models import Connection
    from statsbridge.simulator.tenants import TENANTS

    return [
        row.name
        for row in Connection.objects.filter(name__in=[n for n in TENANTS if n != "default"], enabled=True)
        if row.api_key == TENANTS[row.name].credentials.api_key
    ]


def _point_connection(name: str, base_url: str) -> None:
    from dashboard.connections.models import Connection

    Connection.objects.filter(name=name).update(base_url=base_url)


@asynccontextmanager
async def hosted_tenant(name: str) -> AsyncIterator[Simulator]:
    """A simulated tenant's simulator on a free loopback port for the length of a block."""
    from statsbridge.simulator.server import Simulator
    from statsbridge.simulator.tenants import TENANTS

    simulator = Simulator(
        host="127.0.0.1", port=0, warm_up_seconds=HOSTED_WARM_UP_SECONDS, **TENANTS[name].simulator_options()
    )
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


class TenantSimulators:
    """A service of `rundashboard` in the embedded default: one simulator per simulated
    tenant connection (the demo's `brand-b`) on a free loopback port, and the row pointed
    at it before the bridges start (they start after this service)."""

    name = "simulated tenants"

    def __init__(self) -> None:
        self.simulators: dict[str, Simulator] = {}

    async def start(self) -> None:
        from asgiref.sync import sync_to_async

        from statsbridge.simulator.server import Simulator
        from statsbridge.simulator.tenants import TENANTS

        for name in await sync_to_async(simulated_connection_names, thread_sensitive=False)():
            simulator = Simulator(host="127.0.0.1", port=0, **TENANTS[name].simulator_options())
            await simulator.start()
            self.simulators[name] = simulator
            await sync_to_async(_point_connection, thread_sensitive=False)(name, simulator.base_url)

    async def stop(self) -> None:
        for simulator in reversed(list(self.simulators.values())):
            await simulator.stop()
        self.simulators.clear()


def simulated_history(descriptors: list[dict], start: float, end: float, zone: tzinfo) -> dict[str, list[tuple]]:
    """The simulated center's plausible 5-minute buckets over [start, end), per descriptor
    `key`, in its weekday shape: what `backfill_history` and the demo content write."""
    from statsbridge.simulator.history_backfill import simulated_buckets

    return simulated_buckets(descriptors, start, end, zone)
