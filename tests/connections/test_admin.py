"""The admin's connection pages: secrets write-only (never rendered back, an empty field
keeps them), "Test connection" running the preflight for that connection, disabling,
and the authorization-code grant per connection (each its own stored refresh token;
`default`'s keeps working) against the simulated tenants' own sign-in forms."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.messages import get_messages
from django.test import Client

from dashboard.access.models import UpstreamAuthorization
from dashboard.access.upstream_auth import _load
from dashboard.boards.files import import_dashboards
from dashboard.connections.configs import connection_configs
from dashboard.connections.models import Connection
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as A
from statsbridge.simulator.credentials import SimulatorCredentials
from statsbridge.simulator.tenants import BRAND_B_CREDENTIALS as B
from statsbridge.simulator.tenants import TENANTS
from tests.connections.helpers import connection_for
from tests.support.dashboard_fixtures import threaded_simulator

pytestmark = pytest.mark.django_db(transaction=True)
CHANGELIST = "/admin/dashboard/connection/"


@pytest.fixture(scope="module")
def brand_b_url() -> Iterator[str]:
    # No publish rate: the suite's simulators keep the peak's arrivals at any hour
    # (SIMULATOR_DAY_SHAPE=flat, tests/conftest.py) and the test watches a periodical statistic.
    with threaded_simulator(**TENANTS["brand-b"].simulator_options()) as simulator:
        yield simulator.base_url


def form(**fields: str) -> dict:
    base = {"name": "brand-b", "enabled": "on", "base_url": "http://127.0.0.1:1", "client_id": B.client_id}
    return {**base, **fields}


def test_secrets_are_write_only(staff: Client) -> None:
    response = staff.post(
        CHANGELIST + "add/",
        form(api_key=B.api_key, client_secret=B.client_secret, username=B.username, password=B.password),
    )
    assert response.status_code == 302, response.content[:2000]
    row = Connection.objects.get()
    assert (row.api_key, row.client_secret, row.password) == (B.api_key, B.client_secret, B.password)

    page = staff.get(f"{CHANGELIST}{row.pk}/change/").content.decode()
    for secret in (B.api_key, B.client_secret, B.password):
        assert secret not in page
    assert "api key set" in page and "client secret set" in page

    kept = staff.post(f"{CHANGELIST}{row.pk}/change/", form(api_key="", client_secret="", username=B.username))
    assert kept.status_code == 302
    row.refresh_from_db()
    assert (row.api_key, row.client_secret, row.password) == (B.api_key, B.client_secret, B.password)
    staff.post(f"{CHANGELIST}{row.pk}/change/", form(api_key="new-key", username=B.username))
    row.refresh_from_db()
    assert row.api_key == "new-key" and row.client_secret == B.client_secret


def test_a_new_connection_needs_its_secrets_and_may_not_be_named_default(staff: Client) -> None:
    errors = staff.post(CHANGELIST + "add/", form(name="default")).context["adminform"].form.errors
    assert "name" in errors and "api_key" in errors and "client_secret" in errors
    assert not Connection.objects.exists()


def test_the_test_action_runs_the_preflight_for_that_connection(staff: Client, brand_b_url: str) -> None:
    good = connection_for("brand-b", brand_b_url, B)
    wrong = connection_for("brand-c", brand_b_url, B, api_key=A.api_key)
    state = {"name": "CurrentAgentState", "objectType": "Agent", "connection": "brand-b"}
    stats = [{**state, "objectId": f"agent{n}"} for n in range(501, 521)]
    widget = {"type": "agent-grid", "title": "B", "statistics": stats}
    # A periodical statistic (every second, changed or not) among the watched: the action's
    # 30 s wait then never hangs on brand-b's few agents changing state (they may not for
    # 40 s after a start, at any hour), and no test-only publish rate is needed.
    periodic = {**state, "name": "TimeInCurrentState", "objectId": "agent501"}
    kpi = {"type": "kpi", "title": "B time", "statistics": [periodic]}
    import_dashboards({"dashboards": [{"slug": "b", "title": "B", "widgets": [kpi, widget]}], "wallboards": []})

    response = staff.post(CHANGELIST, {"action": "test_connection", "_selected_action": [good.pk, wrong.pk]})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert "brand-b: every step passed" in said
    assert "brand-c: failed" in said
    assert any(m.startswith("brand-c: ✗ API key accepted") for m in said)
    assert not [m for m in said for s in (A.api_key, B.api_key, B.client_secret, B.password) if s in m]


def test_the_test_action_tells_a_quiet_tenant_from_a_held_long_poll(staff: Client) -> None:
    """A tenant with no callers (a flat day at share 0) and the upstream's own 20 s
    long-poll hold: the action waits past the hold, sees the held poll come back empty and
    says the CometD link works, instead of "the long poll did not come back" (its old 15 s)."""
    queue = {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "connection": "brand-q"}
    options = {**TENANTS["brand-b"].simulator_options(), "day_shape": "flat:0"}  # the default 20 s hold
    with threaded_simulator(**options) as simulator:
        quiet = connection_for("brand-q", simulator.base_url, B)
        widget = {"type": "bar", "title": "Waiting", "statistics": [{**queue, "objectId": "9001@SIP_Switch"}]}
        import_dashboards({"dashboards": [{"slug": "q", "title": "Q", "widgets": [widget]}], "wallboards": []})
        response = staff.post(CHANGELIST, {"action": "test_connection", "_selected_action": [quiet.pk]})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert "brand-q: failed" in said, said
    last = said[-1]
    assert last.startswith("brand-q: ✗ notification received: the tenant published nothing in"), last
    assert "the CometD link works" in last and "did not come back" not in last, last


def test_disabling_takes_a_connection_out_of_the_bridges_configs(staff: Client) -> None:
    row = connection_for("brand-b", "http://127.0.0.1:1", B)
    assert "brand-b" in connection_configs()
    staff.post(CHANGELIST, {"action": "disable", "_selected_action": [row.pk]})
    assert "brand-b" not in connection_configs() and not Connection.objects.get().enabled
    staff.post(CHANGELIST, {"action": "enable", "_selected_action": [row.pk]})
    assert "brand-b" in connection_configs()


def signed_in_upstream(authorize_url: str, creds: SimulatorCredentials) -> str:
    """What the admin does on the tenant's own sign-in page; returns our callback URL."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    response = httpx.post(
        authorize_url.split("?")[0], data={**params, "username": creds.username, "password": creds.password}
    )
    assert response.status_code == 302, response.text
    callback = urlsplit(response.headers["location"])
    return callback.path + "?" + callback.query


