"""The simulated Authentication API over loopback."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from tests.simulator.conftest import password_token

TOKEN = "/auth/v3/oauth/token"


async def test_password_grant_returns_the_documented_token_reply(http: httpx.AsyncClient) -> None:
    response = await http.post(
        TOKEN,
        auth=(CREDS.client_id, CREDS.client_secret),
        data={"grant_type": "password", "username": CREDS.username, "password": CREDS.password},
    )
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"access_token", "expires_in", "refresh_token", "scope", "token_type"}
    assert body["token_type"] == "bearer" and body["scope"] == "*"
    assert response.headers["cache-control"] == "no-store"


async def test_bad_client_credentials_get_401_bad_credentials(http: httpx.AsyncClient) -> None:
    response = await http.post(TOKEN, auth=(CREDS.client_id, "wrong"), data={"grant_type": "password"})
    assert response.status_code == 401
    assert response.json() == {"error": "Unauthorized", "error_description": "Bad credentials"}


async def test_bad_user_credentials_get_400_invalid_grant(http: httpx.AsyncClient) -> None:
    response = await http.post(
        TOKEN,
        auth=(CREDS.client_id, CREDS.client_secret),
        data={"grant_type": "password", "username": CREDS.username, "password": "x"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_wrong_api_key_gets_403_forbidden_on_every_api(simulator: Simulator) -> None:
    async with httpx.AsyncClient(base_url=simulator.base_url, headers={"x-api-key": "nope"}) as client:
        for method, path in [
            ("POST", TOKEN),
            ("GET", "/auth/v3/userinfo"),
            ("POST", "/statistics/v3/subscriptions"),
            ("POST", "/statistics/v3/notifications/handshake"),
        ]:
            response = await client.request(method, path)
            assert response.status_code == 403, path
            assert response.json() == {"message": "Forbidden"}


async def test_refresh_grant_replaces_the_token(http: httpx.AsyncClient) -> None:
    first = (
        await http.post(
            TOKEN,
            auth=(CREDS.client_id, CREDS.client_secret),
            data={"grant_type": "password", "username": CREDS.username, "password": CREDS.password},
        )
    ).json()
    second = await http.post(
        TOKEN,
        auth=(CREDS.client_id, CREDS.client_secret),
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    assert second.status_code == 200
    assert second.json()["access_token"] != first["access_token"]
    old = await http.get("/auth/v3/userinfo", headers={"Authorization": f"Bearer {first['access_token']}"})
    assert old.status_code == 401


async def test_authorization_code_flow_redirects_with_code_and_state(http: httpx.AsyncClient) -> None:
    params = {
        "response_type": "code",
        "client_id": CREDS.client_id,
        "state": "xyz123",
        "redirect_uri": "http://127.0.0.1:9/oauth/callback",
    }
    form = await http.get("/auth/v3/oauth/authorize", params=params, headers={"x-api-key": ""})
    assert form.status_code == 200 and "<form" in form.text
    signed_in = await http.post(
        "/auth/v3/oauth/authorize",
        headers={"x-api-key": ""},
        data={**params, "username": CREDS.username, "password": CREDS.password},
    )
    assert signed_in.status_code == 302
    location = urlsplit(signed_in.headers["location"])
    query = parse_qs(location.query)
    assert query["state"] == ["xyz123"] and location.path == "/oauth/callback"
    token = await http.post(
        TOKEN,
        auth=(CREDS.client_id, CREDS.client_secret),
        data={"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": params["redirect_uri"]},
    )
    assert token.status_code == 200
    reused = await http.post(
        TOKEN,
        auth=(CREDS.client_id, CREDS.client_secret),
        data={"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": params["redirect_uri"]},
    )
    assert reused.status_code == 400


async def test_sign_in_form_rejects_wrong_password(http: httpx.AsyncClient) -> None:
    params = {
        "response_type": "code",
        "client_id": CREDS.client_id,
        "state": "s",
        "redirect_uri": "http://127.0.0.1:9/cb",
    }
    response = await http.post(
        "/auth/v3/oauth/authorize", data={**params, "username": CREDS.username, "password": "wrong"}
    )
    assert response.status_code == 401 and "Bad credentials" in response.text


async def test_userinfo_ping_and_sign_out(http: httpx.AsyncClient) -> None:
    token = await password_token(http)
    auth = {"Authorization": f"Bearer {token}"}
    assert (await http.get("/auth/v3/userinfo", headers=auth)).json()["username"] == CREDS.username
    assert (await http.get("/auth/v3/ping", headers=auth)).status_code == 200
    assert (await http.post("/auth/v3/sign-out", headers=auth)).status_code == 200
    assert (await http.get("/auth/v3/ping", headers=auth)).status_code == 403


async def password_grant(http: httpx.AsyncClient, username: str) -> httpx.Response:
    return await http.post(
        TOKEN,
        auth=(CREDS.client_id, CREDS.client_secret),
        data={"grant_type": "password", "username": username, "password": CREDS.password},
    )


async def test_user_names_may_carry_the_domain_and_the_form_is_controllable(
    simulator: Simulator, http: httpx.AsyncClient
) -> None:
    domain_user = f"{CREDS.user_domain.lower()}\\{CREDS.username}"
    assert (await password_grant(http, domain_user)).status_code == 200
    assert (await password_grant(http, f"OTHER\\{CREDS.username}")).json() == {
        "error": "invalid_grant",
        "error_description": "Bad credentials",
    }
    async with httpx.AsyncClient(base_url=simulator.base_url) as control:
        set_form = await control.post("/simulator/v1/auth-policy", json={"username_form": "domain"})
        assert set_form.json() == {"username_form": "domain", "password_grant": True}
    refused = await password_grant(http, CREDS.username)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert (await password_grant(http, domain_user)).status_code == 200


async def test_a_client_without_the_password_grant_gets_unauthorized_client(
    simulator: Simulator, http: httpx.AsyncClient
) -> None:
    async with httpx.AsyncClient(base_url=simulator.base_url) as control:
        assert (await control.post("/simulator/v1/auth-policy", json={"password_grant": "no"})).status_code == 400
        await control.post("/simulator/v1/auth-policy", json={"password_grant": False})
    refused = await password_grant(http, CREDS.username)
    assert refused.status_code == 400 and refused.json()["error"] == "unauthorized_client"
