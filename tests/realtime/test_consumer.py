"""The dashboard WebSocket with WebsocketCommunicator, fed by a real bridge that talks
to a real simulator over loopback, through the real (in-memory) channel layer."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User

from dashboard.access.policy import issue_token
from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.models import Dashboard, Wallboard
from dashboard.project.asgi import application
from dashboard.realtime.close_codes import RATE_LIMITED, TOO_BIG

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1")


async def communicator_for(
    path: str,
    user: User | None = None,
    origin: tuple | None = ORIGIN,
) -> WebsocketCommunicator:
    headers = [origin] if origin else []
    communicator = WebsocketCommunicator(application, path, headers=headers)
    if user is not None:
        communicator.scope["user"] = user  # what AuthMiddlewareStack puts there from the session
    return communicator


async def supervisor() -> User:
    return await sync_to_async(User.objects.get)(username="supervisor")


async def test_socket_gets_snapshot_then_updates_with_upstream_timestamps(bridge_and_simulator) -> None:  # type: ignore[no-untyped-def]
    ws = await communicator_for("/ws/dashboards/agents/", await supervisor())
    connected, _ = await ws.connect()
    assert connected
    first = await ws.receive_json_from(timeout=10)
    while first["type"] == "bridge":
        first = await ws.receive_json_from(timeout=10)
    assert first["type"] == "snapshot" and first["dashboard"] == "agents"
    assert set(first["bridge"]) == {"type", "state", "since", "detail"}
    update = await ws.receive_json_from(timeout=15)
    while update["type"] != "update":
        update = await ws.receive_json_from(timeout=15)
    stat = update["statistics"][0]
    assert set(stat) >= {"id", "value", "raw", "timestamp"} and stat["timestamp"] > 1_600_000_000_000
    await ws.disconnect()


async def test_snapshot_holds_values_once_the_bridge_has_them(bridge_and_simulator) -> None:  # type: ignore[no-untyped-def]
    user = await supervisor()
    for _ in range(50):
        ws = await communicator_for("/ws/dashboards/agents/", user)
        await ws.connect()
        message = await ws.receive_json_from(timeout=10)
        while message["type"] != "snapshot":
            message = await ws.receive_json_from(timeout=10)
        await ws.disconnect()
        if message["statistics"]:
            break
        await asyncio.sleep(0.2)
    assert message["statistics"], "the snapshot never carried values"
    drawn = await sync_to_async(drawn_over_time)("agents")
    assert drawn, "the demo's agents dashboard has a chart"
    with_history = {s["id"] for s in message["statistics"] if "history" in s}
    assert with_history == drawn & {s["id"] for s in message["statistics"]}  # agent states keep none


def drawn_over_time(slug: str) -> set[str]:
    """Keys of the statistics some widget of `slug` draws over time (line, kpi)."""
    from dashboard.boards.figures import DRAWS_HISTORY
    from dashboard.boards.models import WidgetStatistic

    rows = WidgetStatistic.objects.filter(widget__dashboard__slug=slug, widget__kind__in=DRAWS_HISTORY)
    return {row.statistic.key for row in rows.select_related("statistic")}


@pytest.mark.parametrize("origin", [(b"origin", b"http://evil.example"), (b"origin", b"null"), None])
async def test_foreign_null_or_missing_origin_is_refused(origin) -> None:  # type: ignore[no-untyped-def]
    await sync_to_async(ensure_demo_content)()
    ws = await communicator_for("/ws/dashboards/agents/", await supervisor(), origin=origin)
    connected, _ = await ws.connect()
    assert not connected


async def test_anonymous_and_outsiders_are_refused() -> None:
    await sync_to_async(ensure_demo_content)()
    from django.contrib.auth.models import AnonymousUser

    ws = await communicator_for("/ws/dashboards/agents/", AnonymousUser())
    assert not (await ws.connect())[0]
    outsider = await sync_to_async(User.objects.create_user)("outsider", password="x-x-x-x-1")
    ws = await communicator_for("/ws/dashboards/agents/", outsider)
    assert not (await ws.connect())[0]


async def test_wallboard_tokens_open_only_their_wallboards_dashboards() -> None:
    await sync_to_async(ensure_demo_content)()
    floor = await sync_to_async(Wallboard.objects.get)(slug="floor")
    token = await sync_to_async(issue_token)(floor)
    from django.contrib.auth.models import AnonymousUser

    ws = await communicator_for(f"/ws/dashboards/queues/?token={token}", AnonymousUser())
    assert (await ws.connect())[0]
    await ws.disconnect()
    lonely = await sync_to_async(Dashboard.objects.create)(slug="private", title="Private")
    ws = await communicator_for(f"/ws/dashboards/{lonely.slug}/?token={token}", AnonymousUser())
    assert not (await ws.connect())[0]
    ws = await communicator_for(f"/ws/dashboards/queues/?token={token[:-3]}abc", AnonymousUser())
    assert not (await ws.connect())[0]


async def close_code(ws: WebsocketCommunicator) -> int:
    for _ in range(500):
        output = await ws.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output["code"]
    raise AssertionError("the socket was never closed")


# Over the real server (daphne, autobahn), with the close codes a client receives:
# tests/reliability/test_abuse_sockets.py. Here, the consumer alone.


async def test_oversized_inbound_frame_closes_the_socket_with_4009() -> None:
    await sync_to_async(ensure_demo_content)()
    ws = await communicator_for("/ws/dashboards/agents/", await supervisor())
    await ws.connect()
    await ws.send_to(text_data="x" * 10_000)
    assert await close_code(ws) == TOO_BIG


async def test_flooding_socket_is_closed_with_4008_once() -> None:
    await sync_to_async(ensure_demo_content)()
    ws = await communicator_for("/ws/dashboards/agents/", await supervisor())
    await ws.connect()
    for _ in range(100):
        await ws.send_to(text_data='{"type":"ping"}')
    assert await close_code(ws) == RATE_LIMITED
    assert await ws.receive_nothing(timeout=1)  # what followed was ignored: no second close


async def test_disabled_users_and_revoked_tokens_lose_their_sockets(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    import dashboard.access.watcher
    from dashboard.access.models import WallboardToken

    monkeypatch.setattr(dashboard.access.watcher, "RECHECK_SECONDS", 0.2)
    await sync_to_async(ensure_demo_content)()
    user = await supervisor()
    ws = await communicator_for("/ws/dashboards/agents/", user)
    assert (await ws.connect())[0]
    await sync_to_async(User.objects.filter(pk=user.pk).update)(is_active=False)
    assert await close_code(ws) == 4401
    floor = await sync_to_async(Wallboard.objects.get)(slug="floor")
    token = await sync_to_async(issue_token)(floor)
    kiosk = await communicator_for(f"/ws/dashboards/queues/?token={token}", AnonymousUser())
    assert (await kiosk.connect())[0]
    await sync_to_async(WallboardToken.objects.update)(revoked=timezone.now())
    assert await close_code(kiosk) == 4401


def test_a_signed_out_session_is_no_longer_allowed(client) -> None:  # type: ignore[no-untyped-def]
    from dashboard.access.policy import access_for, still_allowed

    ensure_demo_content()
    user = User.objects.get(username="supervisor")
    client.force_login(user)
    key = client.session.session_key
    access = access_for(user, None, "agents")
    assert access is not None and still_allowed(access, key, None)
    client.post("/accounts/logout/")
    assert not still_allowed(access, key, None)
