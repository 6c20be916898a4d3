"""The socket auth stack skips the user lookup only where there is no session: a
session cookie still signs the socket in (dashboard/realtime/auth_stack.py)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client

from dashboard.boards.demo import ensure_demo_content
from dashboard.project.asgi import application
from tests.realtime.test_consumer import ORIGIN

pytestmark = pytest.mark.django_db(transaction=True)


async def opens(cookie: str | None) -> bool:
    headers = [ORIGIN] + ([(b"cookie", cookie.encode())] if cookie else [])
    ws = WebsocketCommunicator(application, "/ws/dashboards/agents/", headers=headers)
    connected, _ = await ws.connect()
    await ws.disconnect()
    return connected


async def test_a_session_cookie_signs_the_socket_in_and_no_or_an_unknown_one_does_not() -> None:
    await sync_to_async(ensure_demo_content)()
    client = Client()
    await sync_to_async(client.force_login)(await sync_to_async(User.objects.get)(username="supervisor"))
    session = client.cookies["sessionid"].value
    assert await opens(f"sessionid={session}")
    assert not await opens(None)
    assert not await opens("sessionid=" + "x" * 32)
    await sync_to_async(client.logout)()
    assert not await opens(f"sessionid={session}"), "a signed-out session still opened a socket"
