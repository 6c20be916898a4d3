"""The bridge's link state, as the rest of the product sees it.

The bridge is the only writer (`publish_status`); pages, sockets and /healthz read
`current_status()`. In a multi-process deployment the web processes learn it from
the bridge's broadcasts (see statsbridge/fanout.py), which land here too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from enum import Enum


class BridgeState(str, Enum):
    NOT_STARTED = "not-started"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    UPSTREAM_UNAVAILABLE = "upstream-unavailable"
    UNAUTHORIZED = "unauthorized"
    ERROR = "error"
    STOPPED = "stopped"


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class BridgeStatus:
    state: BridgeState = BridgeState.NOT_STARTED
    since: int = field(default_factory=now_ms)
    detail: str = ""
    subscriptions: int = 0
    statistics: int = 0
    last_update_ms: int | None = None

    def as_json(self) -> dict:
        data = asdict(self)
        data["state"] = self.state.value
        return data

    def with_counts(self, **counts: int | None) -> BridgeStatus:
        return replace(self, **counts)


_current = BridgeStatus()
# The status is republished on state and count changes, not on every value; the
# newest value's time is read live, or /healthz would call a flowing bridge stale.
_last_update_source: Callable[[], int | None] | None = None


def current_status() -> BridgeStatus:
    if _last_update_source is not None:
        return _current.with_counts(last_update_ms=_last_update_source())
    return _current


def set_last_update_source(source: Callable[[], int | None] | None) -> None:
    global _last_update_source
    _last_update_source = source


def publish_status(status: BridgeStatus) -> None:
    global _current
    _current = status


SHARED_KEY = "statsbridge:status"


def status_from_json(data: dict) -> BridgeStatus:
    return BridgeStatus(
        BridgeState(data["state"]),
        int(data["since"]),
        str(data.get("detail", "")),
        int(data.get("subscriptions", 0)),
        int(data.get("statistics", 0)),
        data.get("last_update_ms"),
    )


def read_shared_status(redis_url: str) -> BridgeStatus | None:
    """The leader bridge's status as it last wrote it to Redis (web processes that run
    no bridge read it for /healthz); None when absent, stale or unreachable."""
    import json

    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
        raw = client.get(SHARED_KEY)
        client.close()
    except redis.RedisError:
        return None
    try:
        return status_from_json(json.loads(raw)) if raw else None
    except (ValueError, KeyError, TypeError):
        return None
