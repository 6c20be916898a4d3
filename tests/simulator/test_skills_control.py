"""The skills controls: changing an agent's skills and making the skill sources fail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator

EXPORT = "/export/employees/skill_clusters"
CONTROL = "/simulator/v1"


@pytest.fixture
async def client(simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=simulator.base_url, timeout=10) as client:
        yield client


async def export_page(client: httpx.AsyncClient, cursor: str | None = None) -> httpx.Response:
    body: dict = {"limit": 7, "include": ["current_skills"]}
    if cursor:
        body["starting_after"] = cursor
    return await client.post(EXPORT, json=body, headers={"Authorization": f"Bearer {CREDS.export_token}"})


async def test_objects_lists_skill_source_credentials(client: httpx.AsyncClient) -> None:
    sources = (await client.get(f"{CONTROL}/objects")).json()["skill_sources"]
    assert sources == {
        "web_services": {"username": CREDS.ws_username, "password": CREDS.ws_password},
        "skill_export": {
            "token": CREDS.export_token,
            "token_path": "/oauth/token",
            "client_id": CREDS.export_client_id,
            "client_secret": CREDS.export_client_secret,
        },
    }


async def test_agent_skills_change_reaches_both_apis(client: httpx.AsyncClient, simulator: Simulator) -> None:
    response = await client.post(
        f"{CONTROL}/agent-skills", json={"agent": "agent001", "skills": {"Spanish": 5, "English": 3}}
    )
    assert response.status_code == 200, response.text
    user_id = simulator.skills.user_for("agent001").id
    ws = await client.get(
        f"/api/v2/users/{user_id}/skills", params={"fields": "*"}, auth=(CREDS.ws_username, CREDS.ws_password)
    )
    assert {s["name"]: s["level"] for s in ws.json()["skills"]} == {"English": "3", "Spanish": "5"}
    target = simulator.skills.employee_for("agent001").external_id
    cursor, record = None, None
    while record is None:
        page = (await export_page(client, cursor)).json()
        record = next((r for r in page["records"] if r["external_id"] == target), None)
        cursor = page.get("next_starting_after")
    [cluster] = record["skill_clusters"]
    assert [s["name"] for s in cluster["current_skills"]] == ["Spanish", "English"]


@pytest.mark.parametrize(
    "body",
    [
        {"agent": "agent999", "skills": {"English": 3}},
        {"agent": "agent001", "skills": {"Klingon": 3}},
        {"agent": "agent001", "skills": {"English": 11}},
        {"agent": "agent001", "skills": ["English"]},
        {"skills": {"English": 3}},
    ],
)
async def test_agent_skills_refuses_bad_input(client: httpx.AsyncClient, body: dict) -> None:
    response = await client.post(f"{CONTROL}/agent-skills", json=body)
    assert response.status_code == 400 and response.json()["status"]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"export": {"kind": "explode"}},
        {"export": {"kind": "status", "status": 200}},
        {"export": {"kind": "status", "after_pages": -1}},
        {"ws": {"status": "503"}},
    ],
)
async def test_skills_faults_refuses_bad_input(client: httpx.AsyncClient, body: Any) -> None:
    response = await client.post(f"{CONTROL}/skills-faults", json=body)
    assert response.status_code == 400


async def test_status_fault_after_one_good_page_until_cleared(client: httpx.AsyncClient) -> None:
    fault = {"after_pages": 1, "kind": "status", "status": 500}
    await client.post(f"{CONTROL}/skills-faults", json={"export": fault})
    first = await export_page(client)
    assert first.status_code == 200
    assert (await export_page(client, first.json()["next_starting_after"])).status_code == 500
    assert (await export_page(client)).status_code == 500
    described = (await client.get(f"{CONTROL}/skills-faults")).json()
    assert described["export"]["kind"] == "status" and described["export"]["good_pages"] == 1
    await client.post(f"{CONTROL}/skills-faults", json={"clear": True})
    assert (await export_page(client)).status_code == 200


async def test_cursor_loop_fault_points_back(client: httpx.AsyncClient) -> None:
    await client.post(f"{CONTROL}/skills-faults", json={"export": {"after_pages": 1, "kind": "cursor-loop"}})
    first = (await export_page(client)).json()
    second = (await export_page(client, first["next_starting_after"])).json()
    assert second["has_next"] is True
    assert second["next_starting_after"] == first["next_starting_after"]


async def test_missing_field_and_not_json_faults(client: httpx.AsyncClient) -> None:
    await client.post(f"{CONTROL}/skills-faults", json={"export": {"kind": "missing-field"}})
    records = (await export_page(client)).json()["records"]
    assert records and all("external_id" not in r for r in records)
    await client.post(f"{CONTROL}/skills-faults", json={"export": {"kind": "not-json"}})
    response = await export_page(client)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")


async def test_ws_fault_fails_skill_calls_but_not_version(client: httpx.AsyncClient) -> None:
    await client.post(f"{CONTROL}/skills-faults", json={"ws": {"status": 503}})
    auth = (CREDS.ws_username, CREDS.ws_password)
    response = await client.get("/api/v2/skills", auth=auth)
    assert response.status_code == 503 and response.json()["statusCode"] != 0
    assert (await client.get("/api/v2/diagnostics/version")).status_code == 200
    await client.post(f"{CONTROL}/skills-faults", json={"ws": None})
    assert (await client.get("/api/v2/skills", auth=auth)).status_code == 200
