"""What /healthz says about each connection (issue 22): `connections`, one entry per
enabled connection (as the bridges last read them), `default` included (the top-level `status` and `bridge` stay
`default`'s, as before connections existed, so load balancers see no change).

A connection's state comes from its bridge when it runs in this process, else (with
Redis) from what the worker holding it last wrote there (statsbridge/connection_status.py);
no word from any bridge reads `error`.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from dashboard.connections.models import DEFAULT_CONNECTION
from statsbridge import connection_status
from statsbridge.status import BridgeState, BridgeStatus

log = logging.getLogger(__name__)


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
    """Never reads the database (load balancers call /healthz, also while it restarts)."""
    health = {DEFAULT_CONNECTION: status_entry(default)}
    try:
        for name, status in _others().items():
            health[name] = status_entry(status)
    except Exception:  # /healthz answers whatever a connection's state costs
        log.exception("could not read the connections' states")
    return health


def connections_summary(health: dict[str, dict]) -> dict[str, int]:
    """How many connections are in each state, without their names (/healthz for callers
    who may not see them: dashboard/boards/views.py)."""
    counts: dict[str, int] = {}
    for entry in health.values():
        counts[entry["state"]] = counts.get(entry["state"], 0) + 1
    return counts


def _others() -> dict[str, BridgeStatus]:
    redis_url = getattr(settings, "REDIS_URL", None)
    here = connection_status.running()
    names = connection_status.configured()
    if names is None:
        names = connection_status.read_names(redis_url) if redis_url else []
    names = [n for n in names if n != DEFAULT_CONNECTION]
    missing = [name for name in names if name not in here]
    shared = connection_status.read_shared(redis_url, missing) if redis_url and missing else {}
    found = {}
    for name in names:
        status = here.get(name) or shared.get(name)
        if status is None:
            status = BridgeStatus(BridgeState.ERROR, detail="no bridge has reported for this connection")
        found[name] = status
    return found
