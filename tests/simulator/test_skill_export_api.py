"""The simulated employee skill-clusters export, over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator

EXPORT = "/export/employees/skill_clusters"
ACTIVE = [{"filter": "is_active", "is_active": True}]
PARTS = {"current_skills", "related_skills", "rejected_skills", "sources"}


@pytest.fixture
async def export(simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {CREDS.export_token}"}
    async with httpx.AsyncClient(base_url=simulator.base_url, headers=headers, timeout=10) as client:
        yield client


async def all_pages(export: httpx.AsyncClient, body: dict) -> list[dict]:
    pages, cursor = [], None
    while True:
        response = await export.post(EXPORT, json={**body, **({"starting_after": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        pages.append(response.json())
        if not pages[-1]["has_next"]:
            return pages
        cursor = pages[-1]["next_starting_after"]


async def test_paging_returns_every_active_employee_once_in_order(
    export: httpx.AsyncClient, simulator: Simulator
) -> None:
    pages = await all_pages(export, {"limit": 7, "filters": ACTIVE})
    ids = [r["external_id"] for p in pages for r in p["records"]]
    active = [e.external_id for e in simulator.skills.employees() if e.is_active]
    assert ids == sorted(active) and len(ids) == 23
    assert [len(p["records"]) for p in pages] == [7, 7, 7, 2]
    assert all(p["next_starting_after"] == p["records"][-1]["external_id"] for p in pages[:-1])
    assert "next_starting_after" not in pages[-1]


async def test_is_active_filter_excludes_former_employees(export: httpx.AsyncClient, simulator: Simulator) -> None:
    everyone = [r["external_id"] for p in await all_pages(export, {"limit": 100}) for r in p["records"]]
    former = [e.external_id for e in simulator.skills.employees() if not e.is_active]
    assert len(everyone) == 25 and set(former) <= set(everyone)
    inactive = await all_pages(export, {"limit": 100, "filters": [{"filter": "is_active", "is_active": False}]})
    assert [r["external_id"] for r in inactive[0]["records"]] == sorted(former)


async def test_last_updated_filter_applies_bounds(export: httpx.AsyncClient, simulator: Simulator) -> None:
    first = simulator.skills.employee_for("agent001").updated_at.isoformat()
    body = {"limit": 100, "filters": [{"filter": "last_updated", "from": first, "to": first}]}
    records = (await export.post(EXPORT, json=body)).json()["records"]
    assert [r["external_id"] for r in records] == [simulator.skills.employee_for("agent001").external_id]


@pytest.mark.parametrize("include", [[], ["current_skills"], ["sources", "rejected_skills"], sorted(PARTS)])
async def test_include_controls_which_parts_are_present(export: httpx.AsyncClient, include: list[str]) -> None:
    records = (await export.post(EXPORT, json={"limit": 5, "include": include})).json()["records"]
    for cluster in (c for r in records for c in r["skill_clusters"]):
        assert {"skill_cluster_id", "skill_cluster_name", "domain_name", "proficiency_level"} <= set(cluster)
        assert PARTS & set(cluster) == set(include)


@pytest.mark.parametrize(
    "body, loc, kind",
    [
        ({"limit": 0}, ["body", "limit"], "greater_than_equal"),
        ({"limit": 101}, ["body", "limit"], "less_than_equal"),
        ({}, ["body", "limit"], "missing"),
        ({"limit": "ten"}, ["body", "limit"], "int_type"),
        ({"limit": True}, ["body", "limit"], "int_type"),
        ({"limit": 5, "starting_after": "x" * 101}, ["body", "starting_after"], "string_too_long"),
        ({"limit": 5, "include": ["skills"]}, ["body", "include", 0], "enum"),
        ({"limit": 5, "filters": [{"filter": "team"}]}, ["body", "filters", 0], "union_tag_invalid"),
        (
            {"limit": 5, "filters": [{"filter": "is_active", "is_active": "yes"}]},
            ["body", "filters", 0, "is_active", "is_active"],
            "bool_type",
        ),
        (
            {"limit": 5, "filters": [{"filter": "last_updated", "from": "yesterday"}]},
            ["body", "filters", 0, "last_updated", "from"],
            "datetime_parsing",
        ),
        ([1, 2], ["body"], "dict_type"),
    ],
)
async def test_bad_bodies_are_422_naming_the_field(export: httpx.AsyncClient, body: Any, loc: list, kind: str) -> None:
    response = await export.post(EXPORT, json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == loc and error["type"] == kind and error["msg"]


async def test_body_that_is_not_json_is_422(export: httpx.AsyncClient) -> None:
    response = await export.post(EXPORT, content=b"limit=10", headers={"Content-Type": "text/plain"})
    assert response.status_code == 422 and response.json()["detail"][0]["type"] == "json_invalid"


async def test_unknown_starting_after_is_400(export: httpx.AsyncClient) -> None:
    response = await export.post(EXPORT, json={"limit": 5, "starting_after": "nobody"})
    assert response.status_code == 400 and "nobody" in response.json()["detail"]


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {CREDS.export_token}"])
async def test_bad_token_is_401(simulator: Simulator, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    async with httpx.AsyncClient(base_url=simulator.base_url, headers=headers) as client:
        response = await client.post(EXPORT, json={"limit": 5})
    assert response.status_code == 401 and isinstance(response.json()["detail"], str)


async def test_export_matches_web_services_skills(export: httpx.AsyncClient, simulator: Simulator) -> None:
    employee = simulator.skills.employee_for("agent002")  # index 1: speaks Spanish
    everyone = await all_pages(export, {"limit": 100, "include": ["current_skills"]})
    record = next(r for p in everyone for r in p["records"] if r["external_id"] == employee.external_id)
    names = {s["name"] for c in record["skill_clusters"] for s in c["current_skills"]}
    assert names == set(employee.skills) and "Spanish" in names
