"""The Authentication API, `/auth/v3`: OAuth 2 token grants, the sign-in form of the
authorization-code flow, userinfo, ping and sign-out.

Reference: seed 002 "Authentication Overview" and "Authentication API".

User names: Genesys' samples send the password grant a `domain\\user` name
(GenesysPureEngage/tutorials, get-users-provisioning-async-native-api-nodejs/src/index.js),
and the sign-in form has a tenant field (`hideTenant`, seed 002 "/oauth/authorize").
`username_form` says which form this simulator accepts: "either" (default), "plain"
or "domain" (only `DOMAIN\\user`); a wrong form gets the seed's invalid_grant body.
`password_grant = False` answers the password grant as a client allowed only the
authorization-code grant (seed 002: "currently the only type supported"): RFC 6749
section 5.2 `unauthorized_client`, with Spring Security OAuth's description (the seed's
`DefaultOAuth2AccessToken` model is Spring's; the exact text is unverified).
"""

from __future__ import annotations

import base64
import binascii
import html
from urllib.parse import urlencode, urlsplit

from aiohttp import web

from statsbridge.simulator.credentials import SimulatorCredentials
from statsbridge.simulator.http_common import bearer_token, json_response
from statsbridge.simulator.tokens import Token, TokenStore

BASE = "/auth/v3"
AUTHORIZE = BASE + "/oauth/authorize"

_BAD_CLIENT = {"error": "Unauthorized", "error_description": "Bad credentials"}
_BAD_GRANT = {"error": "invalid_grant", "error_description": "Bad credentials"}
_NOT_ALLOWED = {"error": "unauthorized_client", "error_description": "Unauthorized grant type: password"}
USERNAME_FORMS = ("either", "plain", "domain")


