"""Connect to Genesys: the authorization-code flow against the real simulator's sign-in
form, with the state check, ending in a stored refresh token the bridge can use."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from dashboard.models import UpstreamAuthorization
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS

pytestmark = pytest.mark.django_db


def sign_in_upstream(authorize_url: str) -> str:
    """What the admin does in the browser on Genesys' page; returns our callback URL."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    base = authorize_url.split("?")[0]
    response = httpx.post(base, data={**params, "username": CREDS.username, "password": CREDS.password})
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
