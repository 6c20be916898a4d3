"""Access tokens for the upstream: acquired, refreshed before expiry, re-acquired
after any 401. One fetch at a time however many callers need a token.

The docs warn not to trust `expires_in` alone (a token may be revoked early), so a
401 anywhere calls `invalidate()` and the next caller fetches a fresh one.
Secrets (client secret, password, tokens) are never logged or put in messages.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import httpx

from statsbridge.config import BridgeConfig
from statsbridge.exceptions import (
    ApiKeyRejected,
    AuthError,
    BadClientCredentials,
    BadUserCredentials,
    ProtocolError,
    TransportError,
    UpstreamUnavailable,
)

log = logging.getLogger(__name__)


@dataclass
class Grant:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    refresh_at: float = 0.0  # monotonic time to fetch a new one, ahead of expiry


class TokenProvider:
    """Password grant for a service account, or a refresh token from the admin's
    authorization-code flow (`use_refresh_token`)."""

    def __init__(self, config: BridgeConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http
        self._grant: Grant | None = None
        self._refresh_token: str | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0
        self.on_new_refresh_token = None  # callable(str) to persist a rotated refresh token

    def use_refresh_token(self, refresh_token: str) -> None:
        self._refresh_token = refresh_token

    @property
    def can_authenticate(self) -> bool:
        return self.config.has_service_account or self._refresh_token is not None

    def invalidate(self, rejected: str | None = None) -> None:
        """Forget the current token (only if it is the one that was rejected)."""
        if self._grant and (rejected is None or self._grant.access_token == rejected):
            self._grant = None

    async def token(self) -> str:
        grant = self._grant
        if grant and grant.refresh_at > time.monotonic():
            return grant.access_token
        async with self._lock:
            grant = self._grant
            if grant and grant.refresh_at > time.monotonic():
                return grant.access_token
            self._grant = await self._fetch()
            return self._grant.access_token

    async def _fetch(self) -> Grant:
        self.fetches += 1
        refresh = (self._grant.refresh_token if self._grant else None) or self._refresh_token
        if refresh:
            try:
                return await self._request({"grant_type": "refresh_token", "refresh_token": refresh})
            except BadUserCredentials:
                log.warning("refresh token refused; falling back to the service account")
                self._refresh_token = None
        if not self.config.has_service_account:
            raise AuthError("no service account and no authorization from an admin: "
                            "connect to Genesys from the admin pages")
        return await self._request({"grant_type": "password", "username": self.config.username,
                                    "password": self.config.password, "scope": "*"})

    async def _request(self, form: dict) -> Grant:
        try:
            response = await self.http.post(
                f"{self.config.auth_url}/auth/v3/oauth/token", data=form,
                auth=(self.config.client_id, self.config.client_secret),
                headers={"x-api-key": self.config.api_key}, timeout=self.config.request_timeout)
        except httpx.HTTPError as error:
            raise TransportError(f"token request failed: {type(error).__name__}") from None
        return self._grant_from(response)

    def _grant_from(self, response: httpx.Response) -> Grant:
        if response.status_code == 401:
            raise BadClientCredentials("the OAuth client id or secret was refused (401 Bad credentials)")
        if response.status_code == 403:
            raise ApiKeyRejected("the API key was refused (403 Forbidden)")
        if response.status_code == 400:
            raise BadUserCredentials("the user credentials or grant were refused (400 invalid_grant)")
        if response.status_code >= 500:
            raise UpstreamUnavailable(f"auth service answered {response.status_code}")
        try:
            body = response.json()
            access, expires_in = body["access_token"], float(body.get("expires_in", 300))
        except (ValueError, KeyError, TypeError):
            raise ProtocolError("token reply is not the documented JSON") from None
        if not isinstance(access, str) or not access:
            raise ProtocolError("token reply has no access_token")
        refresh = body.get("refresh_token") if isinstance(body.get("refresh_token"), str) else None
        if refresh and self.on_new_refresh_token and refresh != self._refresh_token:
            self._refresh_token = refresh
            self.on_new_refresh_token(refresh)
        # Refresh `refresh_margin` early, but never before 80% of a short lifetime.
        lifetime = max(expires_in, 0.0)
        ahead = max(lifetime - self.config.refresh_margin, lifetime * 0.8)
        return Grant(access, refresh, time.monotonic() + ahead)
