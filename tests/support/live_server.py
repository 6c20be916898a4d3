"""Talking to a real `rundashboard` as a browser or an attacker would: sign in over
HTTP, open WebSockets with aiohttp's client, read /metrics, and check the server's log
for anything at ERROR that a hostile request caused."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from dataclasses import dataclass

import aiohttp
import httpx

from tests.support.processes import ROOT, ManagedProcess

LOCAL_ORIGIN = "http://127.0.0.1"
SERVER_FAULT = re.compile(r"\bERROR\b|\bCRITICAL\b|Traceback")


@dataclass
class Outcome:
    """What a client saw: `status` if the handshake was refused, else the close code."""

    opened: bool
    status: int | None = None
    close_code: int | None = None
    largest: int = 0  # bytes of the largest frame received


def ws_url(server: ManagedProcess, path: str) -> str:
    return server.extra["url"].replace("http://", "ws://", 1) + path


async def open_and_send(
    server: ManagedProcess,
    path: str,
    messages: list[str | bytes] = (),  # type: ignore[assignment]
    origin: str | None = LOCAL_ORIGIN,
    session: str | None = None,
    wait_close: float = 30.0,
    opened: asyncio.Event | None = None,
    frame_over: int | None = None,
) -> Outcome:
    """Open a socket, send `messages`, and wait (up to `wait_close`) for the server to
    close it, or for a frame over `frame_over` bytes; `opened` is set once the
    handshake succeeded."""
    headers = {"Origin": origin} if origin is not None else {}
    cookies = {"sessionid": session} if session else {}
    async with aiohttp.ClientSession(cookies=cookies) as client:
        try:
            ws = await client.ws_connect(
                ws_url(server, path),
                headers=headers,
                max_msg_size=0,
                autoping=True,
                timeout=aiohttp.ClientWSTimeout(ws_close=10),
            )
        except aiohttp.WSServerHandshakeError as refused:
            return Outcome(False, status=refused.status)
        async with ws:
            if opened is not None:
                opened.set()
            for message in messages:
                if ws.closed:
                    break
                await (ws.send_str(message) if isinstance(message, str) else ws.send_bytes(message))
            largest = 0
            try:
                async with asyncio.timeout(wait_close):  # frames keep coming: one deadline for all
                    while (message := await ws.receive()).type not in (
                        aiohttp.WSMsgType.CLOSE,
                        aiohttp.WSMsgType.CLOSED,
                        aiohttp.WSMsgType.CLOSING,
                    ):
                        largest = max(largest, len(message.data or ""))
                        if frame_over is not None and largest > frame_over:
                            return Outcome(True, largest=largest)
            except TimeoutError:
                return Outcome(True, largest=largest)  # still open
            return Outcome(True, close_code=ws.close_code, largest=largest)


def sign_in(server: ManagedProcess, username: str, password: str) -> httpx.Client:
    """A client signed in through the login form; its `sessionid` cookie is the session."""
    client = httpx.Client(base_url=server.extra["url"], timeout=30)
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/accounts/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    assert done.status_code == 302 and "sessionid" in client.cookies, done.status_code
    return client


def sign_out(client: httpx.Client) -> None:
    assert client.post("/accounts/logout/", headers={"X-CSRFToken": client.cookies["csrftoken"]}).status_code < 400


def run_in_server(server: ManagedProcess, code: str) -> dict:
    """Run `code` in `manage.py shell` against the server's database; it prints JSON."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def rejected(server: ManagedProcess, kind: str, reason: str) -> float:
    """`dashboard_<kind>_rejected_total{reason=...}` as /metrics says now."""
    text = httpx.get(server.extra["url"] + "/metrics", timeout=10).text
    found = re.search(rf'^dashboard_{kind}_rejected_total{{reason="{reason}"}} (\S+)$', text, re.M)
    assert found, f"no dashboard_{kind}_rejected_total for {reason}"
    return float(found.group(1))


def faults_since(server: ManagedProcess, offset: int) -> list[str]:
    """Lines at ERROR (or tracebacks) the server logged after byte `offset` of its log."""
    return [line for line in server.log()[offset:].splitlines() if SERVER_FAULT.search(line)]
