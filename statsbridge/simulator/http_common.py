"""What every simulator endpoint shares: the Genesys envelopes, JSON bodies, the
x-api-key check and the session cookie the real service sets for stickiness."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web

SESSION_COOKIE = "STATISTICS_SESSIONID"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiError(Exception):
    """An error answered with the Genesys envelope `{"status": {"code", "message"}}`."""

    def __init__(self, http_status: int, message: str, body: dict | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.message = message
        self.body = body


def json_response(body: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json", headers=headers)


def envelope(data: Any = None, code: int = 0, **extra: Any) -> dict:
    """The Genesys reply envelope. Code 0 is synchronous success."""
    body: dict = {"status": {"code": code}}
    if data is not None:
        body["data"] = data
    body.update(extra)
    return body


def error_body(http_status: int, message: str) -> dict:
    return {"status": {"code": http_status, "message": message}}


async def read_json(request: web.Request) -> Any:
    """The request body as JSON, or a 400 that says what is wrong with it."""
    raw = await request.read()
    if not raw:
        raise ApiError(400, "request body is empty; a JSON body is required")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ApiError(400, f"request body is not valid JSON: {error}") from None


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def make_middlewares(
    api_key: Callable[[], str], exempt_prefixes: tuple[str, ...], cookie_issuer: SessionCookies
) -> list:
    @web.middleware
    async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiError as error:
            return json_response(error.body or error_body(error.http_status, error.message), status=error.http_status)

    @web.middleware
    async def check_api_key(request: web.Request, handler: Handler) -> web.StreamResponse:
        # Reference: seed 002 "Authentication Overview": x-api-key on every request.
        if not request.path.startswith(exempt_prefixes):
            if request.headers.get("x-api-key") != api_key():
                return json_response({"message": "Forbidden"}, status=403)
        return await handler(request)

    @web.middleware
    async def session_cookie(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(exempt_prefixes):
            return await handler(request)
        refusal = cookie_issuer.refusal(request)
        response = refusal if refusal is not None else await handler(request)
        cookie_issuer.apply(request, response)
        return response

    return [session_cookie, errors, check_api_key]


class SessionCookies:
    """Issues STATISTICS_SESSIONID and counts requests that came without it.

    The real service sets it for load-balancer stickiness; clients must send it back
    on REST and CometD alike. `require` simulates a balancer that refuses strays: a
    Statistics request (REST or CometD) without a cookie we issued gets 503. The Auth
    API is where a client starts, so it is always served and issues the cookie. The
    503 issues one too, as a balancer picks a node for next time: a client that keeps
    its jar recovers, one that never sends cookies back is refused every time.
    """

    MAX_KNOWN = 10_000
    GUARDED_PREFIX = "/statistics/v3/"

    def __init__(self, require: bool = False) -> None:
        self.require = require
        self.issued = 0
        self.missing = 0
        self.refused = 0
        self.known: dict[str, None] = {}  # insertion-ordered, trimmed to MAX_KNOWN

    def refusal(self, request: web.Request) -> web.Response | None:
        """The 503 a sticky balancer answers a stray with, or None to serve it."""
        if not self.require or not request.path.startswith(self.GUARDED_PREFIX):
            return None
        if request.cookies.get(SESSION_COOKIE) in self.known:
            return None
        self.refused += 1
        return json_response(error_body(503, "no session cookie: load balancer cannot route"), status=503)

    def apply(self, request: web.Request, response: web.StreamResponse) -> None:
        value = request.cookies.get(SESSION_COOKIE)
        if value in self.known:
            return
        self.missing += 1
        value = secrets.token_hex(16)
        self.known[value] = None
        if len(self.known) > self.MAX_KNOWN:
            del self.known[next(iter(self.known))]
        self.issued += 1
        response.set_cookie(SESSION_COOKIE, value, path="/", httponly=True)

    def forget(self) -> None:
        self.known.clear()
