"""WebServicesClient against the simulator, and against replies the simulator never sends."""

from __future__ import annotations

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.skills_model import SUPERVISOR_USER_NAME
from statsbridge.skillsources import (
    SkillSourceAuthError,
    SkillSourceError,
    SkillSourceHTTPError,
    SkillSourceProtocolError,
    WebServicesClient,
    WsUser,
)
from tests.statsbridge.skillsources.conftest import RunningSimulator


def canned(body: object, status: int = 200) -> WebServicesClient:
    """A client whose every request gets `body` back, for shapes the simulator never sends."""
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    return WebServicesClient("http://ws.invalid", "admin", "s3cret-pw", transport=transport)


def test_version_is_the_connection_test(ws: WebServicesClient) -> None:
    assert ws.version() == "8.5.200.50"


def test_skills_parse_with_int_levels_and_optional_description(ws: WebServicesClient) -> None:
    skills = ws.skills()
    assert [s.name for s in skills][:4] == ["English", "Spanish", "French", "German"]
    assert all(s.level == 0 for s in skills)
    german = next(s for s in skills if s.name == "German")
    assert german.description == "" and skills[0].description


def test_users_carry_employee_ids(ws: WebServicesClient, simulator: RunningSimulator) -> None:
    users = {u.user_name: u for u in ws.users()}
    agent = users[simulator.sim.skills.user_for("agent003").user_name]
    assert isinstance(agent, WsUser) and agent.roles == ("ROLE_AGENT",)
    assert agent.employee_id == "agent003" == simulator.sim.skills.employee_for("agent003").external_id
    assert users[SUPERVISOR_USER_NAME].employee_id is None
    assert users[SUPERVISOR_USER_NAME].roles == ("ROLE_SUPERVISOR",)


def test_user_skills_match_the_roster(ws: WebServicesClient, simulator: RunningSimulator) -> None:
    users = {u.employee_id or u.user_name: u for u in ws.users()}
    for agent in simulator.sim.center.agents[:6]:
        skills = {s.name: s.level for s in ws.user_skills(users[agent.agent_id].id)}
        assert ("Spanish" in skills) == (agent.index % 4 == 1)
        assert ("French" in skills) == (agent.index % 5 == 2)
        assert all(1 <= level <= 10 for level in skills.values())
    assert ws.user_skills(users[SUPERVISOR_USER_NAME].id) == []


def test_unknown_user_is_an_http_error_404(ws: WebServicesClient) -> None:
    with pytest.raises(SkillSourceHTTPError) as raised:
        ws.user_skills("0123456789abcdef0123456789abcdef")
    assert raised.value.status == 404 and "Resource not found" in str(raised.value)


def test_wrong_password_is_an_auth_error_without_the_password(simulator: RunningSimulator) -> None:
    with WebServicesClient(simulator.base_url, CREDS.ws_username, "guessed-wrong-pw") as client:
        with pytest.raises(SkillSourceAuthError) as raised:
            client.skills()
    assert "401" in str(raised.value) and "guessed-wrong-pw" not in str(raised.value)


def test_ws_fault_is_an_http_error_with_its_status(ws: WebServicesClient, simulator: RunningSimulator) -> None:
    simulator.set_faults({"ws": {"status": 503}})
    with pytest.raises(SkillSourceHTTPError) as raised:
        ws.users()
    assert raised.value.status == 503
    assert ws.version() == "8.5.200.50"


def test_agent_skills_change_is_visible(ws: WebServicesClient, simulator: RunningSimulator) -> None:
    simulator.set_agent_skills("agent001", {"German": 8})
    user = next(u for u in ws.users() if u.employee_id == "agent001")
    assert [(s.name, s.level) for s in ws.user_skills(user.id)] == [("German", 8)]


def test_non_numeric_level_names_the_field() -> None:
    skills = [{"id": f"s{i}", "name": f"Skill {i}", "level": "0"} for i in range(3)]
    skills.append({"id": "s3", "name": "Skill 3", "level": "high"})
    with canned({"statusCode": 0, "skills": skills}) as client, pytest.raises(SkillSourceProtocolError) as raised:
        client.skills()
    assert "skills[3].level: expected a number, got 'high'" in str(raised.value)


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"statusCode": 2, "statusMessage": "Bad request"}, "statusCode 2: Bad request"),
        ({"statusCode": 0}, "users: missing"),
        ({"statusCode": 0, "users": [{"id": "u1"}]}, "users[0].userName: missing"),
        ({"statusCode": 0, "users": {"id": "u1"}}, "users: expected a list"),
        (["not", "an", "object"], "expected an object"),
    ],
)
def test_bad_replies_are_protocol_errors(body: object, expected: str) -> None:
    with canned(body) as client, pytest.raises(SkillSourceProtocolError) as raised:
        client.users()
    assert expected in str(raised.value)


def test_a_user_skills_reply_without_skills_is_an_error_not_none() -> None:
    # Reading {"statusCode": 0} as "no skills" once let a sync delete every agent's skills.
    with canned({"statusCode": 0}) as client, pytest.raises(SkillSourceProtocolError, match="skills: missing"):
        client.user_skills("u1")


@pytest.mark.parametrize("call", ["skills", "users", "user_skills"])
def test_a_uris_only_list_is_an_error_that_says_so(
    simulator: RunningSimulator, ws: WebServicesClient, call: str
) -> None:
    simulator.set_faults({"uris_only": True})
    args = (simulator.sim.skills.user_for("agent001").id,) if call == "user_skills" else ()
    with pytest.raises(SkillSourceProtocolError, match="lists only uris") as raised:
        getattr(ws, call)(*args)
    assert "fields=*" in str(raised.value)


def test_not_json_is_a_protocol_error() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"})
    )
    with WebServicesClient("http://ws.invalid", "admin", "pw-123456", transport=transport) as client:
        with pytest.raises(SkillSourceProtocolError, match="not JSON"):
            client.version()


def test_unreachable_server_is_a_skill_source_error() -> None:
    with WebServicesClient("http://127.0.0.1:9", "admin", "pw-unreachable", timeout=2) as client:
        with pytest.raises(SkillSourceError) as raised:
            client.version()
    assert "cannot connect" in str(raised.value) and "pw-unreachable" not in str(raised.value)


@pytest.mark.parametrize("base_url", ["ws.example.com", "", "ftp://ws.example.com"])
def test_base_url_without_http_is_a_skill_source_error(base_url: str) -> None:
    with WebServicesClient(base_url, "admin", "pw-for-bad-url", timeout=2) as client:
        with pytest.raises(SkillSourceError, match="cannot connect"):
            client.version()
