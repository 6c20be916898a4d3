"""Connect to Genesys: the OAuth authorization-code flow, run by an admin in the browser
when no service account is configured (seed 002, "The Authorization Code Grant flow").

1. `connect` stores a random `state` in the admin's session and redirects the browser
   to the upstream's sign-in form (`/auth/v3/oauth/authorize`).
2. The upstream redirects back to `callback` with `code` and `state`; the state must
   match the session's (CSRF protection for the flow), then the code is exchanged for
   tokens with the client credentials, and the refresh token is stored for the bridge.
   A cancelled sign-in comes back with `error=access_denied` instead: nothing is stored.
Sign-in may live on its own host (GENESYS_AUTH_BASE_URL), as Genesys' samples allow.
Each connection (dashboard/connections) has its own authorization: the pages take
`?connection=NAME` (none: `default`, the GENESYS_* settings), and the flow keeps the
connection in the session beside the state, so the callback URL stays the one registered.
Secrets are never put in pages, messages or logs.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import httpx
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from dashboard.access.models import UpstreamAuthorization
from dashboard.connections.models import DEFAULT_CONNECTION, Connection
from statsbridge.config import BridgeConfig

SESSION_STATE = "genesys_oauth_state"
SESSION_CONNECTION = "genesys_oauth_connection"


def upstream_base_url() -> str:
    return settings.GENESYS["API_BASE_URL"] or getattr(settings, "STATSBRIDGE_SIMULATOR_URL", "")


def upstream_auth_url() -> str:
    """Where sign-in lives: GENESYS_AUTH_BASE_URL, else the API's base."""
    return settings.GENESYS.get("AUTH_BASE_URL") or upstream_base_url()


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("connect-genesys-callback"))


def connection_config(name: str) -> BridgeConfig:
    """The named connection's configuration; Http404 for an unknown name."""
    from dashboard.connections.configs import config_of  # it imports statsbridge.service

    try:
        return config_of(name)
    except Connection.DoesNotExist:
        raise Http404("no such connection") from None


def authorization_of(name: str) -> UpstreamAuthorization | None:
    if name == DEFAULT_CONNECTION:
        return UpstreamAuthorization.objects.filter(connection__isnull=True).first()
    return UpstreamAuthorization.objects.filter(connection__name=name).first()


def _back(name: str) -> HttpResponse:
    url = reverse("connect-genesys")
    return HttpResponseRedirect(url if name == DEFAULT_CONNECTION else f"{url}?{urlencode({'connection': name})}")


