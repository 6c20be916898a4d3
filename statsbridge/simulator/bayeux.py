"""A Bayeux 1.0 server (long-polling) with the Genesys Statistics channels.

Reference: seed 002 "Statistics Notifications API" and "CometD notifications";
the Bayeux 1.0 protocol for the meta channels. Behaviour the bridge relies on:
- the first /meta/connect after a handshake is answered at once; later ones are
  held up to the advice timeout and answered as soon as messages are queued;
- an unknown or expired client gets `402::Unknown client` with advice
  `reconnect: handshake`;
- a client that stops polling expires after `max_interval` seconds;
- each client's queue is bounded (in records): the oldest are dropped and counted.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

UPDATES_CHANNEL = "/statistics/v3/updates"
SERVICE_CHANNEL = "/statistics/v3/service"
KNOWN_CHANNELS = frozenset({UPDATES_CHANNEL, SERVICE_CHANNEL})


class InvalidChannel(Exception):
    """A channel id that is not a channel at all: the real service answers 500."""


@dataclass
class BayeuxClient:
    client_id: str
    owner: str
    queue_limit: int
    queue: deque = field(default_factory=deque)
    channels: set[str] = field(default_factory=set)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    last_seen: float = field(default_factory=time.monotonic)
    connected_once: bool = False
    polling: int = 0
    gone: bool = False
    dropped: int = 0
    queued: int = 0
    transports: list[Any] = field(default_factory=list)

    def enqueue(self, message: dict, weight: int = 1) -> None:
        """Queue a message; `weight` is how many records it carries. The bound is on
        records, not messages: one batched update may carry thousands of values."""
        self.queue.append((message, weight))
        self.queued += weight
        while self.queued > self.queue_limit and len(self.queue) > 1:
            _, dropped = self.queue.popleft()
            self.queued -= dropped
            self.dropped += dropped
        self.wake.set()

    def drain(self) -> list[dict]:
        messages = [message for message, _ in self.queue]
        self.queue.clear()
        self.queued = 0
        self.wake.clear()
        return messages


class BayeuxServer:
    def __init__(
        self, *, timeout_ms: int = 20_000, interval_ms: int = 0, max_interval_s: float = 30.0, queue_limit: int = 50_000
    ) -> None:
        self.timeout_ms = timeout_ms
        self.interval_ms = interval_ms
        self.max_interval_s = max_interval_s
        self.queue_limit = queue_limit
        self.reconnect_advice = "retry"  # fault control may set "none"
        self.refuse_handshakes = False  # fault control: a gateway or server refusing CometD
        self.clients: dict[str, BayeuxClient] = {}
        self.handshakes = 0
        self.expired = 0
        self.unknown_client_replies = 0

    # -- the meta channels -------------------------------------------------

    def advice(self) -> dict:
        return {"interval": self.interval_ms, "timeout": self.timeout_ms, "reconnect": self.reconnect_advice}

    def handshake(self, owner: str, message: dict) -> dict:
        if self.refuse_handshakes:
            # Reference: Bayeux 1.0 "handshake" (unsuccessful response: error and advice).
            return _reply(
                message,
                successful=False,
                error="403::Handshake denied",
                supportedConnectionTypes=["long-polling"],
                advice={"reconnect": "none"},
            )
        client = BayeuxClient(secrets.token_hex(16), owner, self.queue_limit)
        self.clients[client.client_id] = client
        self.handshakes += 1
        return _reply(
            message,
            successful=True,
            version="1.0",
            minimumVersion="1.0",
            clientId=client.client_id,
            supportedConnectionTypes=["long-polling", "callback-polling"],
            advice=self.advice(),
        )

    async def connect(self, message: dict, transport: Any = None) -> list[dict]:
        client = self._client_for(message)
        if client is None:
            return [self._unknown_client(message)]
        client.last_seen = time.monotonic()
        if client.connected_once and not client.queue and self.reconnect_advice != "none":
            await self._hold(client, transport)
            if client.gone:
                return [self._unknown_client(message)]
        client.connected_once = True
        client.last_seen = time.monotonic()
        reply = _reply(message, successful=True, advice=self.advice())
        return [*client.drain(), reply]

    def subscribe(self, message: dict) -> dict:
        client = self._client_for(message)
        if client is None:
            return self._unknown_client(message)
        channels = _channels_of(message)
        unknown = [c for c in channels if c not in KNOWN_CHANNELS]
        if unknown:
            return _reply(message, successful=False, error=f"403:{unknown[0]}:unknown channel")
        client.channels.update(channels)
        return _reply(message, successful=True)

    def unsubscribe(self, message: dict) -> dict:
        client = self._client_for(message)
        if client is None:
            return self._unknown_client(message)
        client.channels.difference_update(_channels_of(message))
        return _reply(message, successful=True)

    def disconnect(self, message: dict) -> dict:
        client = self.clients.pop(str(message.get("clientId")), None)
        if client:
            client.gone = True
            client.wake.set()
        return _reply(message, successful=True)

    # -- delivery and housekeeping ----------------------------------------

    def publish(self, channel: str, data: dict, owners: set[str] | None = None) -> int:
        """Queue `data` for subscribers of `channel` (only `owners`' clients if given)."""
        delivered = 0
        message = {"channel": channel, "data": data}
        for client in self.clients.values():
            if channel in client.channels and (owners is None or client.owner in owners):
                client.enqueue(message)
                delivered += 1
        return delivered

    def owners_listening(self, channel: str) -> dict[str, list[BayeuxClient]]:
        listening: dict[str, list[BayeuxClient]] = {}
        for client in self.clients.values():
            if channel in client.channels:
                listening.setdefault(client.owner, []).append(client)
        return listening

    def sweep(self, now: float | None = None) -> int:
        """Forget clients that stopped polling; returns how many expired."""
        now = time.monotonic() if now is None else now
        limit = self.max_interval_s + self.timeout_ms / 1000
        stale = [c for c in self.clients.values() if not c.polling and now - c.last_seen > limit]
        for client in stale:
            self.clients.pop(client.client_id, None)
            client.gone = True
        self.expired += len(stale)
        return len(stale)

    def forget(self) -> None:
        """A restarted service: every client is unknown and held polls are cut."""
        for client in self.clients.values():
            client.gone = True
            client.wake.set()
            for transport in client.transports:
                transport.close()
        self.clients.clear()

    @property
    def dropped(self) -> int:
        return sum(c.dropped for c in self.clients.values())

    # -- helpers -----------------------------------------------------------

    async def _hold(self, client: BayeuxClient, transport: Any) -> None:
        client.polling += 1
        if transport is not None:
            client.transports.append(transport)
        try:
            await asyncio.wait_for(client.wake.wait(), timeout=self.timeout_ms / 1000)
        except TimeoutError:
            pass
        finally:
            client.polling -= 1
            if transport is not None and transport in client.transports:
                client.transports.remove(transport)

    def _client_for(self, message: dict) -> BayeuxClient | None:
        client = self.clients.get(str(message.get("clientId")))
        return None if client is None or client.gone else client

    def _unknown_client(self, message: dict) -> dict:
        self.unknown_client_replies += 1
        return _reply(
            message, successful=False, error="402::Unknown client", advice={"reconnect": "handshake", "interval": 0}
        )


def _channels_of(message: dict) -> list[str]:
    raw = message.get("subscription")
    channels = raw if isinstance(raw, list) else [raw]
    if not channels or not all(isinstance(c, str) and c.startswith("/") for c in channels):
        raise InvalidChannel(f"invalid channel id {raw!r}")
    return channels


def _reply(message: dict, **fields: Any) -> dict:
    reply: dict[str, Any] = {"channel": message.get("channel")}
    if "id" in message:
        reply["id"] = message["id"]
    if "clientId" in message and "clientId" not in fields:
        reply["clientId"] = message["clientId"]
    if "subscription" in message:
        reply["subscription"] = message["subscription"]
    reply.update(fields)
    return reply
