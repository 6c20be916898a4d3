"""Per-process relays: one group member per dashboard and process, not per socket;
a socket's snapshot comes first; values wait (coalesced) for a socket that cannot
take them yet. The bridge's side is played by the test on the real in-memory layer."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import User

from dashboard.boards.demo import ensure_demo_content
from dashboard.realtime import local_socket
from dashboard.realtime.local_hub import hub_for
from dashboard.realtime.local_socket import COUNTERS
from statsbridge.fanout import BROADCAST_GROUP, FRAME_EVENT
from statsbridge.service import REQUEST_CHANNEL
from tests.realtime.test_consumer import communicator_for
from tests.support.relay_frames import to_relays

pytestmark = pytest.mark.django_db(transaction=True)


def update(*pairs: tuple[str, int]) -> dict:
    stats = ",".join(f'{{"id":"{k}","value":{v},"raw":{v},"timestamp":{1_700_000_000_000 + v}}}' for k, v in pairs)
    return {"type": FRAME_EVENT, "text": f'{{"type":"update","statistics":[{stats}]}}'}


@pytest.fixture(autouse=True)
async def demo_content() -> None:
    await sync_to_async(ensure_demo_content)()
    await get_channel_layer().flush()  # the demo's config.changed notices (no bridge drains them here)


async def connected_socket():  # type: ignore[no-untyped-def]
    ws = await communicator_for("/ws/dashboards/agents/", await sync_to_async(User.objects.get)(username="supervisor"))
    assert (await ws.connect())[0]
    request = await get_channel_layer().receive(REQUEST_CHANNEL)
    assert request["type"] == "snapshot.request" and request["dashboard"] == "agents"
    return ws, request["reply_channel"]


async def answer_snapshot(reply_channel: str) -> None:
    text = '{"type":"snapshot","dashboard":"agents","bridge":{"type":"bridge","state":"connected","since":1,"detail":""},"statistics":[]}'
    await get_channel_layer().send(
        reply_channel, {"type": FRAME_EVENT, "text": text, "snapshot": True, "dashboard": "agents"}
    )


async def test_values_sent_before_the_snapshot_arrive_after_it_in_order() -> None:
    layer = get_channel_layer()
    held_frames = COUNTERS["frames_held"]
    ws, reply = await connected_socket()
    await to_relays(layer, "agents", update(("a", 1), ("b", 1)))
    await to_relays(layer, "agents", update(("a", 2)))
    assert await ws.receive_nothing(timeout=0.3)  # held: no snapshot yet
    await answer_snapshot(reply)
    assert (await ws.receive_json_from(timeout=5))["type"] == "snapshot"
    shown: dict[str, int] = {}
    for _ in range(2):  # as sent, oldest first: the page ends with the newest values
        frame = await ws.receive_json_from(timeout=5)
        assert frame["type"] == "update"
        shown.update({s["id"]: s["value"] for s in frame["statistics"]})
    assert shown == {"a": 2, "b": 1}
    # COUNTERS is process-wide: earlier tests moved it too, so count this test's share.
    assert COUNTERS["frames_held"] - held_frames == 2
    await ws.disconnect()


async def test_updates_the_snapshot_already_holds_are_not_sent_after_it() -> None:
    """Frames up to the snapshot's seq are in it; only the later ones follow it."""
    layer = get_channel_layer()
    ws, reply = await connected_socket()
    for seq, pair in ((7, ("a", 1)), (8, ("b", 1)), (9, ("a", 3))):
        await to_relays(layer, "agents", {**update(pair), "term": 0, "seq": seq})
    assert await ws.receive_nothing(timeout=0.3)
    text = '{"type":"snapshot","dashboard":"agents","bridge":{"type":"bridge","state":"connected","since":1,"detail":""},"statistics":[]}'
    await layer.send(
        reply, {"type": FRAME_EVENT, "text": text, "snapshot": True, "dashboard": "agents", "term": 0, "seq": 8}
    )
    assert (await ws.receive_json_from(timeout=5))["type"] == "snapshot"
    after = await ws.receive_json_from(timeout=5)
    assert [(s["id"], s["value"]) for s in after["statistics"]] == [("a", 3)]
    assert await ws.receive_nothing(timeout=0.3), "a frame the snapshot held was sent again"
    await ws.disconnect()


