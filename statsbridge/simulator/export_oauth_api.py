"""The OAuth 2.0 client-credentials token endpoint of the skill-clusters export.

Reference: seed 004 "Authorizations": the export takes "the access token received from
the authorization server in the OAuth 2.0 flow", and names neither the flow's endpoint
nor its shape. So this follows RFC 6749 §4.4 (client-credentials grant) at a path of
this simulator's choosing, `POST /oauth/token` (the admin gives a real tenant's URL):

- form-encoded `grant_type=client_credentials`, optional `scope` and `audience` (echoed);
- the client authenticates with HTTP Basic (§2.3.1) or `client_id`/`client_secret` in
  the form; a wrong one is 401 `{"error": "invalid_client"}` (§5.2);
- another grant type is 400 `unsupported_grant_type`;
- the answer is `{"access_token", "token_type": "Bearer", "expires_in"}` (§5.1), and the
  token stops working after `expires_in` seconds (or at `/simulator/v1/expire-tokens`).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time

from aiohttp import web

from statsbridge.simulator.credentials import SimulatorCredentials
from statsbridge.simulator.http_common import json_response

PATH = "/oauth/token"
DEFAULT_LIFETIME_S = 3600


class ExportTokens:
    """Issued export tokens and when each stops working (monotonic seconds)."""

    def __init__(self, lifetime_s: float = DEFAULT_LIFETIME_S) -> None:
        self.lifetime_s = lifetime_s
        self._expiry: dict[str, float] = {}
        self.issued = 0

    def issue(self) -> str:
        token = secrets.token_urlsafe(24)
        now = time.monotonic()
        self._expiry = {t: at for t, at in self._expiry.items() if at > now}  # forget dead ones
        self._expiry[token] = now + self.lifetime_s
        self.issued += 1
        return token

    def valid(self, token: str) -> bool:
        return time.monotonic() < self._expiry.get(token, 0.0)

    def expire_all(self) -> None:
        self._expiry.clear()


class ExportTokenApi:
    def __init__(self, tokens: ExportTokens, credentials: SimulatorCredentials) -> None:
        self.tokens = tokens
        self.credentials = credentials
        self.requests = 0

    def routes(self) -> list[web.RouteDef]:
        return [web.post(PATH, self.token)]

    # Reference: RFC 6749 §4.4.2-4.4.3 (seed 004 names no token endpoint; see module docstring).
    async def token(self, request: web.Request) -> web.Response:
        self.requests += 1
        form = await request.post()
        client_id, client_secret = _client(request, form)
        creds = self.credentials
        if not (
            secrets.compare_digest(client_id.encode(), creds.export_client_id.encode())
            and secrets.compare_digest(client_secret.encode(), creds.export_client_secret.encode())
        ):
            return json_response(
                {"error": "invalid_client", "error_description": "Client authentication failed"},
                status=401,
                headers={"WWW-Authenticate": 'Basic realm="export"'},
            )
        if form.get("grant_type") != "client_credentials":
            return json_response(
                {"error": "unsupported_grant_type", "error_description": "Only client_credentials is supported"},
                status=400,
            )
        body: dict = {
            "access_token": self.tokens.issue(),
            "token_type": "Bearer",
            "expires_in": int(self.tokens.lifetime_s),
        }
        if form.get("scope"):
            body["scope"] = form["scope"]
        return json_response(body, headers={"Cache-Control": "no-store"})


def _client(request: web.Request, form: object) -> tuple[str, str]:
    """(client_id, client_secret) from HTTP Basic, else from the form."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
            return user, password
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
    get = form.get
    return str(get("client_id") or ""), str(get("client_secret") or "")
