"""Shared by the connection tests: a row pointing at a simulated tenant."""

from __future__ import annotations

from dashboard.connections.models import Connection
from statsbridge.simulator.credentials import SimulatorCredentials


def connection_for(name: str, base_url: str, creds: SimulatorCredentials, **overrides: str) -> Connection:
    fields = {
        "api_key": creds.api_key,
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "username": creds.username,
        "password": creds.password,
        **overrides,
    }
    return Connection.objects.create(name=name, base_url=base_url, **fields)
