"""Who may read metrics: one rule for the web processes' /metrics and the bridge
worker's listener. Imports nothing from Django.

With a token (METRICS_TOKEN): only requests carrying `Authorization: Bearer <token>`.
Without one: only loopback clients whose request came through no proxy. A proxy on the
same host also connects from 127.0.0.1, so a request carrying a forwarding header is
treated as remote: behind a proxy, metrics need the token.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host")


def is_loopback(address: str | None) -> bool:
    if not address:
        return False
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def may_read_metrics(token: str, authorization: str | None, peer: str | None, headers: Mapping[str, str]) -> bool:
    """`headers` are the request's headers with lower-case names."""
    if token:
        scheme, _, given = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    return is_loopback(peer) and not any(name in headers for name in FORWARDING_HEADERS)
