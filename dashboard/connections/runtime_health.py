"""What /healthz says about each connection (issue 22): `connections`, one entry per
enabled connection, `default` included (the top-level `status` and `bridge` stay
`default`'s, as before connections existed, so load balancers see no change).

A connection's state comes from its bridge when it runs in this process, else (with
Redis) from what the worker holding it last wrote there (statsbridge/connection_status.py);
no word from any bridge reads `error`.
"""

from __future__ import annotations

import time

from django.conf import settings

from dashboard.connections.models import DEFAULT_CONNECTION, Connection
from statsbridge import connection_status
from statsbridge.status import BridgeState, BridgeStatus


def status_entry(status: BridgeStatus) -> dict:
    age = None
    if status.last_update_ms is not None:
        age = round(max(0.0, time.time() - status.last_update_ms / 1000), 3)
    return {
        "state": status.state.value,
        "detail": status.detail,
        "subscriptions": status.subscriptions,
        "statistics": status.statistics,
        "last_update_age_s": age,
    }


def connections_health(default: BridgeStatus) -> dict[str, dict]:
    names = list(Connection.objects.filter(enabled=True).values_list("name", flat=True))
    here = connection_status.running()
    redis_url = getattr(settings, "REDIS_URL", None)
    missing = [name for name in names if name not in here]
    shared = connection_status.read_shared(redis_url, missing) if redis_url and missing else {}
    health = {DEFAULT_CONNECTION: status_entry(default)}
    for name in names:
        status = here.get(name) or shared.get(name)
        if status is None:
            status = BridgeStatus(BridgeState.ERROR, detail="no bridge has reported for this connection")
        health[name] = status_entry(status)
    return health
