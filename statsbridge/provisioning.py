"""Configuration objects from the Provisioning API: the agents, agent groups, queues,
route points and DN groups a tenant has, for the builder's object browser.

The Statistics API lists no objects (seed 002 "Statistics API" reads values by object
id only); Configuration Server does, through the Provisioning API (seed 002 lists it,
"Provisioning Overview": Session, Objects, ...; its calls are in Genesys' public client,
GenesysPureEngage/provisioning-client-js and -java). A listing is a session:

1. `POST /provisioning/v3/initialize-provisioning` with `Authorization: Bearer <token>`
   and `x-api-key`: the reply sets the `PROVISIONING_SESSIONID` cookie;
2. `GET /provisioning/v3/objects/{object_type}` (or `/objects/users` for persons) with
   that cookie, `limit` (at most 100) and `offset`, until `totalCount` is reached;
3. `POST /provisioning/v3/logout`, so no session is left open.

Each item becomes a Stat Server object `{"objectType", "objectId", "name"}`: a person's
`employeeID` is its Agent id (as the Statistics API names agents), a group's
`CfgGroup.name` its GroupAgents / GroupQueues id, a DN `number@switch`. Imports nothing
from Django; errors are StatsBridgeError with the upstream's message and no secrets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from statsbridge.config import BridgeConfig
from statsbridge.exceptions import (
    ApiKeyRejected,
    ProtocolError,
    RequestRefused,
    StatsBridgeError,
    TokenRejected,
    TransportError,
    UpstreamUnavailable,
)
from statsbridge.tokens import TokenProvider

log = logging.getLogger(__name__)
PROVISIONING = "/provisioning/v3"
SESSION_COOKIE = "PROVISIONING_SESSIONID"
PAGE = 100  # Reference: provisioning-client-java ObjectsApi.getObject, `limit` "(up to 100)"
MAX_OBJECTS = 5000  # per type: a picker needs a browsable list, not a full export


@dataclass(frozen=True)
class Query:
    """One Stat Server object type as a Provisioning listing: the path and its filter."""

    path: str
    key: str  # the list's key in `data`
    params: dict[str, str]
    to_object: Callable[[dict], tuple[str, str] | None]  # (objectId, name) or None


@dataclass(frozen=True)
class Listing:
    objects: list[dict]
    total: int  # what the upstream says it has
    truncated: bool


def _person(item: dict) -> tuple[str, str] | None:
    # Reference: provisioning-client-java models/User.java (employeeID, firstName, lastName, userName)
    employee = item.get("employeeID")
    if not isinstance(employee, str) or not employee or item.get("isAgent") is False:
        return None
    name = " ".join(str(item.get(k) or "") for k in ("firstName", "lastName")).strip()
    return employee, name or str(item.get("userName") or employee)


def _group(item: dict) -> tuple[str, str] | None:
    # Reference: provisioning-client-java models/AgentGroup.java, DnGroup.java: `CfgGroup.name`
    group = item.get("CfgGroup")
    name = group.get("name") if isinstance(group, dict) else None
    return (name, name) if isinstance(name, str) and name else None


def _dn(item: dict) -> tuple[str, str] | None:
    # Reference: provisioning-client-java models/Dn.java (number, name, `switch`). Stat
    # Server names a DN `number@switch`; the `switch` object's shape is not documented
    # beyond "Object", so its `name` is read when present and a DN without one is skipped.
    number, switch = item.get("number"), item.get("switch")
    switch_name = switch.get("name") if isinstance(switch, dict) else None
    if not isinstance(number, str) or not number or not isinstance(switch_name, str) or not switch_name:
        return None
    object_id = f"{number}@{switch_name}"
    label = item.get("name")
    return object_id, label if isinstance(label, str) and label else object_id


# Reference: provisioning-client-js src/internal/objects.js (getDns, getAgentGroups,
# getDnGroups: GET /objects/{object_type}); provisioning-client-java ObjectsApi
# getUserObjects (GET /objects/users). DN types: Platform SDK CfgDNType.
QUERIES: dict[str, Query] = {
    "Agent": Query("/objects/users", "users", {}, _person),
    "GroupAgents": Query("/objects/agent-groups", "agent-groups", {}, _group),
    "Queue": Query("/objects/dns", "dns", {"dn_type": "CFGACDQueue"}, _dn),
    "RoutePoint": Query("/objects/dns", "dns", {"dn_type": "CFGRoutingPoint"}, _dn),
    "GroupQueues": Query("/objects/dn-groups", "dn-groups", {}, _group),
}


def listable(object_type: str) -> bool:
    return object_type in QUERIES


class ProvisioningClient:
    """One listing session at a time: `async with ProvisioningClient(...) as c: await c.fetch(t)`."""

    def __init__(self, config: BridgeConfig, http: httpx.AsyncClient, tokens: TokenProvider) -> None:
        self.config = config
        self.http = http
        self.tokens = tokens
        self.session: str | None = None

    async def __aenter__(self) -> ProvisioningClient:
        await self._initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            try:  # Reference: provisioning-client-js SessionApi.logout (POST /logout)
                await self._send("POST", "/logout")
            except StatsBridgeError as error:
                log.info("provisioning logout failed: %s", error)
            self.session = None

    # Reference: provisioning-client-js SessionApi.initializeProvisioning (POST
    # /initialize-provisioning, header Authorization: Bearer; sets PROVISIONING_SESSIONID)
    async def _initialize(self) -> None:
        for attempt in (1, 2):
            token = await self.tokens.token()
            response = await self._send("POST", "/initialize-provisioning", auth=f"Bearer {token}")
            if response.status_code == 401 and attempt == 1:
                self.tokens.invalidate(token)
                continue
            _check(response, "POST /initialize-provisioning")
            session = response.cookies.get(SESSION_COOKIE)
            if not session:
                raise ProtocolError(f"POST /initialize-provisioning: no {SESSION_COOKIE} cookie in the reply")
            self.session = session
            return
        raise TokenRejected("POST /initialize-provisioning: 401 after a fresh token")

    async def fetch(self, object_type: str) -> Listing:
        """Every object of one Stat Server type the tenant's configuration has (paged)."""
        query = QUERIES[object_type]
        objects: list[dict] = []
        offset, total = 0, 0
        while offset < MAX_OBJECTS:
            items, total = await self._page(query, offset)
            for item in items:
                found = query.to_object(item) if isinstance(item, dict) else None
                if found is not None:
                    objects.append({"objectType": object_type, "objectId": found[0], "name": found[1]})
            offset += len(items)
            if not items or offset >= total:
                break
        return Listing(objects, total, truncated=offset < total)

    async def _page(self, query: Query, offset: int) -> tuple[list, int]:
        where = f"GET {query.path}"
        response = await self._send("GET", query.path, params={**query.params, "limit": PAGE, "offset": offset})
        body = _check(response, where)
        data = body.get("data")
        items = data.get(query.key) if isinstance(data, dict) else None
        total = data.get("totalCount") if isinstance(data, dict) else None
        if not isinstance(items, list) or not isinstance(total, int):
            raise ProtocolError(f"{where}: reply has no data.{query.key} list and totalCount")
        return items, total

    async def _send(
        self, method: str, path: str, *, params: dict | None = None, auth: str | None = None
    ) -> httpx.Response:
        headers = {"x-api-key": self.config.api_key, "Accept": "application/json"}
        if auth is not None:
            headers["Authorization"] = auth
        if self.session is not None:
            headers["Cookie"] = f"{SESSION_COOKIE}={self.session}"
        try:
            return await self.http.request(
                method,
                self.config.base_url + PROVISIONING + path,
                params=params,
                headers=headers,
                timeout=self.config.request_timeout,
            )
        except httpx.HTTPError as error:
            raise TransportError(f"{method} {path}: {type(error).__name__}") from None


