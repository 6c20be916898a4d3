"""A skill-clusters export source signed in with the OAuth 2.0 client-credentials grant
(dashboard/skills/export.py, the admin form), against the simulator's token endpoint:
it syncs, its client secret is write-only, and no secret reaches a message or a log."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from dashboard.skills.models import AgentSkillCluster, SkillSource
from dashboard.skills.outcome import SkillSyncError
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from tests.boards.test_admin import admin_url, form_errors
from tests.skills.test_sync import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded(sim: Simulator, settings: object) -> Simulator:
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": None}  # type: ignore[attr-defined]
    settings.STATSBRIDGE_SIMULATOR_URL = sim.base_url  # type: ignore[attr-defined]
    return sim


def oauth_source(secret: str = CREDS.export_client_secret, **fields: str) -> SkillSource:
    source = SkillSource(
        name="export",
        kind=SkillSource.Kind.SKILL_EXPORT,
        secret=secret,
        export_auth=SkillSource.ExportAuth.CLIENT_CREDENTIALS,
        client_id=CREDS.export_client_id,
        token_scope="export:read",
        **fields,
    )
    source.full_clean()
    source.save()
    return source


def test_a_client_credentials_source_syncs_through_the_simulators_token_endpoint(embedded: Simulator) -> None:
    oauth_source()  # no base URL, no token URL: the built-in simulator's /oauth/token

    summary, _ = run()

    assert summary.agent_clusters.added == AgentSkillCluster.objects.count() > 50
    assert embedded.export_tokens.issued == 1 and embedded.skill_export.unauthorized == 0


def test_an_explicit_token_url_is_used(sim: Simulator) -> None:
    oauth_source(base_url=sim.base_url, token_url=f"{sim.base_url}/oauth/token")
    run()
    assert sim.export_tokens.issued == 1


def test_a_wrong_client_secret_stops_the_sync_and_is_never_shown(
    embedded: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    source = oauth_source(secret="cl1ent-s3cret-wrong")

    with pytest.raises(SkillSyncError, match="oauth/token: HTTP 401.*invalid_client") as caught:
        run()

    source.refresh_from_db()
    for text in (str(caught.value), source.last_result, caplog.text):
        assert "cl1ent-s3cret-wrong" not in text


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"client_id": ""}, "client_id", "need a client id"),
        ({"base_url": "https://tenant.example"}, "token_url", "token endpoint"),
    ],
)
def test_client_credentials_need_a_client_id_and_a_token_url(
    embedded: Simulator, fields: dict, field: str, error: str
) -> None:
    source = SkillSource(
        name="export",
        kind=SkillSource.Kind.SKILL_EXPORT,
        secret="x",
        export_auth=SkillSource.ExportAuth.CLIENT_CREDENTIALS,
        **({"client_id": "c"} | fields),
    )
    with pytest.raises(ValidationError, match=error) as caught:
        source.full_clean()
    assert field in caught.value.message_dict


def test_the_admin_keeps_the_client_secret_write_only(staff: Client, embedded: Simulator) -> None:
    form = {
        "name": "export",
        "kind": "skill-export",
        "base_url": "",
        "username": "",
        "enabled": "on",
        "agent_id_rule": "employee-id",
        "export_auth": "client-credentials",
        "token_url": "",
        "client_id": CREDS.export_client_id,
        "token_scope": "export:read",
        "token_audience": "",
        "secret": CREDS.export_client_secret,
    }
    assert staff.post(admin_url(SkillSource, "add"), form).status_code == 302
    source = SkillSource.objects.get(name="export")
    assert source.secret == CREDS.export_client_secret and source.client_id == CREDS.export_client_id

    page = staff.get(admin_url(SkillSource, "change", source.pk)).content.decode()
    assert CREDS.export_client_secret not in page and "set (hidden)" in page and "Token URL" in page
    assert staff.post(admin_url(SkillSource, "change", source.pk), form | {"secret": ""}).status_code == 302
    source.refresh_from_db()
    assert source.secret == CREDS.export_client_secret  # blank keeps it
    errors = form_errors(staff.post(admin_url(SkillSource, "change", source.pk), form | {"client_id": ""}))
    assert "client id" in errors["client_id"][0]
