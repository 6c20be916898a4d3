"""Simulated tenants: one simulator instance each, with its own agents, queues and
credentials, so two connections (dashboard/connections) can be shown and tested side by
side, as an outsourcer running two clients' Genesys tenants would have them.

`default` is the simulator as it always was (agent001..., 8001@SIP_Switch, the GENESYS_*
defaults); `brand-b` is numbered apart (agent501..., 9001@SIP_Switch) and accepts only
its own credentials, so a connection configured with the other tenant's key is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS, SimulatorCredentials


@dataclass(frozen=True)
class Tenant:
    name: str
    credentials: SimulatorCredentials
    agents: int = 50
    queues: int = 8
    seed: int = 0
    first_agent: int = 1
    first_queue: int = 8001

    def simulator_options(self) -> dict[str, Any]:
        """Keyword arguments for `Simulator(...)`."""
        return {
            "credentials": self.credentials,
            "agents": self.agents,
            "queues": self.queues,
            "seed": self.seed,
            "first_agent": self.first_agent,
            "first_queue": self.first_queue,
        }


BRAND_B_CREDENTIALS = SimulatorCredentials(
    api_key="brand-b-api-key",
    client_id="brand-b-dashboard",
    client_secret="brand-b-client-secret",
    username="bridge@brand-b",
    password="brand-b-password",
    user_domain="BRANDB",
    ws_username="wsadmin@brand-b",
    ws_password="brand-b-ws-password",
    export_token="brand-b-export-token",
    export_client_id="brand-b-export-client",
    export_client_secret="brand-b-export-client-secret",
)

TENANTS: dict[str, Tenant] = {
    "default": Tenant("default", DEFAULT_CREDENTIALS),
    "brand-b": Tenant("brand-b", BRAND_B_CREDENTIALS, agents=20, queues=4, seed=1, first_agent=501, first_queue=9001),
}
