"""Scaled out (PostgreSQL, a private Redis, two `rundashboard --no-bridge` web processes,
two bridge workers, one elected): a message posted on one web process reaches the
wallboard sockets of both, once each, through the leader's fan-out; a socket opened
afterwards gets it in its snapshot; a withdrawal reaches both."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import aiohttp
import httpx
import pytest

from tests.deployment.support import Deployment
from tests.support.processes import manage
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.slow
PASSWORD = "floor-poster-7"


def signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=20)
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/accounts/login/", data={"username": "poster", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert done.status_code == 302, done.text[:500]
    return client


def form_token(client: httpx.Client) -> str:
    page = client.get("/messages/")
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


async def read_messages(ws: aiohttp.ClientWebSocketResponse, into: list[dict]) -> None:
    async for message in ws:
        frame = json.loads(message.data)
        if frame["type"] == "message":
            into.append(frame)
        elif frame["type"] == "snapshot":
            into.extend({"snapshot": True, **m} for m in frame.get("messages", []))


async def test_a_message_reaches_every_web_process_once(tmp_path: Path, postgres_url: str) -> None:
    deployment = Deployment(tmp_path, postgres_url)
    try:
        await asyncio.to_thread(deployment.start)
        code = f"from django.contrib.auth.models import User; User.objects.create_superuser('poster', password={PASSWORD!r})"
        await asyncio.to_thread(manage, deployment.env, "shell", "-c", code)
        token = deployment.token_url.split("token=")[1]
        async with aiohttp.ClientSession() as session:
            seen: list[list[dict]] = [[], []]
            readers = []
            for index, base in enumerate(deployment.web_urls):
                ws = await session.ws_connect(f"{base}/ws/dashboards/live/?token={token}", headers={"Origin": base})
                readers.append(asyncio.create_task(read_messages(ws, seen[index])))
            await async_wait_until(lambda: deployment.leader() is not None, timeout=60, what="a leader")
            client = await asyncio.to_thread(signed_in, deployment.web_urls[0])
            form = {"text": "Huddle at 3", "level": "urgent", "style": "ticker", "minutes": "15", "wallboards": "wall"}
            posted = await asyncio.to_thread(
                client.post,
                "/messages/",
                data={**form, "csrfmiddlewaretoken": await asyncio.to_thread(form_token, client)},
            )
            assert posted.status_code == 302, posted.text[:500]
            await async_wait_until(
                lambda: all(any(f.get("text") == "Huddle at 3" for f in fs) for fs in seen),
                timeout=30,
                what="the message on both web processes' sockets",
            )
            late: list[dict] = []
            base = deployment.web_urls[1]
            ws = await session.ws_connect(f"{base}/ws/dashboards/live/?token={token}", headers={"Origin": base})
            readers.append(asyncio.create_task(read_messages(ws, late)))
            await async_wait_until(lambda: any(f.get("snapshot") for f in late), timeout=30, what="a late snapshot")
            message_id = late[0]["id"]
            withdrawn = await asyncio.to_thread(
                client.post,
                f"/messages/{message_id}/withdraw/",
                data={"csrfmiddlewaretoken": await asyncio.to_thread(form_token, client)},
            )
            assert withdrawn.status_code == 302
            await async_wait_until(
                lambda: all(any(f.get("withdrawn") for f in fs) for fs in (*seen, late)),
                timeout=30,
                what="the withdrawal everywhere",
            )
            for reader in readers:
                reader.cancel()
    finally:
        await asyncio.to_thread(deployment.stop)
    for frames in seen:  # once each: one leader sent it
        assert [f["id"] for f in frames if not f.get("withdrawn") and not f.get("snapshot")] == [message_id]
        assert frames[0]["wallboards"] == ["wall"] and frames[0]["level"] == "urgent"
