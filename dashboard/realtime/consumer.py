"""The dashboard WebSocket: `/ws/dashboards/<slug>/` (shapes: statsbridge/messages.py).

On connect: access checked (session or wallboard token; Origin is checked by the
router; checks of sockets connecting together share a database hop:
dashboard/realtime/admission.py), the socket joins this process's relay for its
dashboard (dashboard/realtime/local_hub.py, relays.py), and the relay asks the bridge (wherever it
runs) for a snapshot, one request for all its sockets waiting
(dashboard/realtime/snapshot_requests.py). Frames arrive ready-made and are forwarded
untouched.
Browsers say little: an occasional ping, and a supervisor's `{"type": "ack", "alert": id}`
(dashboard/alerts/acks.py; refused and counted for a kiosk token). Inbound messages are
capped in size and rate: a socket that floods is closed (4009 too big, 4008 rate
limited: dashboard/realtime/close_codes.py), counted and logged once at WARNING
(dashboard/realtime/rejections.py); what it sends after that is ignored.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from dashboard.access.policy import Access
from dashboard.access.watcher import watcher
from dashboard.alerts.acks import forward_ack
from dashboard.realtime.admission import admit
from dashboard.realtime.close_codes import RATE_LIMITED, TOO_BIG
from dashboard.realtime.local_hub import hub_for
from dashboard.realtime.local_socket import LocalSocket
from dashboard.realtime.rejections import reject
from dashboard.realtime.transport import SCOPE_KEY
from dashboard.realtime.ws_guards import where
from statsbridge.connection_requests import ask_connections

log = logging.getLogger(__name__)
MAX_INBOUND_BYTES = 4096
MAX_INBOUND_PER_SECOND = 20


class DashboardConsumer(AsyncWebsocketConsumer):
    access: Access | None = None
    local: LocalSocket | None = None
    closing = False

    async def dispatch(self, message: dict) -> None:
        """Channels' dispatch without `aclose_old_connections()` before every handler:
        that is a hop to the single database thread per message, so per snapshot frame
        and per handshake, and in a connect storm they queued there for seconds. No
        handler here touches the database but through `database_sync_to_async`, which
        closes old connections itself (dashboard/realtime/admission.py)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        token = parse_qs(self.scope.get("query_string", b"").decode()).get("token", [None])[0]
        self.token = token
        self.access = await admit(self.scope.get("user"), token, slug)  # batched: admission.py
        if self.access is None:
            reject("ws", "access", where(self.scope))
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        self.slug = slug
        self._window_start, self._window_count = time.monotonic(), 0
        await self.accept()
        self.local = LocalSocket(self._send_text, self.scope.get(SCOPE_KEY))
        await hub_for(self.channel_layer).join(slug, self.local)
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None)
        watcher().watch(self)
        if self.local.relay is not None:
            await self.local.relay.want_snapshot(
                self.local
            )  # `default`'s: one request per relay (snapshot_requests.py)
        await self._ask_connections(slug)

    async def _ask_connections(self, slug: str) -> None:
        """The other connections' bridges (issue 22) answer this socket alone, one snapshot
        each for the statistics they own (statsbridge/connection_requests.py); `default`'s
        comes through the relay. With no other connection the group is empty."""
        relay = self.local.relay if self.local is not None else None
        request: dict = {"type": "snapshot.request", "dashboard": slug, "reply_channel": self.channel_name}
        if relay is not None and relay.seen_by:
            request["seen_by"] = relay.seen_by_for_request()
        await ask_connections(self.channel_layer, request)

    async def disconnect(self, code: int) -> None:
        watcher().forget(self)
        if self.local is not None:
            await hub_for(self.channel_layer).leave(self.slug, self.local)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing:
            return  # frames already in flight when we closed
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > MAX_INBOUND_BYTES:
            await self._refuse("too_big", TOO_BIG, f"{size} bytes")
            return
        now = time.monotonic()
        if now - self._window_start >= 1.0:
            self._window_start, self._window_count = now, 0
        self._window_count += 1
        if self._window_count > MAX_INBOUND_PER_SECOND:
            await self._refuse("rate_limited", RATE_LIMITED, f"over {MAX_INBOUND_PER_SECOND}/s")
            return
        if text_data == '{"type":"ping"}':
            await self.send(text_data='{"type":"pong"}')
        elif text_data is not None and '"ack"' in text_data:
            reply = await forward_ack(self.channel_layer, self.access, self.scope.get("user"), self.slug, text_data)
            if reply:
                await self.send(text_data=reply)

    async def _refuse(self, reason: str, code: int, detail: str) -> None:
        self.closing = True
        reject("ws", reason, f"{where(self.scope)} {detail}")
        await self.close(code=code)

    async def _send_text(self, text: str) -> None:
        await self.send(text_data=text)

    async def dashboard_frame(self, event: dict) -> None:
        """A frame sent to this socket alone: a connection's snapshot part (issue 22), or
        a snapshot part answering a request an older web process sent for it (relays ask
        for their sockets since issue 20); dropped if a newer leader's frames were seen:
        the sender was deposed."""
        if not hub_for(self.channel_layer).terms.admit(event.get("term"), event.get("conn")):
            return
        await self.send(text_data=event["text"])
        if event.get("snapshot") and self.local is not None and event.get("conn"):
            self.local.connection_snapshot_delivered(event.get("term"), event.get("seq"), event["conn"])
        elif event.get("snapshot") and self.local is not None:
            try:
                await self.local.snapshot_delivered(event.get("term"), event.get("seq"))
            except ConnectionError:
                pass  # the client hung up as its snapshot came: the disconnect follows
