"""The Provisioning API calls the builder lists configuration objects with, strictly
as Genesys' public client documents them (anything else is a 400 naming it).

Reference: seed 002 "Provisioning Overview" (Session, Objects); GenesysPureEngage/
provisioning-client-js src/internal/code-gen/provisioning-api/api/SessionApi.js
(`POST /initialize-provisioning` with `Authorization: Bearer`, sets PROVISIONING_SESSIONID;
`POST /logout`), ObjectsApi.js and provisioning-client-java ObjectsApi.java
(`GET /objects/{object_type}`, `GET /objects/users`: their query parameters, `limit`
"up to 100", users' default 100), models GetObjectsSuccessResponse(Data) and
GetUsersSuccessResponseData (`{"status": {"code": 0}, "data": {<type>: [...], "totalCount"}}`),
ApiErrorResponseStatus (`{"status": {"code", "message"}}`). The error codes are this
simulator's choice (the client only says non-zero is an error): the HTTP status.

Every call needs `x-api-key` (the shared middleware); objects need the session cookie.
A fault set through `/simulator/v1/provisioning-fault` answers every objects call with
that HTTP status and message, as a Configuration Server outage would.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from aiohttp import web

from statsbridge.simulator.http_common import ApiError, bearer_token, envelope, json_response, read_json
from statsbridge.simulator.model_directory import Directory
from statsbridge.simulator.provisioning_objects import LISTS, persons
from statsbridge.simulator.tokens import TokenStore

BASE = "/provisioning/v3"
COOKIE = "PROVISIONING_SESSIONID"
MAX_LIMIT = 100
OBJECT_PARAMS = {
    "dn_type",
    "dn_groups",
    "group_type",
    "limit",
    "offset",
    "search_term",
    "search_key",
    "match_method",
    "sort_key",
    "sort_ascending",
    "sort_method",
    "dbids",
    "in_use",
}
USER_PARAMS = {"limit", "offset", "order", "sortBy", "filterName", "filterParameters", "roles", "skills", "userEnabled"}
MATCH: dict[str, Callable[[str, str], bool]] = {
    "includes": lambda value, term: term in value,
    "startsWith": lambda value, term: value.startswith(term),
    "endsWith": lambda value, term: value.endswith(term),
    "isEqual": lambda value, term: value == term,
}


class ProvisioningApi:
    def __init__(self, directory: Directory, tokens: TokenStore) -> None:
        self.directory = directory
        self.tokens = tokens
        self.sessions: dict[str, str] = {}  # session id -> user
        self.fault: tuple[int, str] | None = None
        self.requests = 0

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post(BASE + "/initialize-provisioning", self.initialize),
            web.post(BASE + "/logout", self.logout),
            web.get(BASE + "/objects/users", self.users),  # before {object_type}: matched in order
            web.get(BASE + "/objects/{object_type}", self.objects),
            web.post("/simulator/v1/provisioning-fault", self.set_fault),
        ]

    async def initialize(self, request: web.Request) -> web.Response:
        self.requests += 1
        user = self.tokens.user_for(bearer_token(request))
        if user is None:
            raise ApiError(401, "Unauthorized: missing, invalid or expired access token")
        session = secrets.token_hex(16)
        self.sessions[session] = user
        response = json_response(envelope({"sessionId": session}))
        response.set_cookie(COOKIE, session, path=BASE, httponly=True)
        return response

    async def logout(self, request: web.Request) -> web.Response:
        self.requests += 1
        self.sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = json_response(envelope())
        response.del_cookie(COOKIE, path=BASE)
        return response

    async def objects(self, request: web.Request) -> web.Response:
        object_type = request.match_info["object_type"]
        self._guard(request, OBJECT_PARAMS)
        if object_type not in LISTS:
            raise ApiError(400, f"unknown object_type {object_type!r}; one of {', '.join(LISTS)}")
        rows = LISTS[object_type](self.directory)
        query = request.query
        if "dn_type" in query:
            if object_type != "dns":
                raise ApiError(400, "dn_type applies only to object_type dns")
            rows = [r for r in rows if r.get("type") == query["dn_type"]]
        if "search_term" in query:
            rows = _search(rows, query["search_term"], query.get("search_key", "name"), query.get("match_method"))
        return _page(rows, object_type, query, default_limit=MAX_LIMIT)

    async def users(self, request: web.Request) -> web.Response:
        self._guard(request, USER_PARAMS)
        return _page(persons(self.directory), "users", request.query, default_limit=MAX_LIMIT)

    def _guard(self, request: web.Request, allowed: set[str]) -> None:
        """The session cookie, the fault if one is set, and only documented parameters."""
        self.requests += 1
        if request.cookies.get(COOKIE) not in self.sessions:
            raise ApiError(401, "Unauthorized: no provisioning session; POST /initialize-provisioning first")
        if self.fault is not None:
            raise ApiError(*self.fault)
        unknown = sorted(set(request.query) - allowed)
        if unknown:
            raise ApiError(400, f"unknown query parameter(s): {', '.join(unknown)}")

    def forget(self) -> None:
        self.sessions.clear()

    async def set_fault(self, request: web.Request) -> web.Response:
        """`{"status": 500, "message": "..."}` sets the fault; `{"status": 0}` clears it."""
        body = await read_json(request)
        status = body.get("status") if isinstance(body, dict) else None
        if not isinstance(status, int) or not (status == 0 or 400 <= status <= 599):
            raise ApiError(400, "status: 0 to clear, or an HTTP error status 400-599")
        message = str(body.get("message") or "Configuration Server is not reachable")
        self.fault = None if status == 0 else (status, message)
        return json_response({"fault": None if self.fault is None else {"status": status, "message": message}})


def _int_param(query: object, name: str, default: int | None, low: int, high: int | None) -> int | None:
    raw = query.get(name)  # type: ignore[attr-defined]
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer, not {raw!r}") from None
    if value < low or (high is not None and value > high):
        raise ApiError(400, f"{name} must be between {low} and {high}" if high else f"{name} must be >= {low}")
    return value


def _page(rows: list[dict], key: str, query: object, default_limit: int) -> web.Response:
    limit = _int_param(query, "limit", default_limit, 1, MAX_LIMIT)
    offset = _int_param(query, "offset", 0, 0, None) or 0
    page = rows[offset : offset + (limit or default_limit)]
    return json_response(envelope({key: page, "totalCount": len(rows)}))


def _search(rows: list[dict], term: str, key: str, method: str | None) -> list[dict]:
    if (method or "includes") not in MATCH:
        raise ApiError(400, f"match_method must be one of {', '.join(MATCH)}")
    match = MATCH[method or "includes"]

    def value(row: dict) -> str:
        inner = row.get("CfgGroup") if isinstance(row.get("CfgGroup"), dict) else row
        return str(inner.get(key, ""))  # type: ignore[union-attr]

    return [row for row in rows if match(value(row), term)]
