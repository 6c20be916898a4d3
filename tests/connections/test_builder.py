"""The builder's picker and connections: the catalog offers the connections the editor
may see, and "test this statistic" peeks the statistic's own tenant. (Drafts are dashboard
file entries: the connection travels as in tests/connections/test_files.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from dashboard.connections.models import Connection
from statsbridge.simulator.tenants import BRAND_B_CREDENTIALS as B
from statsbridge.simulator.tenants import TENANTS
from tests.connections.helpers import connection_for
from tests.support.dashboard_fixtures import threaded_simulator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def brand_b_url() -> Iterator[str]:
    with threaded_simulator(**TENANTS["brand-b"].simulator_options()) as simulator:
        yield simulator.base_url


def editor(client: Client, *groups: Group) -> Client:
    user = User.objects.create(username="editor")
    user.user_permissions.add(Permission.objects.get(codename="edit_dashboards"))
    user.groups.add(*groups)
    client.force_login(user)
    return client


def test_the_catalog_offers_the_connections_the_editor_may_see(client: Client) -> None:
    brand_b_people = Group.objects.create(name="Brand B")
    connection_for("brand-b", "http://127.0.0.1:1", B).groups.add(brand_b_people)
    connection_for("brand-c", "http://127.0.0.1:1", B)  # no groups: everyone
    outsider = editor(client)
    assert outsider.get("/builder/catalog").json()["connections"] == ["default", "brand-c"]
    User.objects.get(username="editor").groups.add(brand_b_people)
    assert outsider.get("/builder/catalog").json()["connections"] == ["default", "brand-b", "brand-c"]


def peek(client: Client, body: dict) -> dict:
    return client.post("/builder/peek", json.dumps(body), content_type="application/json").json()


def test_test_this_statistic_asks_the_statistics_own_tenant(staff: Client, upstream: str, brand_b_url: str) -> None:
    connection_for("brand-b", brand_b_url, B)
    b_queue = {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": "9001@SIP_Switch"}
    assert peek(staff, {**b_queue, "connection": "brand-b"})["ok"] is True
    refused = peek(staff, b_queue)  # default's tenant has no such queue
    assert refused["ok"] is False and "refused" in refused["error"]
    assert peek(staff, {**b_queue, "connection": "nope"}) == {"ok": False, "error": "unknown connection 'nope'"}
    assert not Connection.objects.filter(name="nope").exists()
