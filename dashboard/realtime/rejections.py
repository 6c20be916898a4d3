"""Hostile or broken input refused at the edge: one WARNING line and one count each.

Nothing a client sends should reach ERROR (that is for our own faults); each kind of
refusal is a `reason` label on `dashboard_ws_rejected_total` or
`dashboard_http_rejected_total` (dashboard/project/metrics.py), so an operator sees a flood
as a number rather than as a log storm. Client-supplied text is cut and repr()'d
before it is logged: an 8 KB path or a NUL never reaches the log as is.
"""

from __future__ import annotations

import logging
from collections import Counter

log = logging.getLogger(__name__)

WS_REASONS = {
    "origin": "a foreign, null or missing Origin",
    "no_route": "a path with no WebSocket route",
    "access": "no session or token giving access to the dashboard",
    "too_big": "an inbound message over the size cap (4009, or autobahn's 1009)",
    "rate_limited": "more inbound messages per second than the cap (4008)",
}
HTTP_REASONS = {
    "bad_host": "a Host header not in ALLOWED_HOSTS",
    "slow_headers": "request headers not complete within the header deadline (slow-loris)",
}
COUNTS: Counter[tuple[str, str]] = Counter()
LOGGED_CHARS = 120


def reject(kind: str, reason: str, detail: object = "") -> None:
    """Count one refusal of `kind` ("ws" or "http") for `reason`, and say so once."""
    known = WS_REASONS if kind == "ws" else HTTP_REASONS
    assert reason in known, reason
    COUNTS[(kind, reason)] += 1
    log.warning("refused %s (%s): %s", kind, reason, shown(detail))


def shown(detail: object) -> str:
    text = str(detail)
    return repr(text[:LOGGED_CHARS]) + ("..." if len(text) > LOGGED_CHARS else "")
