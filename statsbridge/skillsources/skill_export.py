"""A synchronous client for the employee skill-clusters export.

Reference: seed 004 "Export Employee Skill Clusters data".

One POST per page with a bearer token: a pasted one (a string), or one obtained and
renewed through the OAuth 2.0 client-credentials grant (a ClientCredentials, oauth.py);
`pages()` follows `has_next` and
`next_starting_after` and refuses to go round in circles: a cursor it has already used
is a SkillSourceProtocolError, raised after every page before it was yielded, so a
caller keeps what it read. Fields the seed marks optional (`validation_state`,
`domain_name`, the `include`d parts) come back as None or empty tuples when absent.
Imports nothing from Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from statsbridge.skillsources import _fields as f
from statsbridge.skillsources._http import JsonCaller
from statsbridge.skillsources.oauth import ClientCredentials, ClientCredentialsAuth

PATH = "/export/employees/skill_clusters"
MAX_PAGE_SIZE = 100
INCLUDE_ALL = ("current_skills", "related_skills", "rejected_skills", "sources")


@dataclass(frozen=True)
class ClusterSkill:
    skill_id: str
    name: str
    validation_state: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SkillCluster:
    cluster_id: str
    name: str
    domain: str | None
    proficiency_level: int | None
    validation_state: str | None
    current_skills: tuple[ClusterSkill, ...]
    related_skills: tuple[ClusterSkill, ...]
    rejected_skills: tuple[ClusterSkill, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class EmployeeClusters:
    external_id: str
    clusters: tuple[SkillCluster, ...]


@dataclass(frozen=True)
class ExportPage:
    records: tuple[EmployeeClusters, ...]
    has_next: bool
    next_starting_after: str | None


def _fixed(secret: str) -> Callable[[], tuple[str, ...]]:
    """The secrets of a pasted token, for redaction (a client-credentials auth has its own)."""
    return lambda: (secret,)


def _detail(body: Any) -> str | None:
    """The export's error `detail`: a string, or FastAPI's list of {loc, msg}."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):
        return "; ".join(
            ".".join(str(p) for p in d.get("loc", [])[1:]) + ": " + str(d.get("msg"))
            for d in detail
            if isinstance(d, dict)
        )
    return detail if isinstance(detail, str) else None


class SkillClusterExportClient:
    def __init__(
        self,
        base_url: str,
        token: str | ClientCredentials | ClientCredentialsAuth,
        *,
        page_size: int = 100,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be an integer 1..{MAX_PAGE_SIZE}, got {page_size!r}")
        self.page_size = page_size
        if isinstance(token, ClientCredentials):
            token = ClientCredentialsAuth(token, timeout=timeout, transport=transport)
        self.auth = token if isinstance(token, ClientCredentialsAuth) else None
        headers = {"Accept": "application/json"}
        if isinstance(token, str):
            headers["Authorization"] = f"Bearer {token}"
        http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport, headers=headers, auth=self.auth
        )
        secrets = self.auth.secrets if self.auth is not None else _fixed(str(token))
        self._caller = JsonCaller(http, secrets, _detail)

    # Reference: seed 004 "Export Employee Skill Clusters data" (request body).
    def page(
        self, starting_after: str | None = None, *, active_only: bool = True, include: tuple[str, ...] = INCLUDE_ALL
    ) -> ExportPage:
        unknown = [part for part in include if part not in INCLUDE_ALL]
        if unknown:
            raise ValueError(f"include: unknown parts {unknown}; known: {list(INCLUDE_ALL)}")
        body: dict[str, Any] = {"limit": self.page_size, "include": list(include)}
        if starting_after is not None:
            body["starting_after"] = starting_after
        if active_only:
            body["filters"] = [{"filter": "is_active", "is_active": True}]
        reply = self._caller.call("POST", PATH, json=body)
        try:
            return _page(reply)
        except f.Invalid as error:
            raise self._caller.protocol_error(self._caller.describe("POST", PATH), str(error)) from None

    def pages(self, starting_after: str | None = None, **kw: Any) -> Iterator[ExportPage]:
        """Every page from `starting_after` on (see module docstring for loops)."""
        used: set[str | None] = {starting_after} if starting_after is not None else set()
        cursor = starting_after
        while True:
            page = self.page(cursor, **kw)
            yield page
            if not page.has_next:
                return
            cursor = page.next_starting_after
            if cursor in used:
                raise self._caller.protocol_error(
                    self._caller.describe("POST", PATH),
                    f"cursor loop: next_starting_after {cursor!r} was already used on an earlier page; stopped paging",
                )
            used.add(cursor)

    def close(self) -> None:
        self._caller.http.close()
        if self.auth is not None:
            self.auth.close()

    def __enter__(self) -> SkillClusterExportClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _page(reply: Any) -> ExportPage:
    body = f.mapping(reply, "")
    has_next = f.flag(body, "has_next")
    cursor = f.optional_text(body, "next_starting_after") or None
    if has_next and cursor is None:
        raise f.Invalid("has_next is true but next_starting_after is missing")
    records = tuple(_record(f.mapping(item, path), path) for path, item in f.items(body, "records"))
    return ExportPage(records, has_next, cursor)


def _record(item: dict, path: str) -> EmployeeClusters:
    clusters = tuple(_cluster(f.mapping(c, where), where) for where, c in f.items(item, "skill_clusters", path))
    return EmployeeClusters(f.text(item, "external_id", path), clusters)


def _cluster(item: dict, path: str) -> SkillCluster:
    def skills(key: str) -> tuple[ClusterSkill, ...]:
        return tuple(_skill(f.mapping(s, where), where) for where, s in f.items(item, key, path, required=False))

    return SkillCluster(
        cluster_id=f.text(item, "skill_cluster_id", path),
        name=f.text(item, "skill_cluster_name", path),
        domain=f.optional_text(item, "domain_name", path),
        proficiency_level=f.optional_int(item, "proficiency_level", path),
        validation_state=f.optional_text(item, "validation_state", path),
        current_skills=skills("current_skills"),
        related_skills=skills("related_skills"),
        rejected_skills=skills("rejected_skills"),
        sources=f.texts(item, "sources", path),
    )


def _skill(item: dict, path: str) -> ClusterSkill:
    return ClusterSkill(
        f.text(item, "skill_id", path),
        f.text(item, "name", path),
        f.optional_text(item, "validation_state", path),
        f.texts(item, "skill_sources", path),
    )
