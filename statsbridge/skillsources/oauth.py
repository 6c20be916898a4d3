"""OAuth 2.0 client-credentials tokens for the skill-clusters export.

Reference: seed 004 "Authorizations" (the bearer token comes "from the authorization
server in the OAuth 2.0 flow"); the seed names no token endpoint, so the grant is RFC
6749 §4.4 at the URL the admin gives.

`ClientCredentialsAuth` is an httpx.Auth: it sends `Bearer <token>` on each request;
fetches a token when it has none or the one it has is within REFRESH_MARGIN of expiry
(`expires_in`, RFC 6749 §5.1); and after a 401 fetches a fresh one and sends the request
once more (a token revoked, or expired earlier than it said). The client authenticates
with HTTP Basic (§2.3.1: every server must accept it); `scope` and `audience` (which
Auth0-style servers need) go in the form when set. A refused client (400/401/403 from
the token endpoint, §5.2) is a SkillSourceAuthError; every message names the token
call and never the secret or a token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import httpx

from statsbridge.skillsources import _fields as f
from statsbridge.skillsources._http import JsonCaller, origin
from statsbridge.skillsources.errors import SkillSourceAuthError, SkillSourceHTTPError

REFRESH_MARGIN_S = 60.0  # renew this long before expiry (at most a tenth of the lifetime)


@dataclass(frozen=True)
class ClientCredentials:
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str = ""
    audience: str = ""


def _oauth_error(body: Any) -> str | None:
    """RFC 6749 §5.2: `error` and the optional `error_description`."""
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return None
    described = body.get("error_description")
    return f"{body['error']}: {described}" if isinstance(described, str) else body["error"]


class ClientCredentialsAuth(httpx.Auth):
    def __init__(
        self,
        grant: ClientCredentials,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        url = httpx.URL(grant.token_url)
        self._path = url.raw_path.decode() or "/"
        http = httpx.Client(
            base_url=origin(grant.token_url),
            timeout=timeout,
            transport=transport,
            auth=(grant.client_id, grant.client_secret),
            headers={"Accept": "application/json"},
        )
        self._caller = JsonCaller(http, (grant.client_secret,), _oauth_error)
        self._grant = grant
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at: float | None = None
        self.fetched = 0  # tokens obtained: how tests see a refresh

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = f"Bearer {self.token(renew=True)}"
            yield request

    def token(self, *, renew: bool = False) -> str:
        with self._lock:
            due = self._renew_at is not None and self._clock() >= self._renew_at
            if renew or due or self._token is None:
                self._token, self._renew_at = self._fetch()
            return self._token

    def secrets(self) -> tuple[str, ...]:
        """What must never appear in a message: the client secret and the live token."""
        return tuple(s for s in (self._grant.client_secret, self._token) if s)

    def close(self) -> None:
        self._caller.http.close()

    def _fetch(self) -> tuple[str, float | None]:
        form = {"grant_type": "client_credentials"}
        form.update({k: v for k, v in (("scope", self._grant.scope), ("audience", self._grant.audience)) if v})
        try:
            body = self._caller.call("POST", self._path, data=form)
        except SkillSourceHTTPError as error:
            if error.status == 400:  # invalid_client / invalid_scope / unauthorized_client (§5.2)
                raise SkillSourceAuthError(str(error)) from None
            raise
        what = self._caller.describe("POST", self._path)
        try:
            body = f.mapping(body, "")
            token = f.text(body, "access_token")
            kind = f.optional_text(body, "token_type")
            if kind is not None and kind.lower() != "bearer":
                raise f.Invalid(f"token_type: expected Bearer, got {kind!r}")
            lifetime = f.optional_int(body, "expires_in")
        except f.Invalid as error:
            raise self._caller.protocol_error(what, str(error)) from None
        self.fetched += 1
        if lifetime is None:  # no expiry given: renewed only after a 401
            return token, None
        return token, self._clock() + lifetime - min(REFRESH_MARGIN_S, lifetime / 10)
