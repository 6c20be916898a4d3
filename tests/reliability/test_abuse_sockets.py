"""Abuse rows 11-14 of issue #7 and rows 17-18 of issue #21, proven where a browser or an
attacker meets them: a real `rundashboard` (daphne, autobahn, the whole ASGI stack) over
real sockets. Each test asserts what the client receives (a close code, or the HTTP
status of a refused handshake), that /metrics counted the refusal, and that the
server logged nothing at ERROR. The in-process versions stay in
tests/realtime/test_consumer.py and test_abuse_access.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from dashboard.project.server_options import MAX_SERVER_MESSAGE_BYTES
from dashboard.realtime.close_codes import ACCESS_ENDED, RATE_LIMITED, SERVER_TOO_BIG, TOO_BIG
from dashboard.realtime.consumer import MAX_INBOUND_BYTES
from statsbridge.messages import MAX_FRAME_BYTES
from tests.reliability.helpers import figure
from tests.support.live_server import (
    faults_since,
    open_and_send,
    rejected,
    run_in_server,
    sign_in,
    sign_out,
)
from tests.support.processes import ManagedProcess, running_dashboard

SETUP = """
import json
from django.contrib.auth.models import User
from django.utils import timezone
from dashboard.access.policy import issue_token
from dashboard.boards.files import import_dashboards
from dashboard.models import Dashboard, Statistic, Wallboard, WallboardPage, WallboardToken
floor = Wallboard.objects.get(slug="floor")
# A dashboard whose every statistic is drawn over time (history kept), for big snapshots.
queues = sorted(set(Statistic.objects.filter(object_type="Queue").values_list("object_id", flat=True)))
trend = [{"name": n, "objectType": "Queue", "objectId": q} for q in queues
         for n in ("CurrentNumberWaitingCalls", "CurrentMaxCallWaitingTime")]
import_dashboards({"dashboards": [{"slug": "trends", "title": "Trends",
                                   "widgets": [{"type": "line", "title": "Per queue", "statistics": trend}]}],
                   "wallboards": []})
WallboardPage.objects.create(wallboard=floor, dashboard=Dashboard.objects.get(slug="trends"), position=9)
lobby = Wallboard.objects.create(slug="lobby", title="Lobby")
WallboardPage.objects.create(wallboard=lobby, dashboard=Dashboard.objects.get(slug="service-level"))
User.objects.create_user("outsider", password="outsider-password-1")
User.objects.create_user("deputy", password="deputy-password-1", is_superuser=True)
revoked = issue_token(floor, "revoked")
WallboardToken.objects.filter(label="revoked").update(revoked=timezone.now())
print(json.dumps({"floor": issue_token(floor), "lobby": issue_token(lobby), "revoked": revoked}))
"""
AGENTS = "/ws/dashboards/agents/"


@pytest.fixture(scope="module")
def server() -> Iterator[ManagedProcess]:
    with running_dashboard("abuse-sockets-") as server:
        server.extra["tokens"] = run_in_server(server, SETUP)
        yield server


@pytest.fixture
def log_start(server: ManagedProcess) -> Iterator[int]:
    """Every test here: nothing at ERROR in the server's log while it ran."""
    start = len(server.log())
    yield start
    assert faults_since(server, start) == []


def kiosk(server: ManagedProcess, wallboard: str = "floor", dashboard: str = "agents") -> str:
    return f"/ws/dashboards/{dashboard}/?token={server.extra['tokens'][wallboard]}"


# -- row 13: oversized and flooding sockets get a close code a real client receives ------


@pytest.mark.parametrize(
    "size, code",
    [
        (MAX_INBOUND_BYTES + 1, TOO_BIG),
        (100_000, TOO_BIG),
        (MAX_SERVER_MESSAGE_BYTES + 1, SERVER_TOO_BIG),
        (2_000_000, SERVER_TOO_BIG),
    ],
)
async def test_an_oversized_message_is_closed_with_4009_or_the_servers_1009(
    server: ManagedProcess, log_start: int, size: int, code: int
) -> None:
    """Up to daphne's limit the consumer refuses it (4009); over it, autobahn (1009),
    before the application ever sees it."""
    before = rejected(server, "ws", "too_big")
    outcome = await open_and_send(server, kiosk(server), ["x" * size])
    assert (outcome.opened, outcome.close_code) == (True, code)
    assert rejected(server, "ws", "too_big") == before + 1


async def test_a_burst_of_200_messages_is_closed_with_4008(server: ManagedProcess, log_start: int) -> None:
    before = rejected(server, "ws", "rate_limited")
    outcome = await open_and_send(server, kiosk(server), ['{"type":"ping"}'] * 200)
    assert outcome.close_code == RATE_LIMITED
    assert rejected(server, "ws", "rate_limited") == before + 1  # once, however many followed


async def test_a_socket_that_only_pings_stays_open_and_gets_frames_over_64_kib(
    server: ManagedProcess, log_start: int
) -> None:
    """The control for the caps: what a browser sends is never refused, and daphne's
    limit, which autobahn applies to what we send too, lets big frames out (at 64 KiB
    it refused them: PayloadExceededError, an ERROR)."""
    rate = f"http://127.0.0.1:{server.extra['simulator_port']}/simulator/v1/rate"
    await asyncio.to_thread(httpx.post, rate, json={"updates_per_second": 10_000}, timeout=10)
    try:  # histories fill at this rate; a new socket's snapshot grows past 64 KiB
        deadline = time.monotonic() + 120
        while True:
            outcome = await open_and_send(
                server, kiosk(server, dashboard="trends"), ['{"type":"ping"}'] * 5, wait_close=5, frame_over=64 * 1024
            )
            if outcome.close_code is not None or outcome.largest > 64 * 1024 or time.monotonic() > deadline:
                break
    finally:
        await asyncio.to_thread(httpx.post, rate, json={"updates_per_second": 0}, timeout=10)
    figure("row 13: the largest frame a kiosk socket received at 10,000 updates/s (bytes)", outcome.largest)
    assert (outcome.opened, outcome.close_code) == (True, None)
    assert outcome.largest > 64 * 1024
    assert MAX_FRAME_BYTES < MAX_SERVER_MESSAGE_BYTES


