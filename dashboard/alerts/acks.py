"""A supervisor acknowledges an alert from the page: `{"type": "ack", "alert": "<id>"}`
on the dashboard's socket, forwarded to the alert engine wherever it runs (channel
`alerts`, dashboard/alerts/service.py). A kiosk token is read-only: its ack is
refused with `{"type": "ack-refused", ...}` and counted (ACKS_REFUSED, /metrics)."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from channels.exceptions import ChannelFull

from dashboard.access.policy import Access
from dashboard.alerts.service import ACK_CHANNEL

log = logging.getLogger(__name__)
COUNTERS = {"acks_forwarded": 0, "acks_refused": 0, "acks_malformed": 0}


def _alert_id(text: str) -> str | None:
    try:
        message = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(message, dict) or message.get("type") != "ack":
        return None
    alert = message.get("alert")
    return alert if isinstance(alert, str) and 0 < len(alert) <= 40 else None


async def forward_ack(layer: Any, access: Access | None, user: Any, slug: str, text: str) -> str | None:
    """The reply frame for the socket, if any."""
    alert = _alert_id(text)
    if alert is None:
        COUNTERS["acks_malformed"] += 1
        return None
    if access is None or access.token_id is not None or not getattr(user, "is_authenticated", False):
        COUNTERS["acks_refused"] += 1
        return orjson.dumps(
            {"type": "ack-refused", "alert": alert, "reason": "a wallboard screen cannot acknowledge alerts"}
        ).decode()
    try:
        await layer.send(
            ACK_CHANNEL, {"type": "alert.ack", "alert": alert, "dashboard": slug, "by": user.get_username()}
        )
    except ChannelFull:
        log.warning("alert acknowledgement dropped: nothing reads the alerts channel")
        return None
    COUNTERS["acks_forwarded"] += 1
    return None
