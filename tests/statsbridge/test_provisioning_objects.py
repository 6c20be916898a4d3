"""The Provisioning API listing client (statsbridge/provisioning.py) against the
simulator over real sockets: the session, paging past 100, the Stat Server ids each
kind becomes, the simulator's strictness, and errors as the upstream says them."""

from __future__ import annotations

import httpx
import pytest

from statsbridge.exceptions import ApiKeyRejected, BadUserCredentials, ProtocolError, UpstreamUnavailable
from statsbridge.provisioning import PAGE, list_objects
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from tests.statsbridge.conftest import config_for


@pytest.fixture
async def big_simulator() -> object:
    """More agents than one page holds, so listing them takes several pages."""
    sim = Simulator(port=0, agents=PAGE * 2 + 17, queues=6, seed=1)
    await sim.start()
    yield sim
    await sim.stop()


async def test_every_agent_across_pages_by_employee_id_and_the_session_is_closed(big_simulator: Simulator) -> None:
    listing = await list_objects(config_for(big_simulator.base_url), "Agent")
    ids = [o["objectId"] for o in listing.objects]
    statistics_ids = [o["objectId"] for o in big_simulator.center.objects() if o["objectType"] == "Agent"]
    assert ids == statistics_ids and len(ids) == PAGE * 2 + 17  # the ids the Statistics API knows
    assert listing.total == len(ids) and not listing.truncated
    assert listing.objects[0]["name"] == big_simulator.center.agents[0].name
    assert big_simulator.provisioning.sessions == {}  # logged out


@pytest.mark.parametrize(
    ("object_type", "expected"),
    [
        ("Queue", lambda sim: {q.queue_id for q in sim.center.queues}),
        ("GroupAgents", lambda sim: {g.group_id for g in sim.center.groups}),
        ("GroupQueues", lambda sim: {g.group_id for g in sim.center.queue_groups}),
    ],
)
async def test_groups_and_queues_become_the_ids_statistics_use(simulator: Simulator, object_type, expected) -> None:  # type: ignore[no-untyped-def]
    listing = await list_objects(config_for(simulator.base_url), object_type)
    assert {o["objectId"] for o in listing.objects} == expected(simulator)
    for obj in listing.objects:  # every listed object is one the Statistics API serves
        assert simulator.center.has_object(object_type, obj["objectId"]), obj
    if object_type == "Queue":  # the DN's name with its Stat Server id
        assert listing.objects[0]["name"] == simulator.center.queues[0].name


async def test_route_points_the_tenant_lacks_are_an_empty_list(simulator: Simulator) -> None:
    listing = await list_objects(config_for(simulator.base_url), "RoutePoint")
    assert listing.objects == [] and listing.total == 0


async def test_the_upstreams_error_is_raised_with_its_message(simulator: Simulator) -> None:
    simulator.provisioning.fault = (500, "Configuration Server is not reachable")
    with pytest.raises(UpstreamUnavailable, match="500 Configuration Server is not reachable"):
        await list_objects(config_for(simulator.base_url), "Queue")
    simulator.provisioning.fault = (400, "search_key is not a key of CfgDN")
    with pytest.raises(ProtocolError, match="400 search_key is not a key of CfgDN"):
        await list_objects(config_for(simulator.base_url), "Queue")


async def test_a_wrong_api_key_or_password_is_refused(simulator: Simulator) -> None:
    with pytest.raises(ApiKeyRejected):
        await list_objects(config_for(simulator.base_url, api_key="wrong"), "Queue")
    with pytest.raises(BadUserCredentials):
        await list_objects(config_for(simulator.base_url, password="wrong"), "Queue")


async def test_the_simulator_is_strict_about_session_paging_and_parameters(simulator: Simulator) -> None:
    base = simulator.base_url + "/provisioning/v3"
    headers = {"x-api-key": CREDS.api_key}
    async with httpx.AsyncClient() as http:
        no_session = await http.get(base + "/objects/dns", headers=headers)
        assert no_session.status_code == 401 and "initialize-provisioning" in no_session.json()["status"]["message"]
        bad_token = await http.post(base + "/initialize-provisioning", headers={**headers, "Authorization": "Bearer x"})
        assert bad_token.status_code == 401
        token = simulator.tokens.issue(CREDS.username, CREDS.client_id).access_token
        init = await http.post(
            base + "/initialize-provisioning", headers={**headers, "Authorization": f"Bearer {token}"}
        )
        assert init.json()["status"] == {"code": 0} and init.cookies.get("PROVISIONING_SESSIONID")
        cookies = {"PROVISIONING_SESSIONID": init.cookies["PROVISIONING_SESSIONID"]}
        http.cookies.update(cookies)
        too_many = await http.get(base + "/objects/dns", params={"limit": 101}, headers=headers)
        assert too_many.status_code == 400 and "limit" in too_many.json()["status"]["message"]
        unknown = await http.get(base + "/objects/dns", params={"page": 2}, headers=headers)
        assert unknown.status_code == 400 and "page" in unknown.json()["status"]["message"]
        wrong_type = await http.get(base + "/objects/queues", headers=headers)
        assert wrong_type.status_code == 400
        page = await http.get(
            base + "/objects/dns", params={"dn_type": "CFGACDQueue", "limit": 2, "offset": 1}, headers=headers
        )
        body = page.json()
        assert body["status"] == {"code": 0} and body["data"]["totalCount"] == len(simulator.center.queues)
        assert [d["number"] for d in body["data"]["dns"]] == ["8002", "8003"]
        users = (await http.get(base + "/objects/users", headers=headers)).json()["data"]
        assert len(users["users"]) == len(simulator.center.agents) <= 100 and users["totalCount"] == len(users["users"])
        assert (await http.post(base + "/logout", headers=headers)).status_code == 200
        assert (await http.get(base + "/objects/dns", headers=headers)).status_code == 401
