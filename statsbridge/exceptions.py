"""Errors the bridge raises and handles.

    StatsBridgeError
    ├── AuthError                  the upstream refused who we are
    │   ├── BadClientCredentials   401 from /oauth/token: client id/secret wrong
    │   ├── BadUserCredentials     400 invalid_grant: service account wrong
    │   ├── GrantNotAllowed        400 unauthorized_client / unsupported_grant_type:
    │   │                          this client may not use the password grant
    │   ├── ApiKeyRejected         403 {"message": "Forbidden"}: x-api-key wrong
    │   └── TokenRejected          401 on a Statistics call: get a new token
    ├── ProtocolError              a reply we cannot read (not JSON, wrong shape)
    ├── SubscriptionError          400/404 on a subscription: a statistic is invalid
    │   └── RequestRefused         403 in Genesys' envelope: this request is not allowed
    ├── UpstreamUnavailable        503 / 504 / UNAVAILABLE: wait for AVAILABLE
    └── TransportError             network failure or timeout: retry with backoff

Messages never contain secrets: tokens, passwords and client secrets stay out.
"""

from __future__ import annotations


class StatsBridgeError(Exception):
    pass


class AuthError(StatsBridgeError):
    pass


class BadClientCredentials(AuthError):
    pass


class BadUserCredentials(AuthError):
    pass


class GrantNotAllowed(AuthError):
    pass


class ApiKeyRejected(AuthError):
    pass


class TokenRejected(AuthError):
    pass


class ProtocolError(StatsBridgeError):
    pass


class SubscriptionError(StatsBridgeError):
    def __init__(self, message: str, upstream_message: str | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        self.upstream_message = upstream_message  # Genesys' own words, for tiles and admins
        self.http_status = http_status


class RequestRefused(SubscriptionError):
    """A 403 whose body is Genesys' envelope (`{"status": {...}}`, seed 002 "Statistics
    API" lists it for POST /subscriptions): this request's statistics are not allowed, the
    link and the API key are fine. A SubscriptionError, so the reconciler isolates the
    refused statistics and opens the others. A bad API key is ApiKeyRejected instead."""

    def __init__(self, message: str, upstream_message: str | None = None) -> None:
        super().__init__(message, upstream_message, http_status=403)


class UpstreamUnavailable(StatsBridgeError):
    pass


class TransportError(StatsBridgeError):
    pass
