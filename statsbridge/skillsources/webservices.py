"""A synchronous client for the Web Services API v2 calls that read agents' skills.

Reference: seed 000 "Skills API"; seed 001 "Making a Request".

HTTP Basic on every call (the version call needs none but accepts it). A reply counts
only with `"statusCode": 0`; anything else is a SkillSourceProtocolError quoting the
upstream's `statusMessage`. Levels arrive as strings ("7") and are returned as ints.
Imports nothing from Django.

Every list is asked for with `fields=*`: without it GWS answers only `uris` (seed 000
"Read contact center skills"). A list reply without its key (`skills`, `users`) is a
SkillSourceProtocolError, never "none": reading a uris-only reply as an empty list once
made a sync delete every agent's skills while reporting success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from statsbridge.skillsources import _fields as f
from statsbridge.skillsources._http import MAX_DETAIL, JsonCaller

API = "/api/v2"
T = TypeVar("T")


@dataclass(frozen=True)
class WsSkill:
    id: str
    name: str
    description: str  # "" when the upstream has none (seed 000: the key is then absent)
    level: int


@dataclass(frozen=True)
class WsUser:
    id: str
    user_name: str
    employee_id: str | None
    first_name: str
    last_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class WsUserSkill:
    skill_id: str
    name: str
    level: int


def _status_message(body: Any) -> str | None:
    return body.get("statusMessage") if isinstance(body, dict) else None


class WebServicesClient:
    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        http = httpx.Client(
            base_url=base_url.rstrip("/"),
            auth=(username, password),
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json"},
        )
        self._caller = JsonCaller(http, (password,), _status_message)

    # Reference: seed 001 "A simple request" (no authentication needed).
    def version(self) -> str:
        """The server's version: the cheapest call that proves the base URL is right."""
        return self._get("/diagnostics/version", None, lambda body: f.text(body, "version"))

    # Reference: seed 000 "Read contact center skills" with ?fields=*.
    def skills(self) -> list[WsSkill]:
        return self._get("/skills", {"fields": "*"}, _skills)

    def users(self) -> list[WsUser]:
        return self._get("/users", {"fields": "*"}, _users)

    # Reference: seed 000 "Read user skills"; ?fields=* as for "Read contact center skills".
    def user_skills(self, user_id: str) -> list[WsUserSkill]:
        return self._get(f"/users/{quote(user_id, safe='')}/skills", {"fields": "*"}, _user_skills)

    def close(self) -> None:
        self._caller.http.close()

    def __enter__(self) -> WebServicesClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _get(self, path: str, params: dict | None, parse: Callable[[dict], T]) -> T:
        body = self._caller.call("GET", API + path, params=params)
        what = self._caller.describe("GET", API + path)
        try:
            body = f.mapping(body, "")
            code = f.number(body, "statusCode")
            if code != 0:
                message = str(body.get("statusMessage") or "no statusMessage")[:MAX_DETAIL]
                raise self._caller.protocol_error(what, f"statusCode {code}: {message}")
            return parse(body)
        except f.Invalid as error:
            raise self._caller.protocol_error(what, str(error)) from None


def _listed(body: dict, key: str) -> list[tuple[str, object]]:
    """The objects under `key`; a reply with only `uris` says `fields` was not honoured."""
    if key not in body and "uris" in body:
        raise f.Invalid(
            f"{key}: missing; the reply lists only uris (Web Services answers so when "
            "the request's fields=* is not honoured): no data was read"
        )
    return f.items(body, key)


def _skills(body: dict) -> list[WsSkill]:
    out = []
    for path, item in _listed(body, "skills"):
        item = f.mapping(item, path)
        out.append(
            WsSkill(
                f.text(item, "id", path),
                f.text(item, "name", path),
                f.optional_text(item, "description", path) or "",
                f.number(item, "level", path),
            )
        )
    return out


def _users(body: dict) -> list[WsUser]:
    out = []
    for path, item in _listed(body, "users"):
        item = f.mapping(item, path)
        out.append(
            WsUser(
                f.text(item, "id", path),
                f.text(item, "userName", path),
                f.optional_text(item, "employeeId", path) or None,
                f.optional_text(item, "firstName", path) or "",
                f.optional_text(item, "lastName", path) or "",
                f.texts(item, "roles", path),
            )
        )
    return out


def _user_skills(body: dict) -> list[WsUserSkill]:
    # The seed's example of this call shows just {"statusCode": 0}, but that is its
    # uris-less abbreviation, not "no skills": a missing key is an error (module docstring).
    out = []
    for path, item in _listed(body, "skills"):
        item = f.mapping(item, path)
        out.append(WsUserSkill(f.text(item, "id", path), f.text(item, "name", path), f.number(item, "level", path)))
    return out
