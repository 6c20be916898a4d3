"""Protocol clients for the two places agents' skills come from.

- `WebServicesClient`: Genesys Web Services API v2 (skills catalogue, users, each
  user's skills with levels), HTTP Basic.
- `SkillClusterExportClient`: the HR system's employee skill-clusters export (cursor
  paginated by external_id), bearer token: pasted, or from the OAuth 2.0
  client-credentials grant (`ClientCredentials`, renewed by `ClientCredentialsAuth`).

Both are synchronous httpx clients with a timeout on every request, import nothing from
Django, log nothing, and raise only the errors in `errors.py`, whose messages are safe
to show an admin. Mapping the two (WS user `employeeId` = export `external_id`) is the
caller's business.
"""

from __future__ import annotations

from statsbridge.skillsources.errors import (
    SkillSourceAuthError,
    SkillSourceError,
    SkillSourceHTTPError,
    SkillSourceProtocolError,
)
from statsbridge.skillsources.oauth import ClientCredentials, ClientCredentialsAuth
from statsbridge.skillsources.skill_export import (
    ClusterSkill,
    EmployeeClusters,
    ExportPage,
    SkillCluster,
    SkillClusterExportClient,
)
from statsbridge.skillsources.webservices import WebServicesClient, WsSkill, WsUser, WsUserSkill

__all__ = [
    "ClientCredentials",
    "ClientCredentialsAuth",
    "ClusterSkill",
    "EmployeeClusters",
    "ExportPage",
    "SkillCluster",
    "SkillClusterExportClient",
    "SkillSourceAuthError",
    "SkillSourceError",
    "SkillSourceHTTPError",
    "SkillSourceProtocolError",
    "WebServicesClient",
    "WsSkill",
    "WsUser",
    "WsUserSkill",
]
