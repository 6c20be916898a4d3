"""An admin's edit reaches the pages showing that dashboard (a `config` frame, so an
unattended wallboard reloads), and only those."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async

from dashboard.boards.models import Widget
from tests.realtime.test_consumer import communicator_for, supervisor

pytestmark = pytest.mark.django_db(transaction=True)


async def frames_until(ws, wanted: str, timeout: float) -> list[dict]:  # type: ignore[no-untyped-def]
    """Frames until `wanted` arrives or `timeout` passes (a communicator's own receive
    timeout would cancel the consumer)."""
    seen: list[dict] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await ws.receive_nothing(timeout=0.1):
            continue
        seen.append(await ws.receive_json_from())
        if seen[-1]["type"] == wanted:
            break
    return seen


async def test_editing_a_widget_tells_the_pages_of_its_dashboard_to_reload(bridge_and_simulator) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    user = await supervisor()
    agents = await communicator_for("/ws/dashboards/agents/", user)
    queues = await communicator_for("/ws/dashboards/queues/", user)
    for ws in (agents, queues):
        assert (await ws.connect())[0]
        assert "snapshot" in [f["type"] for f in await frames_until(ws, "snapshot", 15)]
    widget = await sync_to_async(Widget.objects.filter(dashboard__slug="agents").first)()
    widget.title = "Ready now"
    await sync_to_async(widget.save)()
    assert [f for f in await frames_until(agents, "config", 10) if f["type"] == "config"] == [{"type": "config"}]
    assert not [f for f in await frames_until(queues, "config", 2) if f["type"] == "config"]
    for ws in (agents, queues):
        await ws.disconnect()


async def test_editing_a_wallboard_tells_its_screens_to_reload(bridge_and_simulator) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from dashboard.boards.models import Wallboard, WallboardPage

    floor = await sync_to_async(Wallboard.objects.get)(slug="floor")
    slugs = await sync_to_async(lambda: [d.slug for d in floor.pages()])()
    sockets = [await communicator_for(f"/ws/dashboards/{slug}/", await supervisor()) for slug in slugs]
    for ws in sockets:
        assert (await ws.connect())[0]
        assert "snapshot" in [f["type"] for f in await frames_until(ws, "snapshot", 15)]
    floor.rotate_seconds = 12
    await sync_to_async(floor.save)()
    wanted = {"type": "config", "wallboard": "floor"}
    for ws in sockets:
        assert wanted in await wallboard_configs(ws)
    page = await sync_to_async(WallboardPage.objects.filter(wallboard=floor).last)()
    await sync_to_async(page.delete)()  # the removed page's socket is told too
    assert wanted in await wallboard_configs(sockets[-1])
    for ws in sockets:
        await ws.disconnect()


async def wallboard_configs(ws, timeout: float = 10) -> list[dict]:  # type: ignore[no-untyped-def]
    """Config frames until one naming a wallboard arrives (a plain one may come first:
    the skills job or the demo content may have changed something at start)."""
    configs: list[dict] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline and not any("wallboard" in f for f in configs):
        configs += [f for f in await frames_until(ws, "config", deadline - loop.time()) if f["type"] == "config"]
    return configs
