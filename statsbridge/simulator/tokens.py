"""OAuth tokens, refresh tokens and authorization codes, as the Auth API issues them."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass


@dataclass
class Token:
    access_token: str
    refresh_token: str
    username: str
    client_id: str
    expires_at: float


@dataclass(frozen=True)
class AuthCode:
    username: str
    client_id: str
    redirect_uri: str
    expires_at: float


class TokenStore:
    """Issues and checks tokens. `expire_all` and `forget` simulate revocation and a
    restarted service; `lifetime` is configurable so tests can make tokens short."""

    CODE_LIFETIME = 60.0

    def __init__(self, lifetime: float = 3600.0) -> None:
        self.lifetime = lifetime
        self._by_access: dict[str, Token] = {}
        self._by_refresh: dict[str, Token] = {}
        self._codes: dict[str, AuthCode] = {}
        self.issued = 0
        # What the CometD endpoint answers a missing or expired token: 401, or 403 as
        # some Genesys gateways do (`expire-tokens {"status": 403}`).
        self.cometd_rejection = 401

    def issue(self, username: str, client_id: str) -> Token:
        self._drop_expired()
        token = Token(
            secrets.token_urlsafe(24), secrets.token_urlsafe(24), username, client_id, time.time() + self.lifetime
        )
        self._by_access[token.access_token] = token
        self._by_refresh[token.refresh_token] = token
        self.issued += 1
        return token

    def user_for(self, access_token: str | None) -> str | None:
        token = self._by_access.get(access_token or "")
        if token is None or token.expires_at <= time.time():
            return None
        return token.username

    def refresh(self, refresh_token: str, client_id: str) -> Token | None:
        old = self._by_refresh.pop(refresh_token, None)
        if old is None or old.client_id != client_id:
            return None
        self._by_access.pop(old.access_token, None)
        return self.issue(old.username, client_id)

    def revoke_user(self, username: str) -> None:
        for token in [t for t in self._by_access.values() if t.username == username]:
            self._by_access.pop(token.access_token, None)
            self._by_refresh.pop(token.refresh_token, None)

    def revoke(self, access_token: str) -> None:
        token = self._by_access.pop(access_token, None)
        if token:
            self._by_refresh.pop(token.refresh_token, None)

    def new_code(self, username: str, client_id: str, redirect_uri: str) -> str:
        code = secrets.token_urlsafe(16)
        self._codes[code] = AuthCode(username, client_id, redirect_uri, time.time() + self.CODE_LIFETIME)
        return code

    def redeem_code(self, code: str, client_id: str, redirect_uri: str) -> str | None:
        """The user the code was issued to, once; None if unknown, used, expired or mismatched."""
        grant = self._codes.pop(code, None)
        if grant is None or grant.expires_at <= time.time():
            return None
        if grant.client_id != client_id or grant.redirect_uri != redirect_uri:
            return None
        return grant.username

    def expire_all(self) -> None:
        """Every issued access token now gets 401 (refresh tokens stay usable)."""
        for token in self._by_access.values():
            token.expires_at = 0.0

    def forget(self) -> None:
        self._by_access.clear()
        self._by_refresh.clear()
        self._codes.clear()

    @property
    def active(self) -> int:
        now = time.time()
        return sum(1 for t in self._by_access.values() if t.expires_at > now)

    def _drop_expired(self) -> None:
        if len(self._by_access) < 1000:
            return
        now = time.time()
        for token in [t for t in self._by_access.values() if t.expires_at <= now]:
            self._by_access.pop(token.access_token, None)
            self._by_refresh.pop(token.refresh_token, None)
