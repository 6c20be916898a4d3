"""The stock CometD JavaScript client (npm `cometd` + `cometd-nodejs-client`, the
pair Genesys' own Node SDKs use) against the simulator, over real sockets.

Our bridge speaks Bayeux through aiocometd; this proves the simulator also serves
the reference client, so it is not merely shaped around our own code.
The Node side is `tests/js/stock_client.mjs`; it prints one JSON line per event.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from statsbridge.simulator.server import Simulator
from tests.simulator.conftest import password_token
from tests.simulator.test_stats_api import SUBS, first_object

JS_DIR = Path(__file__).resolve().parents[1] / "js"
SCRIPT = JS_DIR / "stock_client.mjs"
NPM_PACKAGES = ("cometd", "cometd-nodejs-client")
UPDATES, SERVICE = "/statistics/v3/updates", "/statistics/v3/service"
STATISTIC_ID = "stock-tics"
CLIENT_TIMEOUT_S = 15


@pytest.fixture(scope="session")
def stock_client() -> Path:
    """The Node script, with its pinned npm packages installed once per session.

    npm failing is a broken test environment, not a reason to skip: fail loudly.
    """
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        pytest.fail("node and npm are required for the stock CometD client test", pytrace=False)
    if not all((JS_DIR / "node_modules" / name / "package.json").is_file() for name in NPM_PACKAGES):
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            pytest.fail(
                f"`npm ci` failed in {JS_DIR} (exit {result.returncode}):\n{result.stdout}\n{result.stderr}",
                pytrace=False,
            )
    return SCRIPT


@dataclass
class StockRun:
    events: list[dict]
    returncode: int
    stderr: str

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.events if e.get("event") == kind]

    def explain(self) -> str:
        lines = "\n".join(json.dumps(e)[:400] for e in self.events)
        return f"exit {self.returncode}\nstdout:\n{lines}\nstderr:\n{self.stderr[-2000:]}"


async def open_statistic(http: httpx.AsyncClient) -> None:
    """TimeInCurrentState is Periodical every second: two updates in about two seconds."""
    agent = await first_object(http, "Agent")
    response = await http.post(
        SUBS,
        json={
            "operationId": "stock-client",
            "data": {
                "statistics": [
                    {
                        "statisticId": STATISTIC_ID,
                        "objectType": "Agent",
                        "objectId": agent,
                        "name": "TimeInCurrentState",
                    }
                ]
            },
        },
    )
    assert response.status_code == 200, response.text


async def follow(stdout: asyncio.StreamReader, http: httpx.AsyncClient) -> list[dict]:
    """Collects the client's events; opens the statistic once both channels are
    subscribed, the order the bridge uses, so no update can be missed."""
    events: list[dict] = []
    subscribed: set[str] = set()
    async for raw in stdout:
        try:
            event = json.loads(raw)
        except json.JSONDecodeError:
            event = {"event": "not-json", "line": raw.decode(errors="replace")}
        events.append(event)
        if event.get("event") == "subscribed" and event.get("successful"):
            subscribed.add(event["channel"])
            if subscribed == {UPDATES, SERVICE}:
                await open_statistic(http)
    return events


async def run_stock_client(
    script: Path, simulator: Simulator, http: httpx.AsyncClient, *, append_message_type: bool
) -> StockRun:
    token = await password_token(http)
    http.headers["Authorization"] = f"Bearer {token}"
    env = {**os.environ, "SIM_APPEND_MESSAGE_TYPE_TO_URL": str(append_message_type).lower()}
    process = await asyncio.create_subprocess_exec(
        "node",
        str(script),
        simulator.base_url,
        CREDS.api_key,
        token,
        str(CLIENT_TIMEOUT_S),
        cwd=JS_DIR,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        events, stderr = await asyncio.wait_for(
            asyncio.gather(follow(process.stdout, http), process.stderr.read()), timeout=CLIENT_TIMEOUT_S + 5
        )
        return StockRun(events, await process.wait(), stderr.decode(errors="replace"))
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def assert_handshook_subscribed_and_received(run: StockRun) -> None:
    assert run.returncode == 0, run.explain()
    assert [h["successful"] for h in run.of("handshake")] == [True], run.explain()
    subscribed = {s["channel"]: s["successful"] for s in run.of("subscribed")}
    assert subscribed == {UPDATES: True, SERVICE: True}, run.explain()
    updates = [m["data"] for m in run.of("message") if m["channel"] == UPDATES]
    assert len(updates) >= 2, run.explain()
    for notification in updates:
        assert notification["name"] == "StatisticUpdate"
        assert notification["data"]["statistics"][0]["statisticId"] == STATISTIC_ID


# The stock default (appendMessageTypeToURL, as Genesys' statistics-client-js uses it)
# posts /meta/handshake to <url>/handshake, /meta/connect to <url>/connect and
# /meta/subscribe to "<url>/" with a bare trailing slash; off, everything goes to <url>.
@pytest.mark.parametrize("append_message_type", [True, False], ids=["stock-urls", "one-url"])
async def test_stock_client_handshakes_subscribes_and_receives_updates(
    stock_client: Path, simulator: Simulator, http: httpx.AsyncClient, append_message_type: bool
) -> None:
    run = await run_stock_client(stock_client, simulator, http, append_message_type=append_message_type)
    assert_handshook_subscribed_and_received(run)
    assert run.of("done") and not simulator.bayeux.clients  # its /meta/disconnect was honoured
