"""`check_genesys --connection NAME` against two simulated tenants over real sockets:
each connection is checked with its own row (URL, key, client, account), the one
configured with the other tenant's key fails at the key, `default` stays the
environment's, and no secret of either is printed."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dashboard.boards.files import import_dashboards
from dashboard.connections.models import Connection
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as A
from statsbridge.simulator.tenants import BRAND_B_CREDENTIALS as B
from statsbridge.simulator.tenants import TENANTS
from tests.connections.helpers import connection_for
from tests.support.dashboard_fixtures import threaded_simulator

pytestmark = pytest.mark.django_db(transaction=True)  # the check reads rows from worker threads
SECRETS = [A.api_key, A.client_secret, A.password, B.api_key, B.client_secret, B.password]


@pytest.fixture(scope="module")
def brand_b_url() -> Iterator[str]:
    # No publish rate: the suite's simulators keep the peak's arrivals at any hour
    # (SIMULATOR_DAY_SHAPE=flat, tests/conftest.py), and the dashboard below watches a
    # periodical statistic.
    with threaded_simulator(**TENANTS["brand-b"].simulator_options()) as simulator:
        yield simulator.base_url


@pytest.fixture
def two_tenants(simulator_url: str, brand_b_url: str, settings: object) -> tuple[str, str]:
    """default = the environment's simulator; brand-b its own; brand-c brand-b's URL
    with the default tenant's (wrong) key; one dashboard mixing both."""
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": simulator_url}  # type: ignore[attr-defined]
    connection_for("brand-b", brand_b_url, B)
    connection_for("brand-c", brand_b_url, B, api_key=A.api_key)
    stat = {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "unit": "count"}
    widget = {
        "type": "bar",
        "title": "Waiting",
        "statistics": [
            {**stat, "objectId": "8001@SIP_Switch"},
            {**stat, "objectId": "9001@SIP_Switch", "connection": "brand-b"},
        ],
    }
    # brand-b's agents (agent501...). They may not change for 40 s after a start, at any hour
    # (20 agents on calls of minutes): the periodical TimeInCurrentState (every second,
    # changed or not) is watched too, so the check's notification never hangs on them.
    state = {"name": "CurrentAgentState", "objectType": "Agent", "unit": "count", "connection": "brand-b"}
    periodic = {**state, "name": "TimeInCurrentState", "objectId": "agent501", "unit": "duration"}
    grid = {
        "type": "agent-grid",
        "title": "B agents",
        "statistics": [periodic] + [{**state, "objectId": f"agent{n}"} for n in range(501, 521)],
    }
    mine = [{**state, "objectId": f"agent{n:03d}", "connection": "default"} for n in range(1, 21)]
    grid_a = {"type": "agent-grid", "title": "A agents", "statistics": mine}
    dashboards = [{"slug": "brands", "title": "Brands", "widgets": [widget, grid, grid_a]}]
    import_dashboards({"dashboards": dashboards, "wallboards": []})
    return simulator_url, brand_b_url


def check(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_genesys", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    text = out.getvalue()
    assert not [s for s in SECRETS if s in text], "a secret was printed"
    return code, text


def test_each_connection_is_checked_against_its_own_tenant(two_tenants: tuple[str, str]) -> None:
    code, text = check("--connection", "brand-b")
    assert code == 0, text
    assert all(line.startswith("✓ ") for line in text.splitlines()), text
    code, text = check()  # omitted: default, the environment's simulator
    assert code == 0, text


def test_the_connection_with_the_other_tenants_key_fails_at_the_key(two_tenants: tuple[str, str]) -> None:
    code, text = check("--connection", "brand-c")
    assert code == 1
    steps = {line[2:].split(": ", 1)[0]: line for line in text.splitlines()}
    assert steps["base URL reachable"].startswith("✓ ")
    assert steps["API key accepted"].startswith("✗ ") and "403" in steps["API key accepted"]
    assert "the API key of connection 'brand-c'" in text and "GENESYS_API_KEY" not in text
    assert steps["token"] == "- token: skipped"


def test_a_disabled_connection_can_still_be_checked_before_enabling_it(two_tenants: tuple[str, str]) -> None:
    Connection.objects.filter(name="brand-b").update(enabled=False)
    code, text = check("--connection", "brand-b", "--json")
    assert code == 0 and '"ok": true' in text


def test_an_unknown_connection_names_the_known_ones(two_tenants: tuple[str, str]) -> None:
    with pytest.raises(CommandError, match=r"no connection named 'brand-z' \(known: default, brand-b, brand-c\)"):
        check("--connection", "brand-z")


def test_the_embedded_demos_second_tenant_is_checked_against_a_hosted_one(settings: object) -> None:
    """No upstream configured: `--connection brand-b` hosts the demo's second tenant for the
    check, as `rundashboard` hosts it (the row's URL is the last run's). The hosted simulator
    follows SIMULATOR_DAY_SHAPE (flat in tests, tests/conftest.py), as every host does, so
    the run is the same at any hour, with no test-only publish rate. A fresh brand-b is calm:
    its demo statistics (waiting calls, agent states) first change 39 s after the start, past
    the check's 30 s; the hosted simulator is warmed up (embedded_hosting.HOSTED_WARM_UP_SECONDS)."""
    from dashboard.boards.demo import ensure_demo_content

    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": None}  # type: ignore[attr-defined]
    assert "connection brand-b" in ensure_demo_content(logins=False)
    code, text = check("--connection", "brand-b")
    assert code == 0, text


def test_a_quiet_tenant_is_reported_as_quiet_after_the_wait_given() -> None:
    """brand-b with no callers (a flat day at share 0, as a night with nobody calling): its
    queues' waiting-call counts never change. The step fails, saying the tenant published
    nothing in the `--notification-wait` given, not that the link is broken."""
    queue = {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "connection": "brand-q"}
    options = {**TENANTS["brand-b"].simulator_options(), "day_shape": "flat:0", "connect_timeout_ms": 1000}
    with threaded_simulator(**options) as simulator:
        connection_for("brand-q", simulator.base_url, B)
        statistics = [{**queue, "objectId": f"{n}@SIP_Switch"} for n in range(9001, 9005)]
        widget = {"type": "bar", "title": "Waiting", "statistics": statistics}
        import_dashboards({"dashboards": [{"slug": "quiet", "title": "Quiet", "widgets": [widget]}], "wallboards": []})
        code, text = check("--connection", "brand-q", "--notification-wait", "4")
    assert code == 1, text
    last = text.splitlines()[-1]
    assert last.startswith("✗ notification received: the tenant published nothing in 4 s"), text
    assert "quiet center" in last and "proxy" not in last, text
    with pytest.raises(CommandError, match="from 1 to 3600"):
        check("--notification-wait", "0")