async def test_sockets_of_one_process_share_one_group_member_one_request_and_leave_none_behind() -> None:
    layer = get_channel_layer()
    first, reply = await connected_socket()
    second = await communicator_for(
        "/ws/dashboards/agents/", await sync_to_async(User.objects.get)(username="supervisor")
    )
    assert (await second.connect())[0]
    with pytest.raises(TimeoutError):  # the first one's request is in flight: no second one
        await asyncio.wait_for(layer.receive(REQUEST_CHANNEL), 0.3)
    await answer_snapshot(reply)  # one reply serves both
    for ws in (first, second):
        assert (await ws.receive_json_from(timeout=5))["type"] == "snapshot"
    assert len(layer.groups.get(BROADCAST_GROUP, {})) == 1  # the process's hub, once
    await to_relays(layer, "agents", update(("x", 7)))
    for ws in (first, second):
        assert (await ws.receive_json_from(timeout=5))["statistics"][0]["value"] == 7
    await first.disconnect()
    assert "agents" in hub_for(layer).relays
    await second.disconnect()
    assert "agents" not in hub_for(layer).relays  # its frames are skipped from now on
    assert len(layer.groups.get(BROADCAST_GROUP, {})) == 1


async def test_a_reply_built_before_a_socket_joined_is_not_given_to_it_but_asked_again() -> None:
    """The second socket joins after frame 9 reached the relay; a snapshot built at
    seq 8 lacks it, so the second socket waits for a new build."""
    layer = get_channel_layer()
    first, reply = await connected_socket()
    await to_relays(layer, "agents", {**update(("a", 1)), "term": 0, "seq": 9})
    second = await communicator_for(
        "/ws/dashboards/agents/", await sync_to_async(User.objects.get)(username="supervisor")
    )
    assert (await second.connect())[0]
    text = '{"type":"snapshot","dashboard":"agents","bridge":{"type":"bridge","state":"connected","since":1,"detail":""},"statistics":[]}'
    await layer.send(
        reply, {"type": FRAME_EVENT, "text": text, "snapshot": True, "dashboard": "agents", "term": 0, "seq": 8}
    )
    assert (await first.receive_json_from(timeout=5))["type"] == "snapshot"
    assert (await first.receive_json_from(timeout=5))["statistics"][0]["value"] == 1  # seq 9 follows it
    assert await second.receive_nothing(timeout=0.3), "the second socket got a snapshot missing seq 9"
    again = await asyncio.wait_for(layer.receive(REQUEST_CHANNEL), 5)
    assert again["seen"] == [0, 9]
    await layer.send(
        again["reply_channel"],
        {"type": FRAME_EVENT, "text": text, "snapshot": True, "dashboard": "agents", "term": 0, "seq": 9},
    )
    assert (await second.receive_json_from(timeout=5))["type"] == "snapshot"
    assert await first.receive_nothing(timeout=0.3), "the first socket got a second snapshot"
    for ws in (first, second):
        await ws.disconnect()