def test_each_connection_has_its_own_authorization_code_grant(staff: Client, upstream: str, brand_b_url: str) -> None:
    connection_for("brand-b", brand_b_url, B, username="", password="")
    start = staff.get("/admin/connect-genesys/start/?connection=brand-b")
    assert start.status_code == 302 and start["Location"].startswith(brand_b_url + "/auth/v3/oauth/authorize?")
    assert f"client_id={B.client_id}" in start["Location"]
    done = staff.get(signed_in_upstream(start["Location"], B), follow=True)
    assert "Connected to Genesys" in done.content.decode() and "brand-b" in done.content.decode()
    b_token = _load("brand-b")
    assert b_token and b_token not in done.content.decode()
    assert _load() is None  # default's is its own

    start = staff.get("/admin/connect-genesys/start/")  # default: the environment's (the simulator)
    assert start["Location"].startswith(upstream + "/auth/v3/oauth/authorize?")
    staff.get(signed_in_upstream(start["Location"], A))
    assert _load() and _load() != b_token and _load("brand-b") == b_token
    assert UpstreamAuthorization.objects.count() == 2


def test_the_check_and_connect_pages_take_the_connection(staff: Client, brand_b_url: str) -> None:
    connection_for("brand-b", brand_b_url, B)
    for path in ("/admin/connect-genesys/", "/admin/check-connection/"):
        page = staff.get(path + "?connection=brand-b")
        assert page.status_code == 200 and brand_b_url in page.content.decode()
        assert staff.get(path + "?connection=nope").status_code == 404


def test_testing_statistics_asks_each_its_own_connection(staff: Client, upstream: str, brand_b_url: str) -> None:
    from dashboard.boards.models import Statistic

    brand_b = connection_for("brand-b", brand_b_url, B)
    theirs = Statistic.objects.create(
        name="CurrentNumberWaitingCalls", object_type="Queue", object_id="9001@SIP_Switch", connection=brand_b
    )
    lost = Statistic.objects.create(name="CurrentNumberWaitingCalls", object_type="Queue", object_id="9001@SIP_Switch")
    response = staff.post(
        "/admin/dashboard/statistic/", {"action": "peek_statistics", "_selected_action": [theirs.pk, lost.pk]}
    )
    said = sorted(str(m) for m in get_messages(response.wsgi_request))
    assert len(said) == 2
    assert [m for m in said if " = " in m] and [m for m in said if "refused" in m]  # brand-b has 9001, default not
