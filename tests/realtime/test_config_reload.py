"""An admin's edit reaches the pages showing that dashboard (a `config` frame, so an
unattended wallboard reloads), and only those."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from asgiref.sync import sync_to_async
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer

from dashboard.boards import bridge_config
from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.models import Widget
from statsbridge.service import BridgeService, config_from_settings
from statsbridge.simulator.server import Simulator
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


async def agents_and_queues():  # type: ignore[no-untyped-def]
    """A supervisor's sockets on the demo's `agents` and `queues`, each past its snapshot."""
    user = await supervisor()
    sockets = [await communicator_for(f"/ws/dashboards/{slug}/", user) for slug in ("agents", "queues")]
    for ws in sockets:
        assert (await ws.connect())[0]
        assert "snapshot" in [f["type"] for f in await frames_until(ws, "snapshot", 15)]
    return sockets


async def test_editing_a_widget_tells_the_pages_of_its_dashboard_to_reload(bridge_and_simulator) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    agents, queues = await agents_and_queues()
    widget = await sync_to_async(Widget.objects.filter(dashboard__slug="agents").first)()
    widget.title = "Ready now"
    await sync_to_async(widget.save)()
    assert [f for f in await frames_until(agents, "config", 10) if f["type"] == "config"] == [{"type": "config"}]
    assert not [f for f in await frames_until(queues, "config", 2) if f["type"] == "config"]
    for ws in (agents, queues):
        await ws.disconnect()


async def test_a_skills_change_reloads_only_the_drill_downs_of_a_dashboard_drawing_no_skill(  # type: ignore[no-untyped-def]
    bridge_and_simulator,  # noqa: F811
) -> None:
    from dashboard.skills.pages import anotify_skills_changed

    agents, queues = await agents_and_queues()
    await anotify_skills_changed()  # what the skills job sends after a sync that changed something
    assert [f for f in await frames_until(agents, "config", 10) if f["type"] == "config"] == [{"type": "config"}]
    configs = [f for f in await frames_until(queues, "config", 10) if f["type"] == "config"]
    assert configs == [{"type": "config", "drill": True}]  # its page and wallboards stay (socket.js reloadsFor)
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


class FullRequestChannel:
    """The real layer, but the bridge's request channel has no room: `notify_bridge`'s
    message is dropped as a busy bridge's full channel would drop it."""

    def __init__(self, layer) -> None:  # type: ignore[no-untyped-def]
        self.layer = layer

    async def send(self, channel: str, message: dict) -> None:
        if channel == "statsbridge":
            raise ChannelFull(channel)
        await self.layer.send(channel, message)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.layer, name)


@pytest.fixture
async def polling_bridge(settings) -> AsyncIterator[BridgeService]:  # type: ignore[no-untyped-def]
    """The real bridge and simulator, its revision check every second (5 s in production)."""
    await sync_to_async(ensure_demo_content)()
    simulator = Simulator(port=0, connect_timeout_ms=2000)
    await simulator.start()
    service = BridgeService(config_from_settings(simulator.base_url))
    assert service.revision_watch is not None
    service.revision_watch.every = 1.0
    await service.start()
    yield service
    await service.stop()
    await simulator.stop()


async def polls(service: BridgeService, count: int, timeout: float = 20) -> None:
    """Until the revision check has run `count` more times."""
    watch = service.revision_watch
    assert watch is not None
    wanted = watch.checks + count
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while watch.checks < wanted and loop.time() < deadline:
        await asyncio.sleep(0.1)
    assert watch.checks >= wanted


async def test_a_wallboard_edit_whose_notification_is_dropped_still_reaches_its_screens(  # type: ignore[no-untyped-def]
    polling_bridge, monkeypatch
) -> None:
    from dashboard.boards.models import Wallboard

    await polls(polling_bridge, 1)  # the baseline is read
    floor = await sync_to_async(Wallboard.objects.get)(slug="floor")
    slugs = await sync_to_async(lambda: [d.slug for d in floor.pages()])()
    sockets = [await communicator_for(f"/ws/dashboards/{slug}/", await supervisor()) for slug in slugs]
    for ws in sockets:
        assert (await ws.connect())[0]
        assert "snapshot" in [f["type"] for f in await frames_until(ws, "snapshot", 15)]
    layer = get_channel_layer()
    monkeypatch.setattr(bridge_config, "get_channel_layer", lambda: FullRequestChannel(layer))
    dropped = bridge_config.COUNTERS["config_notices_dropped"]
    floor.theme = "light"
    await sync_to_async(floor.save)()
    assert bridge_config.COUNTERS["config_notices_dropped"] > dropped  # counted, not swallowed
    wanted = {"type": "config", "wallboard": "floor"}
    for ws in sockets:
        assert wanted in await wallboard_configs(ws, timeout=20)
    assert polling_bridge.revision_watch is not None
    assert polling_bridge.revision_watch.changes_found >= 1
    for ws in sockets:
        await ws.disconnect()


async def test_a_delivered_notification_is_not_acted_on_twice(polling_bridge) -> None:  # type: ignore[no-untyped-def]
    await polls(polling_bridge, 1)
    ws = await communicator_for("/ws/dashboards/agents/", await supervisor())
    assert (await ws.connect())[0]
    assert "snapshot" in [f["type"] for f in await frames_until(ws, "snapshot", 15)]
    widget = await sync_to_async(Widget.objects.filter(dashboard__slug="agents").first)()
    widget.title = "Told once"
    await sync_to_async(widget.save)()
    seen: list[dict] = []  # the demo content's own notifications may still be on their way
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while {"type": "config"} not in seen and loop.time() < deadline:
        seen += await frames_until(ws, "config", deadline - loop.time())
    assert {"type": "config"} in seen
    await polls(polling_bridge, 3)  # past two checks: a lost one would have been acted on
    assert polling_bridge.revision_watch is not None
    assert polling_bridge.revision_watch.changes_found == 0
    await ws.disconnect()
