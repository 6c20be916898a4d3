"""The WebSocket handshakes refused before any consumer runs: a foreign Origin and a
path with no route. Both get a plain HTTP 403 (the handshake denied), a WARNING and a
count (dashboard/realtime/rejections.py). Channels' own versions deny silently (Origin) or raise
ValueError, which daphne turned into a 500 and an ERROR traceback (no route)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings

from dashboard.realtime.rejections import reject


def where(scope: dict) -> str:
    client = scope.get("client") or ("?", 0)
    return f"{client[0]} {scope.get('path', '')}"


class CountingOriginValidator(OriginValidator):
    """Channels' AllowedHostsOriginValidator, counting what it refuses."""

    def __init__(self, application: Callable) -> None:
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = ["localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> Any:
        origin = next(
            (urlparse(value.decode("latin1")) for name, value in scope.get("headers", []) if name == b"origin"), None
        )
        if self.valid_origin(origin):
            return await self.application(scope, receive, send)
        reject("ws", "origin", f"{where(scope)} origin={origin.geturl() if origin else None}")
        return await WebsocketDenier.as_asgi()(scope, receive, send)


async def no_route(scope: dict, receive: Callable, send: Callable) -> None:
    """The last WebSocket route: whatever matched nothing else is denied."""
    reject("ws", "no_route", where(scope))
    await WebsocketDenier.as_asgi()(scope, receive, send)
