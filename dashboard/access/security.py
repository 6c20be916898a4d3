"""A Content-Security-Policy that every page of the product satisfies, and a plain 400
for a Host header not in ALLOWED_HOSTS.

Scripts only from our own origin (ES modules and the local plotly.js: no CDN, no inline
script; page data travels in `json_script` blocks, which are not executed); inline
styles are allowed because Plotly writes its own; sockets only to our own origin.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from dashboard.realtime.rejections import reject

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class BadHostMiddleware:
    """First in MIDDLEWARE: Django answers a bad Host with 400 too, but logs it at ERROR
    with a traceback (django.security.DisallowedHost); anyone can send one, so it is
    a WARNING and a count here (dashboard/realtime/rejections.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost:
            reject("http", "bad_host", f"{request.META.get('REMOTE_ADDR')} host={request.META.get('HTTP_HOST')}")
            return HttpResponseBadRequest(b"Bad Request", content_type="text/plain")
        return self.get_response(request)
