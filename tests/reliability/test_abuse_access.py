"""Abuse rows 12 and 14 of issue #7: who may open a dashboard socket or page, and who
loses a socket already open (sign-out, a disabled user). Rows 11 and 13 (foreign
origins; oversized and flooding sockets) are in tests/realtime/test_consumer.py.

Sockets go through the real ASGI stack (Origin check, session cookie, consumer) in
process, which lets these tests expire sessions and rotate keys directly. Every row is
also proven against a real `rundashboard` over real sockets: test_abuse_sockets.py.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.utils import timezone

from dashboard.access.models import WallboardToken
from dashboard.access.policy import SALT, issue_token
from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.models import Dashboard, Wallboard, WallboardPage
from dashboard.project.asgi import application
from tests.reliability.helpers import figure

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1")


# -- row 12: sockets and pages refuse whoever has no right to them -------------------------


@pytest.fixture
def floor() -> Wallboard:
    ensure_demo_content()
    return Wallboard.objects.get(slug="floor")


@pytest.fixture
def lobby(floor: Wallboard) -> Wallboard:
    """A second wallboard showing only the service-level dashboard."""
    lobby = Wallboard.objects.create(slug="lobby", title="Lobby")
    WallboardPage.objects.create(wallboard=lobby, dashboard=Dashboard.objects.get(slug="service-level"))
    return lobby


async def socket_opens(path: str, session_key: str | None = None) -> bool:
    headers = [ORIGIN] + ([(b"cookie", f"sessionid={session_key}".encode())] if session_key else [])
    ws = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await ws.connect(timeout=10)
    if connected:
        await ws.disconnect()
    return connected


def signed_in_session(username: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


async def test_a_socket_without_a_session_or_with_a_dead_one_is_refused(floor: Wallboard) -> None:
    key = await sync_to_async(signed_in_session)("supervisor")
    assert await socket_opens("/ws/dashboards/agents/", key)  # the control: a live session opens it
    assert not await socket_opens("/ws/dashboards/agents/")
    assert not await socket_opens("/ws/dashboards/agents/", "not-a-session-we-made")
    await sync_to_async(Session.objects.filter(session_key=key).update)(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert not await socket_opens("/ws/dashboards/agents/", key)


async def test_a_socket_with_a_revoked_foreign_forged_or_orphaned_token_is_refused(
    floor: Wallboard, lobby: Wallboard
) -> None:
    floor_token, lobby_token = [await sync_to_async(issue_token)(w) for w in (floor, lobby)]
    revoked = await sync_to_async(issue_token)(floor, "revoked")
    assert await socket_opens(f"/ws/dashboards/agents/?token={floor_token}")  # the controls
    assert await socket_opens(f"/ws/dashboards/service-level/?token={lobby_token}")
    await sync_to_async(WallboardToken.objects.filter(label="revoked").update)(revoked=timezone.now())
    row_id = signing.loads(floor_token, salt=SALT)["t"]
    # Kiosk tokens do not expire by design (access.py): they die by revocation, by a new
    # SECRET_KEY (all at once), or with their wallboard.
    old_key = signing.dumps({"w": "floor", "t": row_id}, key="the-secret-key-before-rotation", salt=SALT, compress=True)
    for token in [revoked, lobby_token, old_key, floor_token[:-4] + "AAAA", "", "null"]:
        assert not await socket_opens(f"/ws/dashboards/agents/?token={token}"), token
    await sync_to_async(lobby.delete)()
    assert not await socket_opens(f"/ws/dashboards/service-level/?token={lobby_token}")


def test_a_wallboard_token_opens_no_admin_or_supervisor_page(
    client: Client, floor: Wallboard, lobby: Wallboard
) -> None:
    token = issue_token(floor)
    assert client.get(f"/wallboards/floor/?token={token}").status_code == 200
    assert client.get(f"/wallboards/lobby/?token={token}").status_code == 403  # not its wallboard
    assert "sessionid" not in client.cookies  # showing a wallboard signs nobody in
    for path in [
        "/",
        "/dashboards/agents/",
        "/admin/",
        "/admin/dashboard/wallboard/",
        "/admin/dashboard/wallboardtoken/",
        "/admin/connect-genesys/",
        "/admin/connect-genesys/start/",
        "/admin/check-connection/",
    ]:
        response = client.get(path, {"token": token})
        assert response.status_code == 302, path
        assert "/login/" in response["Location"], path


# -- row 14: sign-out and a disabled user end the sockets already open ---------------------

SOCKET_LOSS_BOUND_S = 30.0


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


async def open_socket(path: str, client: Client) -> WebsocketCommunicator:
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    ws = WebsocketCommunicator(application, path, headers=[ORIGIN, cookie])
    assert (await ws.connect(timeout=10))[0]
    return ws


async def closed_after(ws: WebsocketCommunicator, since: float) -> tuple[int, float]:
    """The close code of `ws` and its time since `since` (no bridge runs: no frames)."""
    output = await ws.receive_output(timeout=SOCKET_LOSS_BOUND_S + 30)
    assert output["type"] == "websocket.close", output
    return output["code"], time.monotonic() - since


async def test_signing_out_or_being_disabled_closes_open_sockets_within_30_s(floor: Wallboard) -> None:
    """At the consumer's own re-check period (no patching): the sign-out of one session
    ends its sockets, not those of the same user's other session."""
    await sync_to_async(User.objects.create_user)("deputy", password="deputy-password", is_superuser=True)
    leaving, staying, deputy = [await sync_to_async(signed_in)(name) for name in ("supervisor", "supervisor", "deputy")]
    sockets = [await open_socket("/ws/dashboards/agents/", c) for c in (leaving, staying, deputy)]
    await sync_to_async(leaving.post)("/accounts/logout/")
    await sync_to_async(User.objects.filter(username="deputy").update)(is_active=False)
    since = time.monotonic()
    (signed_out, took_out), (disabled, took_disabled) = await asyncio.gather(
        closed_after(sockets[0], since), closed_after(sockets[2], since)
    )
    figure("row 14: socket closed after sign-out / after disabling (s)", (round(took_out, 1), round(took_disabled, 1)))
    assert (signed_out, disabled) == (4401, 4401)
    assert took_out <= SOCKET_LOSS_BOUND_S and took_disabled <= SOCKET_LOSS_BOUND_S
    assert await sockets[1].receive_nothing(timeout=2)  # re-checked at the same moment: still open
    await sockets[1].disconnect()
