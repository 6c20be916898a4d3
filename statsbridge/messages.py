"""The WebSocket message shapes, defined once for the bridge, the consumers and the
browser code (static/js/socket.js reads exactly these). See ../shared/interfaces.md.

Besides snapshot, update and bridge frames, a `{"type": "config"}` frame tells pages
that their dashboard was edited, so unattended wallboards pick up changes; one naming a
`wallboard` concerns only that wallboard's screens (its pages, rotation or theme); one
with `"drill": true` only the dashboard's drill-down pages (a skills change: they list
agents by skill, the dashboard's own page and its wallboards show none).

In a leader-elected deployment every frame the bridge sends carries `"term"`, its lease
term (statsbridge/leadership.py): relays drop frames of a deposed leader by it, and
browsers ignore it.

STAT: {"id", "value": number|null, "raw", "timestamp": ms as the upstream gave it,
       "state"?: named agent state, "history"?: [[ms, number], ...] (snapshots only),
       "refused"?: Genesys' message when it refused to open the statistic (value null;
       the tile shows "refused" and the message, not "stale")}
"""

from __future__ import annotations

from typing import Any

import orjson

from statsbridge.status import BridgeStatus


def bridge_message(status: BridgeStatus, connection: str | None = None) -> dict:
    """`connection`: which upstream's link this is; absent for `default` (as before
    connections existed), so a page greys only the tiles of the connection that is down."""
    message = {"type": "bridge", "state": status.state.value, "since": status.since, "detail": status.detail}
    if connection:
        message["connection"] = connection
    return message


def config_message(wallboard: str | None = None, drill: bool = False) -> dict:
    """The dashboard's (or only this wallboard's, or only its drill-down pages')
    configuration changed: the page reloads itself (with jitter)."""
    if drill:
        return {"type": "config", "drill": True}
    return {"type": "config", "wallboard": wallboard} if wallboard else {"type": "config"}


def tagged(message: dict, term: int | None) -> dict:
    """The message with the sender's lease term, if it has one."""
    return {"type": message["type"], "term": term, **message} if term else message


def alert_message(event: str, alert: dict) -> dict:
    """An alert was raised, repeated, escalated, acknowledged or cleared (dashboard/alerts/)."""
    return {"type": "alert", "event": event, "alert": alert}


def floor_message(message: dict) -> dict:
    """A message to the floor (dashboard/floor/): `{"type": "message", "id", "text",
    "level": "info"|"urgent", "until": ms, "style": "banner"|"ticker", "wallboards": [slug]}`,
    or its end `{"type": "message", "id", "withdrawn": true, "wallboards": [slug]}`.
    It travels to the sockets of every dashboard its wallboards show; a page shows it
    only when its wallboard is among `wallboards`."""
    if message.get("withdrawn"):
        return {"type": "message", "id": message["id"], "withdrawn": True, "wallboards": message["wallboards"]}
    keys = ("id", "text", "level", "until", "style", "wallboards")
    return {"type": "message", **{key: message[key] for key in keys}}


def snapshot_message(
    dashboard: str, status: BridgeStatus, stats: list[dict], extra: dict | None = None, connection: str | None = None
) -> dict:
    """`extra` carries what watchers add, e.g. the open alerts (`"alerts": [...]`); it comes
    before `statistics`, which must stay last (snapshot_frames splits there)."""
    return {
        "type": "snapshot",
        "dashboard": dashboard,
        "bridge": bridge_message(status, connection),
        **(extra or {}),
        "statistics": stats,
    }


def update_message(stats: list[dict]) -> dict:
    return {"type": "update", "statistics": stats}


MAX_FRAME_BYTES = 512 * 1024  # daphne refuses to send frames over 1 MiB (1011)


def snapshot_frames(
    dashboard: str,
    status: BridgeStatus,
    stats: list[dict],
    limit: int = MAX_FRAME_BYTES,
    term: int | None = None,
    extra: dict | None = None,
    connection: str | None = None,
) -> list[str]:
    """A snapshot as frames of at most ~`limit` bytes: the `snapshot` first, then
    `update` frames with the statistics that did not fit. Browsers keep the newest
    value per statistic whatever the order, so a split snapshot reads as one."""
    parts = _pack(stats, limit)
    head = encode(tagged(snapshot_message(dashboard, status, [], extra, connection), term))
    head = head[: head.rindex('"statistics":[') + 14]  # ...,"statistics":[
    return [head + parts[0] + "]}"] + [_UPDATE_HEAD + part + "]}" for part in parts[1:]]


def update_frames(stats: list[dict], limit: int = MAX_FRAME_BYTES, term: int | None = None) -> list[str]:
    """Update frames of at most ~`limit` bytes carrying every STAT of `stats`, tagged
    with `term` as `tagged` would."""
    head = encode(tagged(update_message([]), term))[:-2] if term else _UPDATE_HEAD
    return [head + part + "]}" for part in _pack(stats, limit)]


_UPDATE_HEAD = '{"type":"update","statistics":['


def _pack(stats: list[dict], limit: int) -> list[str]:
    """STATs encoded and joined into comma-separated runs of at most ~`limit` bytes."""
    parts: list[list[str]] = [[]]
    size = 0
    for stat in stats:
        text = encode(stat)
        if size + len(text) > limit and parts[-1]:
            parts.append([])
            size = 0
        parts[-1].append(text)
        size += len(text) + 1
    return [",".join(part) for part in parts]


def encode(message: Any) -> str:
    return orjson.dumps(message).decode()