class AuthApi:
    def __init__(self, tokens: TokenStore, credentials: SimulatorCredentials, prefix: str = "") -> None:
        self.tokens = tokens
        # Served under `prefix` only: a separate sign-in host, as Genesys' own samples
        # allow (console-statistics-app-csharp AuthBaseUrl, the sample app's authApiUrl).
        self.prefix = prefix
        self.credentials = credentials
        # A second user, so tests can show that updates go only to their owner's sessions.
        self.users = {credentials.username: credentials.password, "observer@simulator": "observer-password"}
        self.token_requests = 0
        self.token_reply = "normal"  # control `token-reply`: "html" or "list" for a broken 200
        self.username_form = "either"
        self.password_grant = True

    def user_for(self, username: str, password: str) -> str | None:
        """The account a sign-in names, in the accepted form, if the password matches."""
        domain, slash, name = username.rpartition("\\")
        if slash and domain.casefold() != self.credentials.user_domain.casefold():
            return None
        if (self.username_form == "plain" and slash) or (self.username_form == "domain" and not slash):
            return None
        if not password or self.users.get(name) != password:
            return None
        return name

    def routes(self) -> list[web.RouteDef]:
        base, authorize = self.prefix + BASE, self.prefix + AUTHORIZE
        return [
            web.post(base + "/oauth/token", self.token),
            web.get(authorize, self.authorize_form),
            web.post(authorize, self.authorize_submit),
            web.get(base + "/userinfo", self.userinfo),
            web.get(base + "/ping", self.ping),
            web.get(base + "/sign-out", self.sign_out),
            web.post(base + "/sign-out", self.sign_out),
        ]

    # -- token endpoint ----------------------------------------------------

    async def token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        client_id = self._client_from_basic(request)
        if client_id is None:
            return json_response(_BAD_CLIENT, status=401)
        form = await request.post()
        grant = form.get("grant_type")
        token: Token | None
        if grant == "password":
            if not self.password_grant:
                return json_response(_NOT_ALLOWED, status=400)
            token = self._password_grant(form, client_id)
            if token is None:
                return json_response(_BAD_GRANT, status=400)
        elif grant == "authorization_code":
            user = self.tokens.redeem_code(str(form.get("code", "")), client_id, str(form.get("redirect_uri", "")))
            if user is None:
                return json_response(
                    {"error": "invalid_grant", "error_description": "Invalid authorization code"}, status=400
                )
            token = self.tokens.issue(user, client_id)
        elif grant == "refresh_token":
            token = self.tokens.refresh(str(form.get("refresh_token", "")), client_id)
            if token is None:
                return json_response(
                    {"error": "invalid_grant", "error_description": "Invalid refresh token"}, status=400
                )
        else:
            return json_response(
                {"error": "unsupported_grant_type", "error_description": f"Unsupported grant type: {grant}"}, status=400
            )
        if self.token_reply != "normal":  # a 200 that is not the documented JSON object
            return _broken_reply(self.token_reply)
        return json_response(
            {
                "access_token": token.access_token,
                "expires_in": int(self.tokens.lifetime),
                "refresh_token": token.refresh_token,
                "scope": "*",
                "token_type": "bearer",
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    def _password_grant(self, form: object, client_id: str) -> Token | None:
        get = form.get  # type: ignore[attr-defined]
        user = self.user_for(str(get("username", "")), str(get("password", "")))
        return self.tokens.issue(user, client_id) if user is not None else None

    def _client_from_basic(self, request: web.Request) -> str | None:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            client_id, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        ok = client_id == self.credentials.client_id and secret == self.credentials.client_secret
        return client_id if ok else None

    # -- authorization-code sign-in form ----------------------------------

    async def authorize_form(self, request: web.Request) -> web.Response:
        problem = self._check_authorize_params(request.query)
        if problem:
            return _page(problem, status=400)
        return _page(_form(dict(request.query), error=""))

    async def authorize_submit(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        params = {k: str(form.get(k, "")) for k in ("response_type", "client_id", "redirect_uri", "state")}
        problem = self._check_authorize_params(params)
        if problem:
            return _page(problem, status=400)
        if form.get("cancel"):
            # RFC 6749 4.1.2.1: the resource owner denied the request (seed 002 is silent).
            query = urlencode(
                {"error": "access_denied", "error_description": "User denied access", "state": params["state"]}
            )
            raise web.HTTPFound(params["redirect_uri"] + ("&" if "?" in params["redirect_uri"] else "?") + query)
        username = self.user_for(str(form.get("username", "")), str(form.get("password", "")))
        if username is None:
            return _page(_form(params, error="Bad credentials"), status=401)
        code = self.tokens.new_code(username, params["client_id"], params["redirect_uri"])
        separator = "&" if "?" in params["redirect_uri"] else "?"
        query = urlencode({"code": code, "state": params["state"]})
        raise web.HTTPFound(params["redirect_uri"] + separator + query)

    def _check_authorize_params(self, params: object) -> str:
        get = params.get  # type: ignore[attr-defined]
        if get("response_type") != "code":
            return "response_type must be 'code'"
        if get("client_id") != self.credentials.client_id:
            return "unknown client_id"
        redirect = urlsplit(str(get("redirect_uri", "")))
        if redirect.scheme not in ("http", "https") or not redirect.netloc or redirect.fragment:
            return "redirect_uri must be an absolute http(s) URI without a fragment"
        return ""

    # -- user endpoints ----------------------------------------------------

    async def userinfo(self, request: web.Request) -> web.Response:
        user = self.tokens.user_for(bearer_token(request))
        if user is None:
            return json_response({"error": "invalid_token"}, status=401)
        return json_response(
            {
                "username": user,
                "loginName": user,
                "cmeUserName": user.split("@")[0],
                "contactCenterId": "simulated-contact-center",
                "dbid": 100,
                "environmentId": "simulated",
                "authorities": [{"name": "ROLE_SUPERVISOR", "privileges": []}],
                "properties": {},
            }
        )

    async def ping(self, request: web.Request) -> web.Response:
        if self.tokens.user_for(bearer_token(request)) is None:
            return json_response({"status": {"code": 403, "message": "Prohibited"}}, status=403)
        return json_response({"status": {"code": 0}, "data": {}})

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        access = bearer_token(request)
        user = self.tokens.user_for(access)
        if user is None:
            return json_response({"error": "invalid_token"}, status=401)
        if request.query.get("global") == "true":
            self.tokens.revoke_user(user)
        else:
            self.tokens.revoke(access or "")
        if request.query.get("redirectUri"):
            raise web.HTTPFound(request.query["redirectUri"])
        return json_response({"status": {"code": 0}})


def _form(params: dict, error: str) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(str(v))}">'
        for k, v in params.items()
        if k in ("response_type", "client_id", "redirect_uri", "state")
    )
    alert = f'<p role="alert">{html.escape(error)}</p>' if error else ""
    return (
        f"<h1>Sign in to Genesys (simulator)</h1>{alert}<form method='post'>{hidden}"
        "<label>Username <input name='username' autocomplete='username'></label>"
        "<label>Password <input name='password' type='password'></label>"
        "<button type='submit'>Sign in</button>"
        "<button type='submit' name='cancel' value='1'>Cancel</button></form>"
    )


def _broken_reply(kind: str) -> web.Response:
    if kind == "list":
        return json_response([])
    return web.Response(text="<html><body>Welcome</body></html>", content_type="text/html")


def _page(body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=f"<!doctype html><html><body>{body}</body></html>", content_type="text/html", status=status
    )
