"""Connect to Genesys: the authorization-code flow against the real simulator's sign-in
form, with the state check, ending in a stored refresh token the bridge can use; sign-in
on its own host (GENESYS_AUTH_BASE_URL), a cancelled sign-in and a broken token reply."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from dashboard.access.models import UpstreamAuthorization
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from tests.support.dashboard_fixtures import threaded_simulator

pytestmark = pytest.mark.django_db


def sign_in_upstream(authorize_url: str, cancel: bool = False) -> str:
    """What the admin does in the browser on Genesys' page; returns our callback URL."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    base = authorize_url.split("?")[0]
    choice = {"cancel": "1"} if cancel else {"username": CREDS.username, "password": CREDS.password}
    response = httpx.post(base, data={**params, **choice})
    assert response.status_code == 302, response.text
    return response.headers["location"]


def test_connect_stores_a_refresh_token_after_the_state_check(staff: Client, upstream: str) -> None:
    start = staff.get("/admin/connect-genesys/start/")
    assert start.status_code == 302 and start["Location"].startswith(upstream + "/auth/v3/oauth/authorize?")
    callback = urlsplit(sign_in_upstream(start["Location"]))
    done = staff.get(callback.path + "?" + callback.query, follow=True)
    assert "Connected to Genesys" in done.content.decode()
    stored = UpstreamAuthorization.objects.get()
    assert stored.connected_by == "root" and stored.refresh_token
    assert stored.refresh_token not in done.content.decode()  # never shown back


def test_a_callback_with_a_foreign_state_stores_nothing(staff: Client, upstream: str) -> None:
    start = staff.get("/admin/connect-genesys/start/")
    callback = urlsplit(sign_in_upstream(start["Location"]))
    forged = callback.query.replace("state=", "state=x")
    done = staff.get(callback.path + "?" + forged, follow=True)
    assert "state check failed" in done.content.decode()
    assert not UpstreamAuthorization.objects.exists()


def test_the_connect_page_is_for_staff_only(client: Client) -> None:
    response = client.get("/admin/connect-genesys/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.fixture(scope="module")
def split_auth() -> Iterator[tuple[str, str]]:
    """A simulator whose Auth API answers only under /idp: (API base, auth base)."""
    with threaded_simulator(auth_prefix="/idp") as simulator:
        yield simulator.base_url, simulator.auth_base_url


def test_sign_in_goes_to_the_auth_base_when_it_is_another_host(
    staff: Client, settings: object, split_auth: tuple[str, str]
) -> None:
    api, auth = split_auth
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": api, "AUTH_BASE_URL": auth}  # type: ignore[attr-defined]
    start = staff.get("/admin/connect-genesys/start/")
    assert start["Location"].startswith(auth + "/auth/v3/oauth/authorize?")
    callback = urlsplit(sign_in_upstream(start["Location"]))
    done = staff.get(callback.path + "?" + callback.query, follow=True)
    assert "Connected to Genesys" in done.content.decode()  # the code went to the auth base too
    assert UpstreamAuthorization.objects.get().refresh_token


def test_a_cancelled_sign_in_says_so_and_stores_nothing(staff: Client, upstream: str) -> None:
    start = staff.get("/admin/connect-genesys/start/")
    callback = urlsplit(sign_in_upstream(start["Location"], cancel=True))
    assert "error=access_denied" in callback.query
    page = staff.get(callback.path + "?" + callback.query, follow=True).content.decode()
    assert "cancelled or denied at Genesys (access_denied)" in page
    assert "HTTP 400" not in page
    assert not UpstreamAuthorization.objects.exists()


@pytest.mark.parametrize("reply", ["html", "list"])
def test_a_token_reply_that_is_not_a_json_object_is_a_clear_error(staff: Client, upstream: str, reply: str) -> None:
    httpx.post(upstream + "/simulator/v1/token-reply", json={"reply": reply}).raise_for_status()
    try:
        start = staff.get("/admin/connect-genesys/start/")
        callback = urlsplit(sign_in_upstream(start["Location"]))
        done = staff.get(callback.path + "?" + callback.query, follow=True)
    finally:
        httpx.post(upstream + "/simulator/v1/token-reply", json={"reply": "normal"}).raise_for_status()
    assert done.status_code == 200
    assert "Genesys refused the sign-in: the token reply is not the documented JSON object" in done.content.decode()
    assert not UpstreamAuthorization.objects.exists()
