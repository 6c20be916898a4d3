"""The preflight (statsbridge/preflight) fed from this project's configuration: the
settings' Genesys credentials, the admin's stored authorization, the first
pre-configured statistic on a dashboard, and the skill sources. Shared by the
`check_genesys` command and the admin's "Check connection" page."""

from __future__ import annotations

from dataclasses import replace

from asgiref.sync import sync_to_async
from django.conf import settings

from dashboard.access.upstream_auth import load_refresh_token
from dashboard.boards.models import Statistic
from dashboard.connections.configs import config_of, statistics_of
from dashboard.connections.hints import for_connection
from dashboard.connections.models import DEFAULT_CONNECTION
from dashboard.skills.export import export_credentials
from dashboard.skills.models import SkillSource
from statsbridge.preflight import NOTIFICATION_WAIT, Report, SkillSourceSpec, UpstreamCheck, run_checks, skill_checks
from statsbridge.preflight.report import Check
from statsbridge.service import config_from_settings
from statsbridge.skillsources.oauth import ClientCredentials

# the command's default and the admin's one wait: long enough for a held poll to come back
NOTIFICATION_TIMEOUT = NOTIFICATION_WAIT


def dashboard_statistics(limit: int = UpstreamCheck.WATCHED, connection: str = DEFAULT_CONNECTION) -> list[dict]:
    """Statistics that exist on this tenant (an admin configured them), named ones first:
    the peek needs a pre-configured name (seed 002: get-statistic-ex serves those only)."""
    rows = (
        Statistic.objects.filter(statistics_of(connection), widgetstatistic__isnull=False)
        .distinct()
        .order_by("pk")[:500]
    )
    descriptors = [row.descriptor() for row in rows]
    return sorted(descriptors, key=lambda d: "name" not in d)[:limit]


def skill_specs() -> list[SkillSourceSpec]:
    rows = sorted(
        SkillSource.objects.filter(enabled=True),  # Web Services first, as the sync
        key=lambda row: (row.kind != SkillSource.Kind.WEB_SERVICES, row.name),
    )
    return [_spec(row) for row in rows]


def _spec(row: SkillSource) -> SkillSourceSpec:
    credentials = export_credentials(row) if row.kind == SkillSource.Kind.SKILL_EXPORT else None
    return SkillSourceSpec(
        row.name,
        row.kind,
        row.resolved_url(),
        row.username,
        row.secret,
        credentials if isinstance(credentials, ClientCredentials) else None,
    )


async def run_preflight(
    base_url: str,
    *,
    skills: bool = False,
    fallback: list[dict] | None = None,
    notification_timeout: float = NOTIFICATION_TIMEOUT,
    connection: str = DEFAULT_CONNECTION,
) -> Report:
    """The preflight of one connection: `default` at `base_url` (the settings' upstream or
    the hosted simulator), any other with its own row's configuration (at `base_url`
    when one is given)."""
    if connection == DEFAULT_CONNECTION:
        config = config_from_settings(base_url)
    else:  # `base_url` may stand in for the row's (a hosted simulated tenant)
        config = await sync_to_async(config_of, thread_sensitive=False)(connection)
        config = replace(config, base_url=base_url.rstrip("/")) if base_url else config
    refresh = await load_refresh_token(connection)
    found = await sync_to_async(dashboard_statistics, thread_sensitive=False)(connection=connection)
    statistics = found or fallback or []
    upstream = UpstreamCheck(
        config, statistics=statistics, refresh_token=refresh, notification_timeout=notification_timeout
    )
    checks: list[Check] = upstream.checks()
    secrets = [config.api_key, config.client_secret, config.password, refresh or ""]
    if skills:
        specs = await sync_to_async(skill_specs)()
        secrets += [spec.secret for spec in specs]
        checks += [check for spec in specs for check in skill_checks(spec)] or [("skill sources", _none_configured)]
    try:
        report = await run_checks(checks, secrets)
        return report if connection == DEFAULT_CONNECTION else for_connection(report, connection)
    finally:
        await upstream.aclose()


async def _none_configured() -> str:
    return "none enabled: nothing to check (add one in the admin under Skill sources)"


def configured_base_url() -> str | None:
    return settings.GENESYS["API_BASE_URL"]
