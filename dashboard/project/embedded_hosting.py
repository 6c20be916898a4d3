"""The embedded default's side of the built-in simulator: its credentials, its agents'
names, its skill sources' secrets, its plausible past (history backfill), and the simulator
hosted for `check_genesys`.

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

    simulator = Simulator(host="127.0.0.1", port=0)
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


def simulated_history(descriptors: list[dict], start: float, end: float, zone: tzinfo) -> dict[str, list[tuple]]:
    """The simulated center's plausible 5-minute buckets over [start, end), per descriptor
    `key`, in its weekday shape: what `backfill_history` and the demo content write."""
    from statsbridge.simulator.history_backfill import simulated_buckets

    return simulated_buckets(descriptors, start, end, zone)