# -- row 17 (issue #21): a path with no route is a plain refusal ---------------------------


@pytest.mark.parametrize(
    "path", ["/ws/dashboards/..%2F..%2Fadmin/", "/ws/nothing/", "/ws/", "/", "/ws/dashboards/agents/extra/", "/admin/"]
)
async def test_a_socket_to_a_path_with_no_route_is_refused_with_403(
    server: ManagedProcess, log_start: int, path: str
) -> None:
    before = rejected(server, "ws", "no_route")
    outcome = await open_and_send(server, path)
    assert (outcome.opened, outcome.status) == (False, 403)
    assert rejected(server, "ws", "no_route") >= before + 1


# -- row 11: foreign, null, missing, huge or unparsable Origin ------------------------------------------


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", None, "http://" + "a" * 12_000, "http://127.0.0.1.evil.example"]
)
async def test_foreign_null_missing_or_huge_origin_is_refused(
    server: ManagedProcess, log_start: int, origin: str | None
) -> None:
    before = rejected(server, "ws", "origin")
    outcome = await open_and_send(server, kiosk(server), origin=origin)
    assert (outcome.opened, outcome.status) == (False, 403)
    assert rejected(server, "ws", "origin") == before + 1


@pytest.mark.parametrize("origin", ["http://[::1", "http://127.0.0.1:99999", "http://127.0.0.1:abc", ""])
async def test_an_unparsable_origin_is_refused_by_autobahn_with_400(
    server: ManagedProcess, log_start: int, origin: str
) -> None:
    """Autobahn parses the Origin itself and answers 400 before the application runs
    (so these are not counted); nothing at ERROR (log_start)."""
    outcome = await open_and_send(server, kiosk(server), origin=origin)
    assert (outcome.opened, outcome.status) == (False, 400)


# -- rows 11, 12 and 18: who may open a socket ---------------------------------------------


async def test_sockets_without_a_session_from_the_cookie_or_a_valid_token_are_refused(
    server: ManagedProcess, log_start: int
) -> None:
    supervisor = await asyncio.to_thread(sign_in, server, "supervisor", "supervisor")
    session = supervisor.cookies["sessionid"]
    assert (await open_and_send(server, AGENTS, session=session, wait_close=1)).opened  # the controls
    assert (await open_and_send(server, kiosk(server), wait_close=1)).opened
    assert (await open_and_send(server, kiosk(server, "lobby", "service-level"), wait_close=1)).opened
    outsider = await asyncio.to_thread(sign_in, server, "outsider", "outsider-password-1")
    tokens = server.extra["tokens"]
    refused = [
        (AGENTS, None),
        (AGENTS, "not-a-session-we-made"),
        (f"{AGENTS}?sessionid={session}", None),
        (AGENTS, outsider.cookies["sessionid"]),
    ]
    refused += [
        (f"{AGENTS}?token={token}", None)
        for token in [tokens["revoked"], tokens["lobby"], tokens["floor"][:-4] + "AAAA", "", "null", "x" * 4000]
    ]
    before = rejected(server, "ws", "access")
    for path, cookie in refused:
        outcome = await open_and_send(server, path, session=cookie)
        assert (outcome.opened, outcome.status) == (False, 403), (path[:80], cookie)
    await asyncio.to_thread(sign_out, supervisor)
    assert (await open_and_send(server, AGENTS, session=session)).status == 403  # its session is gone
    assert rejected(server, "ws", "access") == before + len(refused) + 1


# -- row 14: sign-out and a disabled user end the sockets already open ----------------------


async def test_signing_out_or_being_disabled_closes_open_sockets_with_4401(
    server: ManagedProcess, log_start: int
) -> None:
    leaving, staying, deputy = [
        await asyncio.to_thread(sign_in, server, *who)
        for who in (("supervisor", "supervisor"), ("supervisor", "supervisor"), ("deputy", "deputy-password-1"))
    ]
    events = [asyncio.Event() for _ in range(3)]
    sockets = [
        asyncio.create_task(
            open_and_send(server, AGENTS, session=client.cookies["sessionid"], wait_close=wait, opened=event)
        )
        for client, wait, event in zip((leaving, staying, deputy), (60, 25, 60), events, strict=False)
    ]
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), 30)
    started = asyncio.get_running_loop().time()
    await asyncio.to_thread(sign_out, leaving)
    await asyncio.to_thread(
        run_in_server,
        server,
        "from django.contrib.auth.models import User; "
        "User.objects.filter(username='deputy').update(is_active=False); print('{}')",
    )
    signed_out, disabled = await sockets[0], await sockets[2]
    figure(
        "row 14 (real server): sockets closed after sign-out and disabling within (s)",
        round(asyncio.get_running_loop().time() - started, 1),
    )
    assert (signed_out.close_code, disabled.close_code) == (ACCESS_ENDED, ACCESS_ENDED)
    kept = await sockets[1]
    assert (kept.opened, kept.close_code) == (True, None)  # the same user's other session: still open