async def test_a_socket_whose_snapshot_never_comes_gets_updates_after_the_wait(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(local_socket, "SNAPSHOT_WAIT_S", 0.2)
    ws, _ = await connected_socket()
    await to_relays(get_channel_layer(), "agents", update(("a", 5)))
    message = await ws.receive_json_from(timeout=5)
    assert message["type"] == "update" and message["statistics"][0]["value"] == 5
    await ws.disconnect()


async def test_a_held_socket_keeps_a_config_frame_when_a_bridge_frame_follows() -> None:
    layer = get_channel_layer()
    ws, reply = await connected_socket()
    bridge = '{"type":"bridge","state":"connected","since":2,"detail":""}'
    await to_relays(layer, "agents", {"type": FRAME_EVENT, "text": '{"type":"config"}'})
    await to_relays(layer, "agents", {"type": FRAME_EVENT, "text": bridge})
    assert await ws.receive_nothing(timeout=0.3)  # held: no snapshot yet
    await answer_snapshot(reply)
    kinds = [(await ws.receive_json_from(timeout=5))["type"] for _ in range(3)]
    assert kinds[0] == "snapshot" and sorted(kinds[1:]) == ["bridge", "config"]
    await ws.disconnect()


def frame(text: str, seq: int, term: int = 0) -> dict:
    return {"type": FRAME_EVENT, "text": text, "term": term, "seq": seq}


async def warm_relay():  # type: ignore[no-untyped-def]
    """A socket whose relay has a complete copy: the bridge's reply at seq 5 (its
    `parts` said), then update 6 replayed on it."""
    layer = get_channel_layer()
    first, reply = await connected_socket()
    text = (
        '{"type":"snapshot","dashboard":"agents","bridge":{"type":"bridge","state":"connected","since":1,"detail":""},'
        '"statistics":[{"id":"a","value":1,"raw":1,"timestamp":10,"history":[[10,1]]},'
        '{"id":"b","value":7,"raw":7,"timestamp":11}]}'
    )
    await layer.send(reply, {**frame(text, 5), "snapshot": True, "dashboard": "agents", "parts": 1})
    assert (await first.receive_json_from(timeout=5))["type"] == "snapshot"
    await to_relays(
        layer, "agents", frame('{"type":"update","statistics":[{"id":"a","value":2,"raw":2,"timestamp":20}]}', 6)
    )
    assert (await first.receive_json_from(timeout=5))["statistics"][0]["value"] == 2
    return first


async def joiner():  # type: ignore[no-untyped-def]
    ws = await communicator_for("/ws/dashboards/agents/", await sync_to_async(User.objects.get)(username="supervisor"))
    assert (await ws.connect())[0]
    return ws


async def test_a_socket_joining_a_warm_relay_gets_the_copy_with_the_replayed_frames_and_no_request() -> None:
    layer = get_channel_layer()
    first = await warm_relay()
    local = COUNTERS["snapshots_local"]
    second = await joiner()
    snapshot = await second.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot" and snapshot["bridge"]["state"] == "connected"
    assert {s["id"]: (s["value"], s.get("history")) for s in snapshot["statistics"]} == {
        "a": (2, [[10, 1], [20, 2]]),  # the trend point of update 6 appended, as the store does
        "b": (7, None),
    }
    assert COUNTERS["snapshots_local"] - local == 1
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(REQUEST_CHANNEL), 0.3)
    await to_relays(layer, "agents", frame('{"type":"bridge","state":"connecting","since":3,"detail":""}', 7))
    third = await joiner()
    assert (await third.receive_json_from(timeout=5))["bridge"]["state"] == "connecting"
    for ws in (first, second, third):
        await ws.disconnect()


@pytest.mark.parametrize(
    "breaking",
    [
        frame('{"type":"config"}', 7),  # the statistics changed
        frame('{"type":"update","term":2,"statistics":[{"id":"a","value":3,"raw":3,"timestamp":30}]}', 1, term=2),
        frame('{"type":"alert","event":"raised","alert":{"id":"x"}}', 7),  # the snapshot's open alerts
    ],
    ids=["config", "newer-term", "alert"],
)
async def test_after_a_frame_the_copy_cannot_replay_the_next_socket_asks_the_bridge(breaking: dict) -> None:
    layer = get_channel_layer()
    first = await warm_relay()
    await to_relays(layer, "agents", breaking)
    await first.receive_json_from(timeout=5)
    second = await joiner()
    request = await asyncio.wait_for(layer.receive(REQUEST_CHANNEL), 5)
    assert request["dashboard"] == "agents"
    assert await second.receive_nothing(timeout=0.3), "served from a copy it could not keep"
    for ws in (first, second):
        await ws.disconnect()
