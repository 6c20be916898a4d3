"""How requests reach the bridges of connections other than `default` (issue 22).

`default`'s bridge reads the `statsbridge` channel, as before connections existed. Every
other connection's bridge reads a channel of its own, named after the connection (so a
bridge that moves to another worker finds the requests its predecessor left), and is a
member of one group, CONNECTIONS_GROUP, while it runs. Whoever asks `default` (a socket's
snapshot request, an admin's `config.changed`) also sends the same request to the group:
each bridge answers for its own statistics only, so a page mixing connections gets one
snapshot per connection it shows, each from the bridge that owns those values, through
the one door (statsbridge/fanout.py). With no other connection the group is empty.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

log = logging.getLogger(__name__)

CONNECTIONS_GROUP = "statsbridge.connections"
_UNSAFE = re.compile(r"[^a-zA-Z0-9_.-]")


def request_channel(connection: str) -> str:
    """The channel a connection's bridge reads (`default`: `statsbridge`). Channels
    allows [a-zA-Z0-9_.-] under 100 characters; anything else is replaced, and a short
    hash keeps two such names apart."""
    if connection == "default":
        return "statsbridge"
    safe = _UNSAFE.sub("_", connection)[:60]
    digest = hashlib.sha1(connection.encode()).hexdigest()[:8]
    return f"statsbridge.conn.{safe}.{digest}"


async def ask_connections(layer: Any, request: dict) -> None:
    """`request` to every running connection bridge but `default`'s. Never raises: a
    snapshot that does not come is replaced by the updates that do."""
    try:
        await layer.group_send(CONNECTIONS_GROUP, request)
    except Exception:
        log.warning("could not ask the connections' bridges (%s)", request.get("type"), exc_info=True)
