"""The WebSocket message shapes, defined once for the bridge, the consumers and the
browser code (static/js/socket.js reads exactly these). See ../shared/interfaces.md.

STAT: {"id", "value": number|null, "raw", "timestamp": ms as the upstream gave it,
       "state"?: named agent state, "history"?: [[ms, number], ...] (snapshots only)}
"""
from __future__ import annotations

from typing import Any

import orjson

from statsbridge.status import BridgeStatus


def bridge_message(status: BridgeStatus) -> dict:
    return {"type": "bridge", "state": status.state.value, "since": status.since,
            "detail": status.detail}


def snapshot_message(dashboard: str, status: BridgeStatus, stats: list[dict]) -> dict:
    return {"type": "snapshot", "dashboard": dashboard, "bridge": bridge_message(status),
            "statistics": stats}


def update_message(stats: list[dict]) -> dict:
    return {"type": "update", "statistics": stats}


def encode(message: Any) -> str:
    return orjson.dumps(message).decode()
