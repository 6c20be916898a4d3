"""Access limited per connection, proven on a real `rundashboard` (the embedded default,
whose demo has the second connection `brand-b` and the `brands` dashboard mixing both)
over real sockets: a supervisor outside brand-b's groups can neither open the mixed
dashboard's page nor its socket, and still opens the rest; one inside can, and loses the
open socket when taken out of the group. The demo's second tenant really runs, and no
secret of it reaches a page or the server's log."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from dashboard.realtime.close_codes import ACCESS_ENDED
from statsbridge.simulator.tenants import BRAND_B_CREDENTIALS as B
from tests.support.live_server import faults_since, open_and_send, run_in_server, sign_in
from tests.support.processes import ManagedProcess, running_dashboard

SETUP = """
import json
from django.contrib.auth.models import Group, User
from dashboard.models import Connection
brand_b = Group.objects.create(name="Brand B supervisors")
Connection.objects.get(name="brand-b").groups.add(brand_b)
supervisors = Group.objects.get(name="Supervisors")
alice = User.objects.create_user("alice", password="alice-password-1")
alice.groups.add(supervisors)
bob = User.objects.create_user("bob", password="bob-password-1")
bob.groups.add(supervisors, brand_b)
print(json.dumps({"brand_b_url": Connection.objects.get(name="brand-b").base_url}))
"""
TAKE_BOB_OUT = """
from django.contrib.auth.models import Group, User
User.objects.get(username="bob").groups.remove(Group.objects.get(name="Brand B supervisors"))
print("{}")
"""


@pytest.fixture(scope="module")
def server() -> Iterator[ManagedProcess]:
    with running_dashboard("connections-access-") as server:
        server.extra.update(run_in_server(server, SETUP))
        yield server


def session_of(client: httpx.Client) -> str:
    return client.cookies["sessionid"]


def test_the_demo_runs_brand_b_as_its_own_tenant(server: ManagedProcess) -> None:
    objects = httpx.get(server.extra["brand_b_url"] + "/simulator/v1/objects", timeout=10).json()
    text = str(objects)
    assert "agent501" in text and "9001@SIP_Switch" in text  # brand-b's own agents and queues
    assert "agent001" not in text and "8001@SIP_Switch" not in text
    assert server.extra["brand_b_url"] != server.extra["url"]


def test_a_supervisor_outside_the_connection_cannot_open_the_mixed_dashboard(server: ManagedProcess) -> None:
    start = len(server.log())
    alice = sign_in(server, "alice", "alice-password-1")
    assert alice.get("/dashboards/queues/").status_code == 200  # the control: default's dashboards open
    assert alice.get("/dashboards/brands/").status_code == 404  # as if it did not exist
    assert "/dashboards/brands/" not in alice.get("/").text
    denied = asyncio.run(open_and_send(server, "/ws/dashboards/brands/", session=session_of(alice), wait_close=2))
    assert not denied.opened and denied.status == 403
    allowed = asyncio.run(open_and_send(server, "/ws/dashboards/queues/", session=session_of(alice), wait_close=2))
    assert allowed.opened and allowed.close_code is None
    assert faults_since(server, start) == []


def test_a_supervisor_inside_opens_it_and_loses_it_when_taken_out(server: ManagedProcess) -> None:
    bob = sign_in(server, "bob", "bob-password-1")
    page = bob.get("/dashboards/brands/")
    assert page.status_code == 200 and "Brand B waiting" in page.text
    for secret in (B.api_key, B.client_secret, B.password):
        assert secret not in page.text

    async def open_then_revoke() -> tuple:
        opened = asyncio.Event()
        socket = asyncio.create_task(
            open_and_send(server, "/ws/dashboards/brands/", session=session_of(bob), wait_close=60, opened=opened)
        )
        await asyncio.wait_for(opened.wait(), 30)
        await asyncio.to_thread(run_in_server, server, TAKE_BOB_OUT)
        return await socket

    outcome = asyncio.run(open_then_revoke())
    assert outcome.opened and outcome.close_code == ACCESS_ENDED  # the watcher re-checked: closed
    assert bob.get("/dashboards/brands/").status_code == 404


def test_no_secret_of_the_second_tenant_in_the_log_or_the_admin(server: ManagedProcess) -> None:
    admin = sign_in(server, "admin", "admin")
    listing = admin.get("/admin/dashboard/connection/")
    assert listing.status_code == 200 and "brand-b" in listing.text
    change = admin.get("/admin/dashboard/connection/?q=brand-b")
    pk = run_in_server(
        server,
        'import json\nfrom dashboard.models import Connection\nprint(json.dumps({"pk": Connection.objects.get(name="brand-b").pk}))',
    )["pk"]
    change = admin.get(f"/admin/dashboard/connection/{pk}/change/")
    assert change.status_code == 200 and "api key set" in change.text
    for secret in (B.api_key, B.client_secret, B.password):
        assert secret not in listing.text and secret not in change.text
        assert secret not in server.log()
