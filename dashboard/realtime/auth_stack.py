"""Channels' `AuthMiddlewareStack`, less a thread hop for sockets with no session.

Why: `AuthMiddleware` resolves `scope["user"]` with `get_user`, a
`database_sync_to_async` call, for every handshake. Those calls run one at a time on
asgiref's single thread-sensitive thread, so when 1,000 kiosk screens reconnect at once
they queue there (docs/performance.md "Round two"). A handshake without a session
cookie has an empty session, and `get_user` answers `AnonymousUser` for it without
reading the database: the hop bought nothing. Sockets with a session cookie are
resolved exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.contrib.auth.models import AnonymousUser


class CookielessAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope: dict) -> None:
        if scope["session"].session_key is None:  # no cookie, or a cookie naming no session
            scope["user"]._wrapped = AnonymousUser()
            return
        await super().resolve_scope(scope)


def socket_auth_stack(inner: Callable) -> CookieMiddleware:
    """Drop-in for `channels.auth.AuthMiddlewareStack`."""
    return CookieMiddleware(SessionMiddleware(CookielessAuthMiddleware(inner)))
