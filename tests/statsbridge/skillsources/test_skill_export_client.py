"""SkillClusterExportClient against the simulator, and against replies it never sends."""

from __future__ import annotations

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.skillsources import (
    ExportPage,
    SkillClusterExportClient,
    SkillSourceAuthError,
    SkillSourceHTTPError,
    SkillSourceProtocolError,
)
from tests.statsbridge.skillsources.conftest import RunningSimulator


def canned(*bodies: object) -> SkillClusterExportClient:
    """A client that gets `bodies` back in turn, for shapes the simulator never sends."""
    replies = iter(bodies)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=next(replies)))
    return SkillClusterExportClient("http://export.invalid", "tok-abcdef", transport=transport)


def test_pages_collect_every_active_employee_once_in_order(
    export: SkillClusterExportClient, simulator: RunningSimulator
) -> None:
    pages = list(export.pages())
    ids = [r.external_id for p in pages for r in p.records]
    active = [e.external_id for e in simulator.sim.skills.employees() if e.is_active]
    assert ids == sorted(active) and len(pages) == 4
    assert [p.has_next for p in pages] == [True, True, True, False]
    assert pages[-1].next_starting_after is None


def test_inactive_employees_come_only_when_asked(export: SkillClusterExportClient, simulator: RunningSimulator) -> None:
    everyone = [r.external_id for p in export.pages(active_only=False) for r in p.records]
    assert len(everyone) == len(simulator.sim.skills.employees()) == 25


def test_page_continues_after_a_cursor(export: SkillClusterExportClient) -> None:
    first = export.page()
    second = export.page(first.next_starting_after)
    assert second.records[0].external_id > first.records[-1].external_id
    rest = [r.external_id for p in export.pages(first.next_starting_after) for r in p.records]
    assert rest[:7] == [r.external_id for r in second.records]


def test_clusters_parse_with_optional_parts(export: SkillClusterExportClient) -> None:
    clusters = [c for p in export.pages() for r in p.records for c in r.clusters]
    assert any(c.validation_state is None for c in clusters)
    assert all(c.current_skills and c.sources and 1 <= (c.proficiency_level or 0) <= 5 for c in clusters)
    assert all(s.validation_state == "rejected" for c in clusters for s in c.rejected_skills)
    bare = export.page(include=())
    assert all(not c.current_skills and not c.sources for r in bare.records for c in r.clusters)


def test_agent_skills_change_is_visible(export: SkillClusterExportClient, simulator: RunningSimulator) -> None:
    simulator.set_agent_skills("agent001", {"French": 9, "English": 2})
    target = simulator.sim.skills.employee_for("agent001").external_id
    record = next(r for p in export.pages() for r in p.records if r.external_id == target)
    [cluster] = record.clusters
    assert cluster.name == "Languages" and cluster.proficiency_level == 5
    assert [s.name for s in cluster.current_skills] == ["French", "English"]


def test_bad_token_is_an_auth_error(simulator: RunningSimulator) -> None:
    with SkillClusterExportClient(simulator.base_url, "not-the-token-xyz") as client:
        with pytest.raises(SkillSourceAuthError) as raised:
            client.page()
    assert "not-the-token-xyz" not in str(raised.value)


def test_unknown_cursor_is_an_http_error_400(export: SkillClusterExportClient) -> None:
    with pytest.raises(SkillSourceHTTPError) as raised:
        export.page("no-such-employee")
    assert raised.value.status == 400 and "no-such-employee" in str(raised.value)


@pytest.mark.parametrize("size", [0, 101, True, "10"])
def test_page_size_outside_1_to_100_is_refused(size: object) -> None:
    with pytest.raises(ValueError):
        SkillClusterExportClient("http://export.invalid", "t", page_size=size)  # type: ignore[arg-type]


def test_unknown_include_is_refused_before_sending(export: SkillClusterExportClient) -> None:
    with pytest.raises(ValueError):
        export.page(include=("skills",))


def test_has_next_without_cursor_is_a_protocol_error() -> None:
    with canned({"has_next": True, "records": []}) as client, pytest.raises(SkillSourceProtocolError) as raised:
        client.page()
    assert "next_starting_after" in str(raised.value)


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"records": []}, "has_next: expected true or false"),
        ({"has_next": False}, "records: missing"),
        (
            {"has_next": False, "records": [{"external_id": "e1", "skill_clusters": [{"skill_cluster_id": "c"}]}]},
            "records[0].skill_clusters[0].skill_cluster_name: missing",
        ),
        (
            {
                "has_next": False,
                "records": [
                    {
                        "external_id": "e1",
                        "skill_clusters": [
                            {"skill_cluster_id": "c", "skill_cluster_name": "n", "proficiency_level": "expert"}
                        ],
                    }
                ],
            },
            "records[0].skill_clusters[0].proficiency_level: expected a number, got 'expert'",
        ),
    ],
)
def test_ill_shaped_pages_are_protocol_errors(body: dict, expected: str) -> None:
    with canned(body) as client, pytest.raises(SkillSourceProtocolError) as raised:
        client.page()
    assert expected in str(raised.value)


def test_a_cursor_seen_before_stops_paging() -> None:
    record = {"external_id": "e1", "skill_clusters": []}
    with canned(
        {"has_next": True, "records": [record], "next_starting_after": "e1"},
        {"has_next": True, "records": [record], "next_starting_after": "e1"},
    ) as client:
        seen: list[ExportPage] = []
        with pytest.raises(SkillSourceProtocolError, match="cursor loop"):
            seen.extend(client.pages())
    assert len(seen) == 2


def test_token_is_sent_as_bearer() -> None:
    sent: list[str] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["Authorization"])
        return httpx.Response(200, json={"has_next": False, "records": []})

    with SkillClusterExportClient(
        "http://export.invalid", CREDS.export_token, transport=httpx.MockTransport(reply)
    ) as client:
        assert client.page().records == ()
    assert sent == [f"Bearer {CREDS.export_token}"]
