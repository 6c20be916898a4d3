"""The simulated Web Services API v2 skills calls, over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from statsbridge.simulator.skills_model import SUPERVISOR_USER_NAME

WS_AUTH = (CREDS.ws_username, CREDS.ws_password)


@pytest.fixture
async def ws(simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    """Basic auth only: no x-api-key, no cookies kept between calls."""
    async with httpx.AsyncClient(base_url=simulator.base_url, auth=WS_AUTH, timeout=10) as client:
        yield client


async def users_by_name(ws: httpx.AsyncClient) -> dict[str, dict]:
    response = await ws.get("/api/v2/users", params={"fields": "*"})
    assert response.status_code == 200, response.text
    return {u["userName"]: u for u in response.json()["users"]}


async def test_version_needs_no_authentication(simulator: Simulator) -> None:
    async with httpx.AsyncClient(base_url=simulator.base_url) as anonymous:
        response = await anonymous.get("/api/v2/diagnostics/version")
    assert response.json() == {"statusCode": 0, "version": "8.5.200.50"}


@pytest.mark.parametrize("auth", [None, (CREDS.ws_username, "wrong"), (CREDS.username, CREDS.password)])
async def test_skills_refuse_missing_or_wrong_basic_auth(simulator: Simulator, auth: tuple | None) -> None:
    async with httpx.AsyncClient(base_url=simulator.base_url, auth=auth) as client:
        response = await client.get("/api/v2/skills")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    body = response.json()
    assert body["statusCode"] == 3 and body["statusMessage"]


async def test_skills_list_uris_or_objects(ws: httpx.AsyncClient, simulator: Simulator) -> None:
    uris = (await ws.get("/api/v2/skills")).json()
    full = (await ws.get("/api/v2/skills", params={"fields": "*"})).json()
    assert uris["statusCode"] == 0 == full["statusCode"]
    skills = full["skills"]
    assert [s["name"] for s in skills][:4] == ["English", "Spanish", "French", "German"]
    assert uris["uris"] == [f"{simulator.base_url}/api/v2/skills/{s['id']}" for s in skills]
    assert all(s["level"] == "0" for s in skills)
    assert any("description" not in s for s in skills) and any("description" in s for s in skills)
    one = (await ws.get(uris["uris"][1])).json()
    assert one == {"statusCode": 0, "skill": skills[1]}


async def test_unknown_skill_is_404_with_status_code(ws: httpx.AsyncClient) -> None:
    response = await ws.get("/api/v2/skills/no-such-skill")
    assert response.status_code == 404
    assert response.json()["statusCode"] == 4 and "skill" in response.json()["statusMessage"]


async def test_users_list_agents_and_a_supervisor(ws: httpx.AsyncClient, simulator: Simulator) -> None:
    users = await users_by_name(ws)
    assert len(users) == len(simulator.center.agents) + 1
    agent = users["ava.adams@contact-center.example"]
    assert len(agent["id"]) == 32 and agent["roles"] == ["ROLE_AGENT"] and agent["enabled"] is True
    assert f"{agent['firstName']} {agent['lastName']}" == simulator.center.agent("agent001").name
    # Stat Server's Agent objectId is the employee id, not the (e-mail) user name.
    assert agent["employeeId"] == "agent001" == simulator.skills.employee_for("agent001").external_id
    assert "employeeId" not in users[SUPERVISOR_USER_NAME]
    uris = (await ws.get("/api/v2/users")).json()["uris"]
    assert f"{simulator.base_url}/api/v2/users/{agent['id']}" in uris


async def test_user_skills_match_the_roster(ws: httpx.AsyncClient, simulator: Simulator) -> None:
    for agent in simulator.center.agents[:8]:
        user_id = simulator.skills.user_for(agent.agent_id).id
        response = await ws.get(f"/api/v2/users/{user_id}/skills", params={"fields": "*"})
        skills = {s["name"]: s for s in response.json()["skills"]}
        assert ("Spanish" in skills) == (agent.index % 4 == 1)
        groups = {simulator.center.groups[g].group_id for g in agent.groups}
        assert groups <= set(skills)
        assert all(s["level"].isdigit() and 1 <= int(s["level"]) <= 10 for s in skills.values())


async def test_one_user_skill_or_404(ws: httpx.AsyncClient) -> None:
    user_id = (await users_by_name(ws))["ben.baker@contact-center.example"]["id"]
    skills = (await ws.get(f"/api/v2/users/{user_id}/skills", params={"fields": "*"})).json()["skills"]
    spanish = next(s for s in skills if s["name"] == "Spanish")
    one = await ws.get(f"/api/v2/users/{user_id}/skills/{spanish['id']}")
    assert one.json() == {"statusCode": 0, "skill": spanish}
    french_id = next(
        s["id"] for s in (await ws.get("/api/v2/skills?fields=*")).json()["skills"] if s["name"] == "French"
    )
    assert (await ws.get(f"/api/v2/users/{user_id}/skills/{french_id}")).status_code == 404


async def test_unknown_user_is_404(ws: httpx.AsyncClient) -> None:
    response = await ws.get("/api/v2/users/0123456789abcdef0123456789abcdef/skills")
    assert response.status_code == 404 and response.json()["statusCode"] == 4


async def test_current_user_has_no_skills(ws: httpx.AsyncClient) -> None:
    assert (await ws.get("/api/v2/me/skills", params={"fields": "*"})).json() == {"statusCode": 0, "skills": []}
    assert (await ws.get("/api/v2/me/skills")).json() == {"statusCode": 0, "uris": []}


@pytest.mark.parametrize(
    "path", ["/api/v2/skills", "/api/v2/users", "/api/v2/users/{user}/skills", "/api/v2/me/skills"]
)
async def test_every_list_answers_only_uris_without_fields(
    ws: httpx.AsyncClient, simulator: Simulator, path: str
) -> None:
    # Reference: seed 000 "Read contact center skills": URIs, objects only with ?fields=*.
    path = path.format(user=simulator.skills.user_for("agent002").id)
    body = (await ws.get(path)).json()
    assert set(body) == {"statusCode", "uris"} and body["statusCode"] == 0
    assert all(uri.startswith(f"{simulator.base_url}/api/v2/") for uri in body["uris"])
    full = (await ws.get(path, params={"fields": "*"})).json()
    assert "uris" not in full and len(full[path.rsplit("/", 1)[1]]) == len(body["uris"])


async def test_the_uris_only_fault_ignores_fields_until_cleared(ws: httpx.AsyncClient, simulator: Simulator) -> None:
    control = f"{simulator.base_url}/simulator/v1/skills-faults"
    assert (await ws.post(control, json={"uris_only": True})).json()["uris_only"] is True
    user = simulator.skills.user_for("agent002").id
    for path in ("/api/v2/skills", "/api/v2/users", f"/api/v2/users/{user}/skills"):
        assert set((await ws.get(path, params={"fields": "*"})).json()) == {"statusCode", "uris"}
    assert (await ws.post(control, json={"uris_only": "yes"})).status_code == 400
    await ws.post(control, json={"clear": True})
    assert "skills" in (await ws.get("/api/v2/skills", params={"fields": "*"})).json()


async def test_ws_paths_ignore_api_key_and_session_cookie(ws: httpx.AsyncClient, simulator: Simulator) -> None:
    simulator.cookies.require = True
    issued = simulator.cookies.issued
    response = await ws.get("/api/v2/skills", headers={"x-api-key": "not-the-key"})
    assert response.status_code == 200
    assert "STATISTICS_SESSIONID" not in response.cookies
    assert simulator.cookies.issued == issued
