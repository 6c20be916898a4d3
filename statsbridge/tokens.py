"""Access tokens for the upstream: acquired, refreshed before expiry, re-acquired
after any 401. One fetch at a time however many callers need a token.

The docs warn not to trust `expires_in` alone (a token may be revoked early), so a
401 anywhere calls `invalidate()` and the next caller fetches a fresh one.
Secrets (client secret, password, tokens) are never logged or put in messages.

A refused grant (wrong user or client credentials, a client allowed only the
authorization-code grant) will not fix itself: it is remembered and raised again
without asking, for a jittered delay growing from 5 s to 5 min, so that no caller
hammers the token endpoint; new credentials from the admin (`use_refresh_token`)
end the wait. The error names the grant refused and what to do.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import httpx

from statsbridge.backoff import Backoff
from statsbridge.config import BridgeConfig
from statsbridge.exceptions import (
    ApiKeyRejected,
    AuthError,
    BadClientCredentials,
    BadUserCredentials,
    GrantNotAllowed,
    ProtocolError,
    TransportError,
    UpstreamUnavailable,
)

log = logging.getLogger(__name__)
CONNECT_HINT = 'authorize the bridge with "Connect to Genesys" in the admin (/admin/connect-genesys/)'
# Reference: seed 002 "Troubleshooting authentication issues" (400 invalid_grant) and
# RFC 6749 section 5.2 (unauthorized_client, unsupported_grant_type).
_NOT_ALLOWED = ("unauthorized_client", "unsupported_grant_type")


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
        self.grant_used = ""  # the grant that gave the current token: "password" or "refresh_token"
        self.on_new_refresh_token = None  # callable(str) to persist a rotated refresh token
        self._refused: AuthError | None = None
        self._refused_until = 0.0
        self._refusals = Backoff(base=5.0, cap=300.0)

    def use_refresh_token(self, refresh_token: str) -> None:
        self._refresh_token = refresh_token
        self._refused = None  # new credentials: ask again at once
        self._refusals.reset()

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
            if self._refused is not None and time.monotonic() < self._refused_until:
                raise type(self._refused)(str(self._refused))
            try:
                self._grant = await self._fetch()
            except (BadClientCredentials, BadUserCredentials, GrantNotAllowed, ApiKeyRejected) as error:
                self._refused, self._refused_until = error, time.monotonic() + self._refusals.next_delay()
                raise
            self._refused = None
            self._refusals.reset()
            return self._grant.access_token

    async def _fetch(self) -> Grant:
        self.fetches += 1
        refresh = (self._grant.refresh_token if self._grant else None) or self._refresh_token
        if refresh:
            try:
                return await self._request({"grant_type": "refresh_token", "refresh_token": refresh})
            except (BadUserCredentials, GrantNotAllowed):
                log.warning("refresh token refused; falling back to the service account")
                self._refresh_token = None
                if not self.config.has_service_account:
                    raise BadUserCredentials(
                        "Genesys refused the stored authorization (refresh_token "
                        f"grant, invalid_grant): {CONNECT_HINT} again"
                    ) from None
        if not self.config.has_service_account:
            raise AuthError(f"no service account (GENESYS_USERNAME) and no authorization: {CONNECT_HINT}")
        # The user name goes as given, plain or DOMAIN\\user: the form encoding
        # escapes the backslash (%5C), as Genesys' samples send it.
        return await self._request(
            {"grant_type": "password", "username": self.config.username, "password": self.config.password, "scope": "*"}
        )

    async def _request(self, form: dict) -> Grant:
        try:
            response = await self.http.post(
                f"{self.config.auth_url}/auth/v3/oauth/token",
                data=form,
                auth=(self.config.client_id, self.config.client_secret),
                headers={"x-api-key": self.config.api_key},
                timeout=self.config.request_timeout,
            )
        except httpx.HTTPError as error:
            raise TransportError(f"token request failed: {type(error).__name__}") from None
        grant = self._grant_from(response, form["grant_type"])
        self.grant_used = form["grant_type"]
        return grant

    def _grant_from(self, response: httpx.Response, grant_type: str) -> Grant:
        if response.status_code == 401:
            raise BadClientCredentials(
                "Genesys refused the OAuth client (401 Bad credentials): check "
                "GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET"
            )
        if response.status_code == 403:
            raise ApiKeyRejected("Genesys refused the API key (403 Forbidden): check GENESYS_API_KEY")
        if response.status_code == 400:
            raise _refusal(grant_type, _oauth_error(response))
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


def _oauth_error(response: httpx.Response) -> str:
    """The OAuth `error` code of a 400 (RFC 6749 5.2), never the rest of the body."""
    try:
        code = response.json().get("error")
    except (ValueError, AttributeError):
        return "unreadable error body"
    return code[:40] if isinstance(code, str) and code.replace("_", "").isalnum() else "no error code"


def _refusal(grant_type: str, code: str) -> AuthError:
    """A refused grant as an error that says which grant and what to do."""
    if code in _NOT_ALLOWED:
        return GrantNotAllowed(
            f"Genesys refused the {grant_type} grant for this OAuth client ({code}): the client may "
            f"be allowed only the authorization-code grant; {CONNECT_HINT}"
        )
    if grant_type == "password":
        return BadUserCredentials(
            f"Genesys refused the password grant ({code}): check GENESYS_USERNAME (plain user or "
            f"DOMAIN\\user, as on Genesys' sign-in page) and GENESYS_PASSWORD, or {CONNECT_HINT}"
        )
    return BadUserCredentials(f"Genesys refused the {grant_type} grant ({code})")
