"""The skill-source steps of the preflight (`check_genesys --skills`), on the product's
own clients: Web Services v2 (version, one authenticated call) and the skill-clusters
export (one page). The clients are synchronous: each call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from statsbridge.preflight.report import Check, StepFailed
from statsbridge.skillsources.errors import SkillSourceAuthError, SkillSourceError, SkillSourceProtocolError
from statsbridge.skillsources.oauth import ClientCredentials
from statsbridge.skillsources.skill_export import SkillClusterExportClient
from statsbridge.skillsources.webservices import WebServicesClient

WEB_SERVICES, SKILL_EXPORT = "web-services", "skill-export"
SOURCE_HINT = "check the source's base URL in the admin (Skills > Skill sources)"


@dataclass(frozen=True)
class SkillSourceSpec:
    name: str
    kind: str  # WEB_SERVICES or SKILL_EXPORT
    base_url: str
    username: str = ""
    secret: str = field(default="", repr=False)
    # export only: the client-credentials grant (seed 004 says the token comes from an
    # OAuth 2.0 flow); None means `secret` is a pasted bearer token
    credentials: ClientCredentials | None = field(default=None, repr=False)


def skill_checks(source: SkillSourceSpec, timeout: float = 10.0) -> list[Check]:
    prefix = f"skills {source.name}"
    if source.kind == WEB_SERVICES:
        return [
            (f"{prefix} version", lambda: asyncio.to_thread(_ws_version, source, timeout)),
            (f"{prefix} authenticated call", lambda: asyncio.to_thread(_ws_skills, source, timeout)),
        ]
    return [(f"{prefix} export page", lambda: asyncio.to_thread(_export_page, source, timeout))]


# Reference: seed 001 "A simple request" (GET /api/v2/diagnostics/version).
def _ws_version(source: SkillSourceSpec, timeout: float) -> str:
    with WebServicesClient(source.base_url, source.username, source.secret, timeout=timeout) as client:
        try:
            return f"Web Services {client.version()}"
        except SkillSourceError as error:
            raise StepFailed(str(error), SOURCE_HINT) from None


# Reference: seed 000 "Read contact center skills" (with fields=*: without it a list
# request answers only uris).
def _ws_skills(source: SkillSourceSpec, timeout: float) -> str:
    with WebServicesClient(source.base_url, source.username, source.secret, timeout=timeout) as client:
        try:
            return f"{len(client.skills())} skills read as {source.username}"
        except SkillSourceAuthError as error:
            raise StepFailed(str(error), "check the source's user name and password") from None
        except SkillSourceProtocolError as error:
            raise StepFailed(
                str(error),
                "the server did not answer the documented list of skills (fields=*): check it is Web Services v2 8.5+",
            ) from None
        except SkillSourceError as error:
            raise StepFailed(str(error), SOURCE_HINT) from None


# Reference: seed 004 "Export Employee Skill Clusters data".
def _export_page(source: SkillSourceSpec, timeout: float) -> str:
    if source.credentials and not source.credentials.token_url:
        raise StepFailed("no token URL for the client-credentials grant", "set the source's token URL in the admin")
    token = source.credentials or source.secret
    hint = (
        "check the source's token URL, client id and client secret"
        if source.credentials
        else "paste a fresh export token in the source"
    )
    with SkillClusterExportClient(source.base_url, token, page_size=1, timeout=timeout) as client:
        try:
            page = client.page()
        except SkillSourceAuthError as error:
            raise StepFailed(str(error), hint) from None
        except SkillSourceError as error:
            raise StepFailed(str(error), SOURCE_HINT) from None
    more = ", more pages follow" if page.has_next else ""
    return f"{len(page.records)} employee record(s) on the first page{more}"
