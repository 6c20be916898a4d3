"""The Web Services API v2 calls the product reads agents' skills with.

Reference: seed 000 "Skills API"; seed 001 "Making a Request" (version without
authentication, HTTP Basic for everything else, the `statusCode` envelope, user shape).

Every reply carries `statusCode`; 0 is success. The seeds show only 0, so the error
codes are this simulator's choice, modelled on Web Services' documented families:
2 = bad parameter (HTTP 400), 3 = unauthorized (HTTP 401, with a Basic challenge),
4 = resource not found (HTTP 404), 5 = internal/service error (any 5xx, including a
fault set through the control API). Errors also carry `statusMessage`.

Users and skills come from skills_model.py; a user's skill level is a string, as the
catalogue's "level": "0" is in the seed.

Every list (`/skills`, `/users`, `/users/{id}/skills`, `/me/skills`) answers only
`{"statusCode": 0, "uris": [...]}` unless the request names `fields`, as seed 000 "Read
contact center skills" shows for the catalogue and GWS does for every list; `fields=*`
expands the URIs into objects under the collection's key, `fields=id,name` keeps just
those fields. The `uris_only` skills fault makes every list ignore `fields`, as a GWS
(or a proxy stripping the query) that does not honour it would.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from statsbridge.simulator.credentials import SimulatorCredentials
from statsbridge.simulator.http_common import json_response
from statsbridge.simulator.skills_faults import SkillFaults
from statsbridge.simulator.skills_model import CatalogueSkill, SkillsModel, WsAccount

BASE = "/api/v2"
VERSION = "8.5.200.50"
REALM = "Genesys Web Services (simulator)"
BAD_PARAMETER, UNAUTHORIZED, NOT_FOUND, INTERNAL_ERROR = 2, 3, 4, 5
MAX_URL_LENGTH = 2000  # seed 001: "the entire URL request does not exceed 2000 characters"
Handler = Callable[[web.Request], Awaitable[web.Response]]


def ws_error(http_status: int, code: int, message: str, headers: dict | None = None) -> web.Response:
    return json_response({"statusCode": code, "statusMessage": message}, status=http_status, headers=headers)


class WebServicesApi:
    def __init__(self, model: SkillsModel, faults: SkillFaults, credentials: SimulatorCredentials) -> None:
        self.model = model
        self.faults = faults
        self.credentials = credentials
        self.requests = 0

    def routes(self) -> list[web.RouteDef]:
        guarded = self._guarded
        return [
            web.get(BASE + "/diagnostics/version", self.version),
            web.get(BASE + "/skills", guarded(self.skills)),
            web.get(BASE + "/skills/{skill_id}", guarded(self.skill)),
            web.get(BASE + "/users", guarded(self.users)),
            web.get(BASE + "/users/{user_id}", guarded(self.user)),
            web.get(BASE + "/users/{user_id}/skills", guarded(self.user_skills)),
            web.get(BASE + "/users/{user_id}/skills/{skill_id}", guarded(self.user_skill)),
            web.get(BASE + "/me/skills", guarded(self.my_skills)),
            web.get(BASE + "/me/skills/{skill_id}", guarded(self.my_skill)),
        ]

    # Reference: seed 001 "A simple request": the one call without authentication.
    async def version(self, request: web.Request) -> web.Response:
        self.requests += 1
        return json_response({"statusCode": 0, "version": VERSION})

    def _guarded(self, handler: Handler) -> Handler:
        """Basic auth, the URL limit and any WS fault, before the handler runs."""

        async def guarded(request: web.Request) -> web.Response:
            self.requests += 1
            if not self._authenticated(request):
                return ws_error(
                    401,
                    UNAUTHORIZED,
                    "Unauthorized: bad or missing credentials",
                    headers={"WWW-Authenticate": f'Basic realm="{REALM}"'},
                )
            if len(str(request.url)) > MAX_URL_LENGTH:
                return ws_error(400, BAD_PARAMETER, f"request URL exceeds {MAX_URL_LENGTH} characters")
            if self.faults.ws_status is not None:
                return ws_error(self.faults.ws_status, INTERNAL_ERROR, "Simulated Web Services fault")
            return await handler(request)

        return guarded

    def _authenticated(self, request: web.Request) -> bool:
        # Reference: seed 001 "Authentication" (curl -u username:password).
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        creds = self.credentials
        return secrets.compare_digest(user.encode(), creds.ws_username.encode()) and secrets.compare_digest(
            password.encode(), creds.ws_password.encode()
        )

    # Reference: seed 000 "Read contact center skills" (URIs, or objects with fields=*).
    async def skills(self, request: web.Request) -> web.Response:
        skills = list(self.model.catalogue.values())
        return self._list(request, "skills", [(f"skills/{s.id}", _skill(s)) for s in skills])

    def _list(self, request: web.Request, key: str, items: list[tuple[str, dict]]) -> web.Response:
        """A list reply: URIs only, unless `fields` is given and honoured (module docstring)."""
        # Reference: seed 000 "Read contact center skills" (uris; objects with ?fields=*).
        fields = request.query.get("fields")
        if not fields or self.faults.ws_uris_only:
            uris = [f"{request.url.origin()}{BASE}/{path}" for path, _ in items]
            return json_response({"statusCode": 0, "uris": uris})
        return json_response({"statusCode": 0, key: [_pick(obj, fields) for _, obj in items]})

    # Reference: seed 000 "Read a specified skill".
    async def skill(self, request: web.Request) -> web.Response:
        skill = self.model.skill(request.match_info["skill_id"])
        if skill is None:
            return _not_found("skill")
        return json_response({"statusCode": 0, "skill": _skill(skill)})

    async def users(self, request: web.Request) -> web.Response:
        return self._list(request, "users", [(f"users/{u.id}", _user(request, u)) for u in self.model.users])

    async def user(self, request: web.Request) -> web.Response:
        user = self.model.user(request.match_info["user_id"])
        if user is None:
            return _not_found("user")
        return json_response({"statusCode": 0, "user": _user(request, user)})

    # Reference: seed 000 "Read user skills".
    async def user_skills(self, request: web.Request) -> web.Response:
        user = self.model.user(request.match_info["user_id"])
        if user is None:
            return _not_found("user")
        items = [(f"users/{user.id}/skills/{s.id}", _user_skill(s, level)) for s, level in self.model.user_skills(user)]
        return self._list(request, "skills", items)

    # Reference: seed 000 "Read a user skill".
    async def user_skill(self, request: web.Request) -> web.Response:
        user = self.model.user(request.match_info["user_id"])
        if user is None:
            return _not_found("user")
        return self._one_skill(user, request.match_info["skill_id"])

    # Reference: seed 000 "Read all skills of the current user": the WS account the
    # simulator accepts is an administrator, not an agent, so it has none.
    async def my_skills(self, request: web.Request) -> web.Response:
        return self._list(request, "skills", [])

    # Reference: seed 000 "Read a skill of the current user".
    async def my_skill(self, request: web.Request) -> web.Response:
        return _not_found("skill of the current user")

    def _one_skill(self, user: WsAccount, skill_id: str) -> web.Response:
        for skill, level in self.model.user_skills(user):
            if skill.id == skill_id:
                return json_response({"statusCode": 0, "skill": _user_skill(skill, level)})
        return _not_found("skill of this user")


def _not_found(what: str) -> web.Response:
    return ws_error(404, NOT_FOUND, f"Resource not found: no such {what}")


def _uri(request: web.Request, collection: str, item_id: str) -> str:
    return f"{request.url.origin()}{BASE}/{collection}/{item_id}"


def _pick(obj: dict, fields: str) -> dict:
    if fields.strip() == "*":
        return obj
    wanted = {f.strip() for f in fields.split(",")}
    return {k: v for k, v in obj.items() if k in wanted}


def _skill(skill: CatalogueSkill) -> dict:
    out = {"id": skill.id, "name": skill.name}
    if skill.description is not None:  # seed 000: absent if it was never set
        out["description"] = skill.description
    out["level"] = "0"
    return out


def _user_skill(skill: CatalogueSkill, level: int) -> dict:
    return {"id": skill.id, "name": skill.name, "level": str(level)}


def _user(request: web.Request, user: WsAccount) -> dict:
    # Reference: seed 001 "Authentication" (the user object of /api/v2/me).
    out: dict = {"id": user.id, "userName": user.user_name, "firstName": user.first_name, "lastName": user.last_name}
    if user.employee_id is not None:
        out["employeeId"] = user.employee_id
    out.update(
        roles=list(user.roles), enabled=True, changePasswordOnFirstLogin=False, uri=_uri(request, "users", user.id)
    )
    return out
