"""A reused snapshot is complete for the socket that gets it, whatever the clocks of the
web and bridge hosts say: the bridge side is a real BridgeService answering over the
real (in-memory) layer; the sockets are real consumers with their relay."""

from __future__ import annotations

import time
import types

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import User

from dashboard.boards.demo import ensure_demo_content
from dashboard.realtime import consumer as consumers
from dashboard.realtime import relay_copy
from statsbridge.desired import DesiredSet, descriptor_of
from statsbridge.service import REQUEST_CHANNEL, BridgeService, config_from_settings
from statsbridge.values import Normalised
from tests.realtime.test_consumer import communicator_for

pytestmark = pytest.mark.django_db(transaction=True)
T0 = 1_700_000_000_000


async def connect_and_answer(service: BridgeService):  # type: ignore[no-untyped-def]
    ws = await communicator_for("/ws/dashboards/agents/", await sync_to_async(User.objects.get)(username="supervisor"))
    assert (await ws.connect())[0]
    request = await get_channel_layer().receive(REQUEST_CHANNEL)
    await service.handle_request(request)
    snapshot = await ws.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot"
    return ws, {s["id"]: s["value"] for s in snapshot["statistics"]}


async def test_a_socket_joining_after_a_newer_update_gets_a_snapshot_with_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(relay_copy, "MAX_AGE_S", -1.0)  # the bridge's reuse, not the relay's own copy
    monkeypatch.setattr(relay_copy, "REFRESH_S", 1e9)
    await sync_to_async(ensure_demo_content)()
    await get_channel_layer().flush()
    service = BridgeService(config_from_settings("http://127.0.0.1:9"))  # never started: no upstream
    desired = DesiredSet()
    key = desired.add("agents", descriptor_of(object_type="Queue", object_id="q", name="CurrentNumberWaitingCalls"))
    service.bridge.desired = desired
    service.bridge.store.update(key, Normalised(1), 1, T0 + 1)
    first, values = await connect_and_answer(service)
    assert values == {key: 1}
    stat = service.bridge.store.update(key, Normalised(2), 2, T0 + 2)
    await service.fanout.send_updates([stat], desired.routes)
    assert (await first.receive_json_from(timeout=5))["statistics"][0]["value"] == 2
    # This web host's clock runs a second behind the bridge's (NTP not yet synced).
    skewed = types.SimpleNamespace(**{**vars(time), "time": lambda: time.time() - 1.0})
    monkeypatch.setattr(consumers, "time", skewed)
    second, values = await connect_and_answer(service)
    assert values == {key: 2}, "the snapshot built before the update was reused"
    third, values = await connect_and_answer(service)  # nothing new since: the build is shared
    assert values == {key: 2} and service.fanout.snapshots.reused >= 1
    for ws in (first, second, third):
        await ws.disconnect()
