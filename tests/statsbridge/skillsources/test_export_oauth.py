"""The export's OAuth 2.0 client-credentials grant (statsbridge/skillsources/oauth.py)
against the simulator's token endpoint and export, over loopback: tokens fetched,
renewed before expiry and after a 401, refused clients named, secrets never shown."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.skillsources import (
    ClientCredentials,
    ClientCredentialsAuth,
    SkillClusterExportClient,
    SkillSourceAuthError,
)
from tests.statsbridge.skillsources.conftest import RunningSimulator
from tests.support.waiting import wait_until


class Clock:
    """A monotonic clock the test moves, so expiry needs no waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def grant(simulator: RunningSimulator, secret: str = CREDS.export_client_secret) -> ClientCredentials:
    return ClientCredentials(
        f"{simulator.base_url}/oauth/token",
        CREDS.export_client_id,
        secret,
        scope="export:read",
        audience="https://export.example",
    )


def counts(simulator: RunningSimulator) -> dict:
    return simulator.control.get("/simulator/v1/state").json()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def oauth_export(simulator: RunningSimulator, clock: Clock) -> Iterator[SkillClusterExportClient]:
    auth = ClientCredentialsAuth(grant(simulator), timeout=5, clock=clock)
    with SkillClusterExportClient(simulator.base_url, auth, page_size=7, timeout=5) as client:
        yield client


def test_the_token_endpoint_issues_expiring_bearer_tokens(simulator: RunningSimulator) -> None:
    simulator.set_faults({"export_token_seconds": 1})
    reply = httpx.post(
        f"{simulator.base_url}/oauth/token",
        auth=(CREDS.export_client_id, CREDS.export_client_secret),
        data={"grant_type": "client_credentials", "scope": "export:read"},
        timeout=5,
    )
    body = reply.json()
    assert reply.status_code == 200 and body["token_type"] == "Bearer" and body["expires_in"] == 1
    assert body["scope"] == "export:read" and reply.headers["Cache-Control"] == "no-store"

    def export_status() -> int:
        return httpx.post(
            f"{simulator.base_url}/export/employees/skill_clusters",
            json={"limit": 1},
            headers={"Authorization": f"Bearer {body['access_token']}"},
            timeout=5,
        ).status_code

    assert export_status() == 200
    wait_until(lambda: export_status() == 401, timeout=30, what="the token to expire")


@pytest.mark.parametrize(
    ("auth", "data", "status", "error"),
    [
        ((CREDS.export_client_id, "wrong"), {"grant_type": "client_credentials"}, 401, "invalid_client"),
        (
            None,
            {
                "grant_type": "client_credentials",
                "client_id": CREDS.export_client_id,
                "client_secret": CREDS.export_client_secret,
            },
            200,
            None,
        ),
        (
            (CREDS.export_client_id, CREDS.export_client_secret),
            {"grant_type": "password"},
            400,
            "unsupported_grant_type",
        ),
    ],
)
def test_the_token_endpoint_follows_rfc_6749(
    simulator: RunningSimulator, auth: tuple | None, data: dict, status: int, error: str | None
) -> None:
    reply = httpx.post(f"{simulator.base_url}/oauth/token", auth=auth, data=data, timeout=5)
    assert reply.status_code == status and reply.json().get("error") == error


def test_the_export_pages_with_a_client_credentials_token(
    oauth_export: SkillClusterExportClient, simulator: RunningSimulator
) -> None:
    ids = [r.external_id for p in oauth_export.pages() for r in p.records]
    assert len(ids) == len(simulator.sim.center.agents) + 3
    assert oauth_export.auth.fetched == 1 and counts(simulator)["skill_export_unauthorized"] == 0


def test_the_token_is_renewed_before_it_expires(
    oauth_export: SkillClusterExportClient, simulator: RunningSimulator, clock: Clock
) -> None:
    oauth_export.page()
    clock.now += 3600 - 60  # within a minute of the hour the simulator's tokens last

    oauth_export.page()

    assert oauth_export.auth.fetched == 2 and counts(simulator)["export_tokens_issued"] == 2
    assert counts(simulator)["skill_export_unauthorized"] == 0  # renewed before, not after, a refusal


def test_a_401_renews_the_token_and_retries_once(
    oauth_export: SkillClusterExportClient, simulator: RunningSimulator
) -> None:
    first = oauth_export.page()
    assert simulator.control.post("/simulator/v1/expire-tokens").status_code == 200

    again = oauth_export.page()

    assert again == first and oauth_export.auth.fetched == 2
    assert counts(simulator)["skill_export_unauthorized"] == 1


def test_a_refused_client_is_an_auth_error_without_the_secret(simulator: RunningSimulator) -> None:
    with SkillClusterExportClient(simulator.base_url, grant(simulator, "s3cret-guess"), timeout=5) as client:
        with pytest.raises(SkillSourceAuthError) as raised:
            client.page()
    message = str(raised.value)
    assert message.startswith(f"POST {simulator.base_url}/oauth/token: HTTP 401") and "invalid_client" in message
    assert "s3cret-guess" not in message and "s3cret-guess" not in repr(grant(simulator, "s3cret-guess"))


def test_the_pasted_token_still_works(export: SkillClusterExportClient) -> None:
    assert export.page().records and export.auth is None
