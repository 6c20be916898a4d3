"""Rows 19-23 of issue #21: what the abuse suite never tried, against a real
`rundashboard`: a burst of handshakes from one client, a slow-loris handshake, very
long and odd paths, oversized and malformed headers, a bad Host. Requests are written
byte by byte (tests/support/raw_http.py). Each test asserts no 5xx and nothing at ERROR
in the server's log; `pytest -s` prints the FIGURE lines of docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator

import aiohttp
import httpx
import pytest

from tests.reliability.helpers import figure
from tests.support.live_server import (
    faults_since,
    open_and_send,
    rejected,
    run_in_server,
    ws_url,
)
from tests.support.processes import ManagedProcess, running_dashboard
from tests.support.raw_http import dribble, get, handshake, raw_request
from tests.support.waiting import wait_until

TOKEN = (
    "from dashboard.access.policy import issue_token; from dashboard.boards.models import Wallboard; "
    "import json; print(json.dumps({'token': issue_token(Wallboard.objects.get(slug='floor'))}))"
)


@pytest.fixture(scope="module")
def server() -> Iterator[ManagedProcess]:
    with running_dashboard("abuse-edge-") as server:
        server.extra["kiosk"] = "/ws/dashboards/agents/?token=" + run_in_server(server, TOKEN)["token"]
        yield server


@pytest.fixture
def log_start(server: ManagedProcess) -> Iterator[int]:
    start = len(server.log())
    yield start
    assert faults_since(server, start) == []
    assert httpx.get(server.extra["url"] + "/healthz", timeout=10).status_code == 200  # still serving


def no_server_fault(status: int | None) -> bool:
    """A 4xx, or a hang-up (what Twisted does when the request line alone is too long)."""
    return status is None or 400 <= status < 500


# -- row 21: very long and odd paths ---------------------------------------------------------

ODD_PATHS = [
    b"/ws/dashboards/" + b"a" * 8192 + b"/",
    b"/ws/" + b"a" * 20_000,
    b"/ws/dashboards/%2e%2e/%2e%2e/admin/",
    b"/ws/dashboards/..%2F..%2Fadmin/",
    b"/ws/dashboards/agents%00/",
    b"/ws/dashboards/agents\x00/",
    "/ws/dashboards/ågents/".encode(),
    b"/ws/dashboards/%C3%A5gents/",
    b"/ws/dashboards/%FF%FE/",
    b"/ws/dashboards/agents/?" + b"token=" * 1500,
    b"//ws//dashboards//agents//",
    b"*",
    b"ws/dashboards/agents/",
]


@pytest.mark.parametrize("path", ODD_PATHS, ids=lambda p: p[:40].decode("latin1"))
async def test_odd_paths_are_refused_without_a_server_error(
    server: ManagedProcess, log_start: int, path: bytes
) -> None:
    port = server.extra["port"]
    as_socket = await raw_request(port, handshake(path, port))
    as_page = await raw_request(port, get(path.replace(b"/ws/", b"/", 1), port))
    assert no_server_fault(as_socket.status) and as_socket.status != 101, as_socket.head[:80]
    assert as_page.status is None or as_page.status < 500, as_page.head[:80]  # 302 to sign-in, 404, 400
    figure(f"row 21 {path[:24]!r} ({len(path)} B): socket / page", (as_socket.status, as_page.status))


# -- row 22: oversized and malformed headers -------------------------------------------------

BAD_HEADERS = {
    "a 64 KB header": b"X-Big: " + b"a" * 65_536 + b"\r\n",
    "a header without a colon": b"NoColonHere\r\n",
    "501 headers": b"".join(b"X-%d: 1\r\n" % n for n in range(501)),
    "a NUL in a header": b"X-Nul: a\x00b\r\n",
    "a huge Origin": b"Origin: http://" + b"a" * 12_000 + b"\r\n",
    "a folded header": b"X-Fold: a\r\n  b\r\n",
    "a bad Content-Length": b"Content-Length: -5\r\n",
    "two Content-Lengths": b"Content-Length: 1\r\nContent-Length: 2\r\n",
}


@pytest.mark.parametrize("name", list(BAD_HEADERS))
async def test_oversized_and_malformed_headers_get_a_4xx_or_a_hang_up(
    server: ManagedProcess, log_start: int, name: str
) -> None:
    port = server.extra["port"]
    page = await raw_request(port, get(b"/healthz", port, BAD_HEADERS[name]))
    socket = await raw_request(port, handshake(server.extra["kiosk"].encode(), port, BAD_HEADERS[name]))
    figure(f"row 22 {name}: page / socket", (page.status, socket.status))
    for answer in (page, socket):
        assert answer.status in (None, 101, 200) or no_server_fault(answer.status), answer.head[:80]


@pytest.mark.parametrize("host", [b"evil.example", b"a b/c\\x01", b"[::1", b"127.0.0.1:80@evil.example", b"x" * 4000])
async def test_a_bad_host_is_a_counted_400_not_an_error(server: ManagedProcess, log_start: int, host: bytes) -> None:
    port = server.extra["port"]
    before = rejected(server, "http", "bad_host")
    request = get(b"/healthz", port).replace(b"Host: 127.0.0.1:" + str(port).encode(), b"Host: " + host)
    assert (await raw_request(port, request)).status == 400
    assert rejected(server, "http", "bad_host") == before + 1


# -- row 19: a burst of handshakes from one client -------------------------------------------


async def test_a_burst_of_200_handshakes_leaves_the_server_serving_others(
    server: ManagedProcess, log_start: int
) -> None:
    url = ws_url(server, server.extra["kiosk"])
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as client:

        async def one() -> object:
            try:
                return await client.ws_connect(
                    url, headers={"Origin": "http://127.0.0.1"}, timeout=aiohttp.ClientWSTimeout(ws_close=5)
                )
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status
            except aiohttp.ClientError as error:
                return f"{type(error).__name__}: {error}"

        started = time.monotonic()
        results = await asyncio.gather(*(one() for _ in range(200)))
        took = time.monotonic() - started
        opened = [r for r in results if isinstance(r, aiohttp.ClientWebSocketResponse)]
        other = await open_and_send(server, server.extra["kiosk"], ['{"type":"ping"}'], wait_close=2)
        health = await asyncio.to_thread(httpx.get, server.extra["url"] + "/healthz", timeout=30)
        await asyncio.gather(*(ws.close() for ws in opened))
    refused = [r for r in results if not isinstance(r, aiohttp.ClientWebSocketResponse)]
    figure(
        "row 19: 200 handshakes at once: opened, other outcomes, seconds for all",
        (len(opened), refused, round(took, 2)),
    )
    assert not [r for r in refused if isinstance(r, int) and r >= 500]
    assert refused == []  # none reset while waiting for the application to accept
    assert other.opened and other.close_code is None and health.status_code == 200


# -- row 20: a slow-loris handshake ------------------------------------------------------------


async def test_slow_loris_handshakes_are_cut_at_the_header_deadline_while_others_are_served(
    server: ManagedProcess, log_start: int
) -> None:
    port = server.extra["port"]
    request = handshake(server.extra["kiosk"].encode(), port)
    before = rejected(server, "http", "slow_headers")
    lorises = [asyncio.create_task(dribble(port, request, every=0.5)) for _ in range(20)]
    others = [await open_and_send(server, server.extra["kiosk"], wait_close=1) for _ in range(3)]
    held = await asyncio.gather(*lorises)
    figure(
        "row 20: 20 slow-loris handshakes (1 byte / 0.5 s) held for (s, min-max)",
        (round(min(h for h, _ in held), 1), round(max(h for h, _ in held), 1)),
    )
    assert all(sent < len(request) for _, sent in held), "a dribbled handshake was read to its end"
    assert all(o.opened and o.close_code is None for o in others)
    assert rejected(server, "http", "slow_headers") == before + 20


# -- row 23: clients that hang up as soon as the handshake is answered ------------------------


async def test_clients_that_hang_up_right_after_the_handshake_leave_no_error(
    server: ManagedProcess, log_start: int
) -> None:
    """Their snapshot and first frames meet a closing socket (log_start: no ERROR)."""
    port = server.extra["port"]
    answers = await asyncio.gather(
        *(raw_request(port, handshake(server.extra["kiosk"].encode(), port)) for _ in range(50))
    )
    assert [a.status for a in answers] == [101] * 50
    await asyncio.to_thread(wait_until, lambda: sockets_open(server) == 0, timeout=60, what="all 50 gone")


def sockets_open(server: ManagedProcess) -> float:
    text = httpx.get(server.extra["url"] + "/metrics", timeout=10).text
    return float(re.search(r"^dashboard_sockets_open (\S+)$", text, re.M).group(1))  # type: ignore[union-attr]
