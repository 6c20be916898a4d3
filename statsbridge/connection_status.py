"""The link state of each connection's bridge but `default`'s (whose state stays in
statsbridge/status.py, read as before by pages, sockets and /healthz).

In-process: the bridges running here publish into `_running`. Across processes: the
worker holding a connection writes its status to Redis (`shared_key(name)`, expiring)
every few seconds and on every change; a process running no bridge for a connection
reads it there (`read_shared`), as /healthz does for `default` (SHARED_KEY).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from statsbridge.status import SHARED_KEY, BridgeStatus, status_from_json

_running: dict[str, tuple[BridgeStatus, Callable[[], int | None] | None]] = {}
_configured: list[str] | None = None  # the connections this process's bridges host knows of
NAMES_KEY = f"{SHARED_KEY}:connections"  # the same, as the workers last read them


def set_configured(names: list[str]) -> None:
    global _configured
    _configured = sorted(names)


def configured() -> list[str] | None:
    """The enabled connections as this process's bridges host last read them (None: it
    runs no bridges; /healthz then asks Redis, `read_names`)."""
    return _configured


def shared_key(connection: str) -> str:
    return SHARED_KEY if connection == "default" else f"{SHARED_KEY}:conn:{connection}"


def publish(connection: str, status: BridgeStatus, last_update: Callable[[], int | None] | None = None) -> None:
    _, source = _running.get(connection, (status, None))
    _running[connection] = (status, last_update or source)


def forget(connection: str) -> None:
    _running.pop(connection, None)


def running() -> dict[str, BridgeStatus]:
    """The statuses of the connections' bridges running in this process, with the
    newest value's time read live."""
    return {
        name: status.with_counts(last_update_ms=source()) if source else status
        for name, (status, source) in list(_running.items())
    }


def read_names(redis_url: str) -> list[str]:
    """The enabled connections as the workers last read them (written with their states)."""
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
        raw = client.get(NAMES_KEY)
        client.close()
        names = json.loads(raw) if raw else []
    except (redis.RedisError, ValueError):
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def read_shared(redis_url: str, connections: list[str]) -> dict[str, BridgeStatus | None]:
    """Each connection's status as its bridge last wrote it to Redis (None: absent,
    stale or unreadable)."""
    import redis

    if not connections:
        return {}
    try:
        client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
        raws = client.mget([shared_key(name) for name in connections])
        client.close()
    except redis.RedisError:
        return dict.fromkeys(connections)
    found: dict[str, BridgeStatus | None] = {}
    for name, raw in zip(connections, raws, strict=True):
        try:
            found[name] = status_from_json(json.loads(raw)) if raw else None
        except (ValueError, KeyError, TypeError):
            found[name] = None
    return found