def _check(response: httpx.Response, where: str) -> dict:
    """The reply's JSON body, or the error it stands for with the upstream's message."""
    body = _json(response)
    message = _message(body) or response.reason_phrase
    status = response.status_code
    if status == 403:
        if isinstance(body, dict) and isinstance(body.get("status"), dict):
            raise RequestRefused(f"{where}: 403 {message}", upstream_message=message)
        raise ApiKeyRejected(f"{where}: 403 Forbidden (API key refused)")
    if status == 401:
        raise TokenRejected(f"{where}: 401 {message}")
    if status >= 500:
        raise UpstreamUnavailable(f"{where}: {status} {message}")
    if status >= 300 or not isinstance(body, dict):
        raise ProtocolError(f"{where}: HTTP {status} {message}".rstrip())
    code = body["status"].get("code", 0) if isinstance(body.get("status"), dict) else 0
    if code != 0:  # Reference: provisioning-client-java ObjectsApi: "if (!code.equals(0))" is an error
        raise ProtocolError(f"{where}: status {code} {message}".rstrip())
    return body


def _json(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content) if response.content else None
    except orjson.JSONDecodeError:
        return None


def _message(body: Any) -> str:
    # Reference: provisioning-client-js model/ApiErrorResponseStatus.js ({"status": {"code", "message"}})
    if isinstance(body, dict):
        status = body.get("status")
        if isinstance(status, dict) and isinstance(status.get("message"), str):
            return status["message"][:300]
        if isinstance(body.get("message"), str):
            return body["message"][:300]
    return ""


async def list_objects(config: BridgeConfig, object_type: str) -> Listing:
    """One listing in its own session and token (the picker's calls are rare: config)."""
    async with httpx.AsyncClient() as http:
        async with ProvisioningClient(config, http, TokenProvider(config, http)) as client:
            return await client.fetch(object_type)
