"""One cookie jar for REST (httpx) and CometD (aiohttp), as Genesys' own clients do.

The service sets STATISTICS_SESSIONID for load-balancer stickiness; a REST call and
the CometD session that receives its updates must land on the same node, so both
sides send the same cookies. httpx uses the stdlib jar directly; the CometD side
reads and feeds it through these two helpers.
"""

from __future__ import annotations

import email.message
import urllib.request
from collections.abc import Iterable
from http.cookiejar import CookieJar


class _Response:
    """The minimal response object `CookieJar.extract_cookies` reads."""

    def __init__(self, set_cookie_headers: Iterable[str]) -> None:
        self._headers = email.message.Message()
        for value in set_cookie_headers:
            self._headers["Set-Cookie"] = value

    def info(self) -> email.message.Message:
        return self._headers


class SharedCookies:
    def __init__(self) -> None:
        self.jar = CookieJar()

    def header_for(self, url: str) -> str | None:
        request = urllib.request.Request(url)
        self.jar.add_cookie_header(request)
        return request.get_header("Cookie")

    def absorb(self, url: str, set_cookie_headers: Iterable[str]) -> None:
        headers = list(set_cookie_headers)
        if headers:
            self.jar.extract_cookies(_Response(headers), urllib.request.Request(url))  # type: ignore[arg-type]

    def names(self) -> set[str]:
        return {cookie.name for cookie in self.jar}

    def clear(self) -> None:
        self.jar.clear()
