"""The dashboard WebSocket: `/ws/dashboards/<slug>/` (shapes: statsbridge/messages.py).

On connect: access checked (session or wallboard token; Origin is checked by the
router), the socket joins this process's relay for its dashboard
(dashboard/local_fanout.py), and a snapshot is asked of the bridge (wherever it runs)
with this consumer's channel as the reply address. Frames arrive ready-made and are
forwarded untouched.
Browsers say little: an occasional ping, and a supervisor's `{"type": "ack", "alert": id}`
(dashboard/alerts/acks.py; refused and counted for a kiosk token). Inbound messages are
capped in size and rate: a socket that floods is closed (1009 too big, 1008 policy).
"""
from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncWebsocketConsumer

from dashboard.access import Access, access_for
from dashboard.access_watch import watcher
from dashboard.alerts.acks import forward_ack
from dashboard.local_fanout import LocalSocket, hub_for
from dashboard.transport import SCOPE_KEY
from statsbridge.service import REQUEST_CHANNEL

log = logging.getLogger(__name__)
MAX_INBOUND_BYTES = 4096
MAX_INBOUND_PER_SECOND = 20


class DashboardConsumer(AsyncWebsocketConsumer):
    access: Access | None = None
    local: LocalSocket | None = None

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        token = parse_qs(self.scope.get("query_string", b"").decode()).get("token", [None])[0]
        self.token = token
        self.access = await database_sync_to_async(access_for)(self.scope.get("user"), token, slug)
        if self.access is None:
            await self.close(code=4403)  # before accept: the handshake is refused
            return
        self.slug = slug
        self._window_start, self._window_count = time.monotonic(), 0
        await self.accept()
        self.local = LocalSocket(self._send_text, self.scope.get(SCOPE_KEY))
        await hub_for(self.channel_layer).join(slug, self.local)
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None)
        watcher().watch(self)
        await self._ask_for_snapshot(slug)

    async def _ask_for_snapshot(self, slug: str, attempts: int = 2) -> None:
        request = {"type": "snapshot.request", "dashboard": slug, "reply_channel": self.channel_name,
                   "asked_at": int(time.time() * 1000)}
        for attempt in range(attempts):
            try:
                await self.channel_layer.send(REQUEST_CHANNEL, request)
                return
            except ChannelFull:
                return  # no bridge is draining requests; updates still come (local_fanout.py)
            except Exception:
                # After a Redis restart the first command on a pooled connection fails;
                # the retry gets a fresh one. If Redis is still away, updates come later.
                if attempt == attempts - 1:
                    log.warning("could not ask the bridge for a snapshot of %s", slug, exc_info=True)

    async def disconnect(self, code: int) -> None:
        watcher().forget(self)
        if self.local is not None:
            await hub_for(self.channel_layer).leave(self.slug, self.local)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > MAX_INBOUND_BYTES:
            await self.close(code=1009)
            return
        now = time.monotonic()
        if now - self._window_start >= 1.0:
            self._window_start, self._window_count = now, 0
        self._window_count += 1
        if self._window_count > MAX_INBOUND_PER_SECOND:
            await self.close(code=1008)
            return
        if text_data == '{"type":"ping"}':
            await self.send(text_data='{"type":"pong"}')
        elif text_data is not None and '"ack"' in text_data:
            reply = await forward_ack(self.channel_layer, self.access, self.scope.get("user"), self.slug, text_data)
            if reply:
                await self.send(text_data=reply)

    async def _send_text(self, text: str) -> None:
        await self.send(text_data=text)

    async def dashboard_frame(self, event: dict) -> None:
        """A frame sent to this socket alone: its snapshot, in one or more parts."""
        await self.send(text_data=event["text"])
        if event.get("snapshot") and self.local is not None:
            await self.local.snapshot_delivered()
