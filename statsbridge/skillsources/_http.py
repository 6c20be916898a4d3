"""One JSON request with the error rules both skill-source clients share.

Every failure becomes a SkillSource* error whose message names the call and never a
secret: each message passes through `scrub` (the client's own password or token could
come back in an upstream's echo, or even be pasted into a user id), and httpx's own
exceptions are not chained (`from None`), so nothing they carry (the request, its
headers) reaches a log through the traceback either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import orjson

from statsbridge.skillsources.errors import (
    SkillSourceAuthError,
    SkillSourceError,
    SkillSourceHTTPError,
    SkillSourceProtocolError,
)

MAX_DETAIL = 300  # characters of an upstream error message worth showing an admin
DetailReader = Callable[[Any], "str | None"]


def origin(base_url: str) -> str:
    """scheme://host[:port] of the base URL, without any userinfo in it ("" if it has
    no scheme: the connection error then says what is missing)."""
    url = httpx.URL(base_url)
    if not url.scheme or not url.host:
        return ""
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}"


class JsonCaller:
    """Sends a request on `http` and returns its JSON body, or raises (see errors.py)."""

    def __init__(
        self, http: httpx.Client, secrets: tuple[str, ...] | Callable[[], tuple[str, ...]], detail: DetailReader
    ) -> None:
        self.http = http
        # A callable for secrets that change (an OAuth token renewed mid-run).
        self._secrets = secrets if callable(secrets) else (lambda: secrets)
        self._detail = detail

    def scrub(self, text: str) -> str:
        for secret in self._secrets():
            if secret:
                text = text.replace(secret, "***")
        return text

    def protocol_error(self, what: str, problem: str) -> SkillSourceProtocolError:
        return SkillSourceProtocolError(self.scrub(f"{what}: {problem}"))

    def describe(self, method: str, path: str) -> str:
        """How messages name a call: method and URL, without userinfo or query."""
        return f"{method} {origin(str(self.http.base_url))}{path}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        what = self.describe(method, path)
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise SkillSourceError(self.scrub(f"{what}: no answer within {self.http.timeout.read}s")) from None
        except httpx.HTTPError as error:
            reason = str(error)[:MAX_DETAIL] or type(error).__name__
            raise SkillSourceError(self.scrub(f"{what}: cannot connect ({reason})")) from None
        status = response.status_code
        if status in (401, 403):
            message = f"{what}: HTTP {status}, credentials refused{self._why(response)}"
            raise SkillSourceAuthError(self.scrub(message))
        if not 200 <= status < 300:
            raise SkillSourceHTTPError(self.scrub(f"{what}: HTTP {status}{self._why(response)}"), status)
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            kind = response.headers.get("content-type", "no Content-Type")
            raise self.protocol_error(what, f"the reply is not JSON ({kind})") from None

    def _why(self, response: httpx.Response) -> str:
        """': <the upstream's own message>' when it sent a readable one."""
        try:
            detail = self._detail(orjson.loads(response.content))
        except (orjson.JSONDecodeError, AttributeError, TypeError, KeyError, IndexError):
            detail = None
        if not detail:
            return ""
        return ": " + str(detail)[:MAX_DETAIL]
