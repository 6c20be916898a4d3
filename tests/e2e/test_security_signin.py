"""Issue 14, security, where users meet it: a real `rundashboard` over HTTP and
WebSockets, and a real Chromium. Sign-in throttling (django-axes), sockets closed by a
password change, names shown as text, /healthz and /metrics access."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import aiohttp
import httpx
import pytest

from dashboard.access.watcher import RECHECK_SECONDS
from tests.reliability.helpers import figure
from tests.support.processes import ROOT, ManagedProcess, start_dashboard

XSS = '<img src=x onerror="document.body.dataset.xss=1">'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    proc = start_dashboard(tmp_path_factory.mktemp("security"), LOGIN_FAILURE_LIMIT="3")
    yield proc
    proc.stop()


def manage(server: ManagedProcess, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server.env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def shell(server: ManagedProcess, code: str) -> str:
    return manage(server, "shell", "-c", code)


def sign_in(
    server: ManagedProcess, username: str, password: str, local_address: str = "127.0.0.1"
) -> tuple[httpx.Response, httpx.Client]:
    """The login form as a browser posts it: GET for the CSRF token, then POST."""
    client = httpx.Client(
        base_url=server.extra["url"], timeout=10, transport=httpx.HTTPTransport(local_address=local_address)
    )
    form = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/accounts/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/"}
    )
    return answer, client


def signed_in(response: httpx.Response) -> bool:
    return response.status_code == 302 and response.headers["location"] == "/"


# -- sign-in throttling -------------------------------------------------------------------


def test_repeated_failures_lock_that_user_out_from_that_address(server: ManagedProcess) -> None:
    shell(
        server,
        "from django.contrib.auth.models import User; User.objects.create_user('target', password='target-password-1')",
    )
    for _ in range(2):  # under the limit (3 here): the usual error
        answer, _ = sign_in(server, "target", "wrong")
        assert answer.status_code == 200 and 'role="alert"' in answer.text
    locked, _ = sign_in(server, "target", "wrong")
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.text
    right_password, _ = sign_in(server, "target", "target-password-1")
    assert right_password.status_code == 429  # even the right password, until the cool-off
    assert signed_in(sign_in(server, "supervisor", "supervisor")[0])  # another user: unaffected
    assert signed_in(sign_in(server, "target", "target-password-1", local_address="127.0.0.2")[0])  # another address
    manage(server, "axes_reset_username", "target")
    assert signed_in(sign_in(server, "target", "target-password-1")[0])  # an admin lifts the lock


# -- a password change ends the sockets of that user's sessions ---------------------------


async def open_socket(
    server: ManagedProcess, client: httpx.Client, session: aiohttp.ClientSession
) -> aiohttp.ClientWebSocketResponse:
    url = server.extra["url"].replace("http://", "ws://") + "/ws/dashboards/agents/"
    ws = await session.ws_connect(
        url, origin=server.extra["url"], headers={"Cookie": f"sessionid={client.cookies['sessionid']}"}
    )
    first = await ws.receive(timeout=30)
    assert json.loads(first.data)["type"] in {"snapshot", "bridge"}, first
    return ws


async def close_code(ws: aiohttp.ClientWebSocketResponse) -> int | None:
    """Read frames until the server closes the socket; its close code."""
    while True:
        message = await ws.receive()
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            return ws.close_code


async def test_a_password_change_closes_open_sockets_within_the_recheck(server: ManagedProcess) -> None:
    await asyncio.to_thread(
        shell,
        server,
        "from django.contrib.auth.models import User; "
        "u = User.objects.create_user('deputy', password='deputy-password-1'); "
        "u.groups.add(*User.objects.get(username='supervisor').groups.all())",
    )
    deputy = (await asyncio.to_thread(sign_in, server, "deputy", "deputy-password-1"))[1]
    other = (await asyncio.to_thread(sign_in, server, "supervisor", "supervisor"))[1]
    async with aiohttp.ClientSession() as session:
        changed, control = await open_socket(server, deputy, session), await open_socket(server, other, session)
        await asyncio.to_thread(
            shell,
            server,
            "from django.contrib.auth.models import User; "
            "u = User.objects.get(username='deputy'); u.set_password('new-password-2'); u.save()",
        )
        since = time.monotonic()
        assert await asyncio.wait_for(close_code(changed), timeout=RECHECK_SECONDS * 3 + 30) == 4401
        figure("socket closed after a password change (s)", round(time.monotonic() - since, 1))
        # the other user's socket went through the same re-check and stays open
        assert not control.closed
        await control.close()


# -- names and values reach the page as text ----------------------------------------------

DASHBOARD_FILE = {
    "dashboards": [
        {
            "slug": "hostile",
            "title": "Hostile",
            "groups": ["Supervisors"],
            "widgets": [
                {
                    "type": "table",
                    "title": XSS,
                    "statistics": [
                        {
                            "label": XSS,
                            "objectType": "GroupAgents",
                            "objectId": "Sales",
                            "definition": {
                                "category": "AverageTime",
                                "subject": "AgentStatus",
                                "mainMask": "CallInbound",
                                "intervalType": "GrowingWindow",
                                "notificationMode": "Periodical",
                                "notificationFrequency": 5,
                            },
                        }
                    ],
                },
                {
                    "type": "agent-grid",
                    "title": "Agents",
                    "statistics": [
                        {"name": "CurrentAgentState", "label": XSS, "objectType": "Agent", "objectId": "agent001"}
                    ],
                },
            ],
        }
    ]
}


@pytest.mark.browser
def test_statistic_labels_with_markup_render_as_text(server: ManagedProcess, page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(DASHBOARD_FILE))
    manage(server, "import_dashboards", str(path))
    page.goto(server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "supervisor")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")
    page.goto(server.extra["url"] + "/dashboards/hostile/")
    page.wait_for_selector("table.queues thead th:nth-child(2)")
    assert page.locator("table.queues thead th").nth(1).inner_text() == XSS
    assert page.locator("table.queues tbody th").first.inner_text() == XSS
    assert page.locator(".agent .name").first.inner_text() == XSS
    assert page.locator("main img").count() == 0
    assert page.evaluate("document.body.dataset.xss") is None


# -- /healthz and /metrics: who sees what -------------------------------------------------


def test_healthz_names_the_upstream_only_to_signed_in_staff(server: ManagedProcess) -> None:
    anonymous = httpx.get(server.extra["url"] + "/healthz", timeout=5).json()
    assert set(anonymous) == {"status", "bridge", "connections"} and "state" in anonymous["bridge"]
    assert "upstream" not in anonymous["connections"]["default"]  # loopback: /metrics' rule
    # Through a proxy an anonymous caller sees how many connections are in each state,
    # never their names (tenants': an outsourcer's clients).
    proxied = httpx.get(server.extra["url"] + "/healthz", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5)
    assert set(proxied.json()) == {"status", "bridge", "connections"}
    states = [entry["state"] for entry in anonymous["connections"].values()]
    assert proxied.json()["connections"] == {state: states.count(state) for state in states}
    shell(
        server,
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('operator', password='operator-password-1', is_staff=True)",
    )
    supervisor = sign_in(server, "supervisor", "supervisor")[1].get("/healthz").json()
    assert "upstream" not in supervisor
    staff = sign_in(server, "operator", "operator-password-1")[1].get("/healthz").json()
    assert staff["upstream"] == f"http://127.0.0.1:{server.extra['simulator_port']}"


def test_metrics_without_a_token_only_for_loopback_clients_not_via_a_proxy(server: ManagedProcess) -> None:
    url = server.extra["url"] + "/metrics"
    assert "statsbridge_updates_in_total" in httpx.get(url, timeout=5).text
    # a proxy on this host connects from 127.0.0.1 too, and says so in a forwarding header
    assert httpx.get(url, headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5).status_code == 403
    assert httpx.get(url, headers={"Forwarded": "for=203.0.113.9"}, timeout=5).status_code == 403