@staff_member_required
def status_page(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("connection") or DEFAULT_CONNECTION
    config = connection_config(name)
    return render(
        request,
        "admin/connect_genesys.html",
        {
            "service_account": config.has_service_account,
            "authorization": authorization_of(name),
            "upstream": config.base_url,
            "connection": name,
            "query": "" if name == DEFAULT_CONNECTION else "?" + urlencode({"connection": name}),
            "title": gettext("Connect to Genesys")
            if name == DEFAULT_CONNECTION
            else gettext("Connect to Genesys (%(connection)s)") % {"connection": name},
        },
    )


@staff_member_required
def connect(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("connection") or DEFAULT_CONNECTION
    config = connection_config(name)
    state = secrets.token_urlsafe(24)
    request.session[SESSION_STATE] = state
    request.session[SESSION_CONNECTION] = name
    query = urlencode(
        {"response_type": "code", "client_id": config.client_id, "redirect_uri": _callback_url(request), "state": state}
    )
    return HttpResponseRedirect(f"{config.auth_url}/auth/v3/oauth/authorize?{query}")


@staff_member_required
def callback(request: HttpRequest) -> HttpResponse:
    expected = request.session.pop(SESSION_STATE, None)
    name = request.session.pop(SESSION_CONNECTION, None) or DEFAULT_CONNECTION
    if request.GET.get("error"):  # RFC 6749 4.1.2.1: cancelled or refused at Genesys
        messages.error(request, _denied_message(request.GET["error"]))
        return _back(name)
    if not expected or not secrets.compare_digest(expected, request.GET.get("state", "")):
        messages.error(
            request,
            gettext(
                "The sign-in answer did not match this browser session (state check failed). "
                "Nothing was stored; start again."
            ),
        )
        return _back(name)
    config = connection_config(name)
    try:
        refresh = async_to_sync(_exchange)(config, request.GET.get("code", ""), _callback_url(request))
    except RuntimeError as error:
        messages.error(request, gettext("Genesys refused the sign-in: %(error)s") % {"error": error})
        return _back(name)
    _store(name, refresh, request.user.get_username())
    messages.success(request, gettext("Connected to Genesys. The bridge will use this authorization."))
    return _back(name)


def _store(name: str, refresh: str, user: str) -> None:
    """Replace the connection's authorization; tell the bridges to re-read it."""
    from dashboard.boards.bridge_config import notify_bridge

    row = None if name == DEFAULT_CONNECTION else Connection.objects.get(name=name)
    UpstreamAuthorization.objects.filter(connection=row).delete()
    UpstreamAuthorization.objects.create(connection=row, refresh_token=refresh, connected_by=user)
    notify_bridge("auth.changed")


def _denied_message(error: str) -> str:
    """The admin's words for an error redirect (RFC 6749 4.1.2.1), nothing stored."""
    if error == "access_denied":
        return gettext(
            "Sign-in was cancelled or denied at Genesys (access_denied). Nothing was stored; "
            "start again and sign in to allow access."
        )
    return gettext(
        "Genesys did not sign you in (%(error)s). Nothing was stored; check the OAuth client "
        "(GENESYS_CLIENT_ID, its redirect URI) and start again."
    ) % {"error": error[:60]}


async def _exchange(config: BridgeConfig, code: str, redirect_uri: str) -> str:
    async with httpx.AsyncClient(timeout=10) as client:
        try:
            response = await client.post(
                f"{config.auth_url}/auth/v3/oauth/token",
                data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
                auth=(config.client_id, config.client_secret),
                headers={"x-api-key": config.api_key},
            )
        except httpx.HTTPError as error:
            raise RuntimeError(
                gettext("could not reach %(url)s (%(error)s)") % {"url": config.auth_url, "error": type(error).__name__}
            ) from None
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}{_oauth_error(response)}")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise RuntimeError(
            gettext(
                "the token reply is not the documented JSON object (is GENESYS_AUTH_BASE_URL, "
                "or else GENESYS_API_BASE_URL, Genesys' sign-in URL?)"
            )
        )
    refresh = body.get("refresh_token")
    if not isinstance(refresh, str) or not refresh:
        raise RuntimeError(gettext("no refresh token in the reply"))
    return refresh


def _oauth_error(response: httpx.Response) -> str:
    """The OAuth error code of a refusal (`invalid_grant`...), if the body has one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return f" ({error[:60]})" if isinstance(error, str) and error else ""


# -- what the bridge calls (setting STATSBRIDGE_REFRESH_TOKEN_STORE) ------------------


# Each takes the connection's name; without one, `default` (the row with no connection).


def _load(connection: str = DEFAULT_CONNECTION) -> str | None:
    row = authorization_of(connection)
    return row.refresh_token if row else None


def _save(token: str, connection: str = DEFAULT_CONNECTION) -> None:
    if connection == DEFAULT_CONNECTION:
        rows = UpstreamAuthorization.objects.filter(connection__isnull=True)
    else:
        rows = UpstreamAuthorization.objects.filter(connection__name=connection)
    rows.update(refresh_token=token)


async def load_refresh_token(connection: str = DEFAULT_CONNECTION) -> str | None:
    return await sync_to_async(_load, thread_sensitive=False)(connection)


async def save_refresh_token(token: str, connection: str = DEFAULT_CONNECTION) -> None:
    await sync_to_async(_save, thread_sensitive=False)(token, connection)
