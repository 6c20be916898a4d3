"""The CometD link to `/statistics/v3/notifications`, on aiocometd-ng (the transport
underneath, statsbridge/cometd_transport.py, is ours too).

aiocometd-ng speaks Bayeux; this module adds what Genesys needs and the library
lacks, and takes over reconnecting so there is exactly one retry loop, ours:
- `x-api-key`, the bearer token and the shared cookies on every Bayeux request;
- a request timeout of advice timeout + grace, so a long poll that is accepted and
  never answered is noticed (aiohttp's default is 300 s);
- a watchdog for the session that looks connected while nothing moves (the library
  stopped polling, a callback died): no exchange within advice timeout + grace ends it;
- a small incoming queue (`PREFETCH` messages): a bridge that falls behind stops
  polling until it has room, so the backlog waits upstream, not in our memory; that
  wait is counted (`pressure`) and is not silence to the watchdog;
- HTTP status checked before the body (401 or 403: a new token, since an expired token
  may get either; a 403 that outlives fresh tokens is a bad API key);
- after any failed exchange the transport stops instead of retrying on its own
  (fixed 1 s, no jitter) and `run()` decides: 402 -> re-handshake at once,
  401/403 -> new token, a refused or reset connection -> jittered backoff capped at 8 s
  (a restarting upstream), anything else -> jittered backoff capped at 60 s;
- at most one handshake per second, never two in flight.
Every successful handshake calls `on_session`: the server has forgotten us (or
never knew us), so the bridge re-creates every statistic subscription.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiocometd_ng.exceptions import AiocometdException
from aiocometd_ng.extensions import Extension

from statsbridge.backoff import Backoff
from statsbridge.cometd_transport import Backpressure, SilentSession, _GenesysClient, _HttpStatusError
from statsbridge.config import BridgeConfig
from statsbridge.cookies import SharedCookies
from statsbridge.exceptions import AuthError, TransportError, UpstreamUnavailable
from statsbridge.tokens import TokenProvider

log = logging.getLogger(__name__)

UPDATES_CHANNEL = "/statistics/v3/updates"
SERVICE_CHANNEL = "/statistics/v3/service"
NOTIFICATIONS_PATH = "/statistics/v3/notifications"


class _GenesysHeaders(Extension):
    """Adds the Genesys headers and keeps the shared cookie jar in step."""

    def __init__(self, link: NotificationLink) -> None:
        self.link = link

    async def outgoing(self, payload: Any, headers: Any) -> None:
        self.link.sent_token = await self.link.tokens.token()
        headers["x-api-key"] = self.link.config.api_key
        headers["Authorization"] = f"Bearer {self.link.sent_token}"
        cookie = self.link.cookies.header_for(self.link.url)
        if cookie:
            headers["Cookie"] = cookie

    async def incoming(self, payload: Any, headers: Any = None) -> None:
        if headers is not None:
            self.link.cookies.absorb(self.link.url, headers.getall("Set-Cookie", []))
        self.link.last_exchange = time.monotonic()


EventHandler = Callable[[dict], None]
StateHandler = Callable[[str, str], None]


class NotificationLink:
    """Keeps one CometD session alive and hands every event message to `on_event`."""

    HANDSHAKE_SPACING = 1.0
    MAX_QUICK_AUTH_RETRIES = 3
    # A connection refused or reset is an upstream restarting, and every statistic must
    # be back <= 15 s after it is (issue #7 row 1): knock often, it costs one SYN. An
    # upstream that answers and refuses (advice none, errors) gets the long backoff.
    NETWORK_BACKOFF_CAP = 8.0
    NETWORK_KINDS = frozenset({"network", "http-error", "silent"})
    # Parsed event messages held for the bridge, at most (a long poll's reply is put in
    # one by one; with the queue full the transport waits and polls no more). The
    # simulator batches 0.1 s of updates per message: 32 is ~3 s of the bench's load.
    PREFETCH = 32

    def __init__(
        self,
        config: BridgeConfig,
        tokens: TokenProvider,
        cookies: SharedCookies,
        *,
        on_event: EventHandler,
        on_session: Callable[[], Awaitable[None] | None],
        on_state: StateHandler,
    ) -> None:
        self.config, self.tokens, self.cookies = config, tokens, cookies
        self.url = config.base_url + NOTIFICATIONS_PATH
        self.on_event, self.on_session, self.on_state = on_event, on_session, on_state
        self.backoff = Backoff(base=0.5, cap=config.backoff_cap)
        self.network_backoff = Backoff(base=0.5, cap=min(config.backoff_cap, self.NETWORK_BACKOFF_CAP))
        self.sent_token: str | None = None
        self.last_exchange = 0.0
        self.handshakes = 0
        self.silences = 0
        self.pressure = Backpressure()
        self.failures: dict[str, int] = {}
        self._last_handshake = 0.0
        self._auth_streak = 0
        self._handshaking = False
        self._poke = asyncio.Event()

    def retry_now(self) -> None:
        """Cut a backoff wait short (new credentials arrived)."""
        self._poke.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            client = _GenesysClient(
                self.url,
                _GenesysHeaders(self),
                self.config.poll_grace,
                self.config.request_timeout,
                prefetch=self.PREFETCH,
                pressure=self.pressure,
            )
            try:
                await self._open(client)
                await self._receive(client, stop)
                kind = "stopped"
            except asyncio.CancelledError:
                await client.abort()
                raise
            except Exception as error:  # every failure ends this session; we decide what next
                kind = self._classify(client.failure or error)
                self._record(kind, client.failure or error)
            if stop.is_set():
                await self._goodbye(client)
                return
            await client.abort()
            await self._pause(kind, stop)

    async def _open(self, client: _GenesysClient) -> None:
        wait = self._last_handshake + self.HANDSHAKE_SPACING - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        assert not self._handshaking, "two handshakes in flight"
        self._handshaking = True
        self._last_handshake = time.monotonic()
        try:
            self.handshakes += 1
            await client.open()
            await client.subscribe(UPDATES_CHANNEL)
            await client.subscribe(SERVICE_CHANNEL)
        finally:
            self._handshaking = False
        self.on_state("connected", "")
        self._auth_streak = 0
        self.backoff.reset()
        self.network_backoff.reset()
        result = self.on_session()
        if asyncio.iscoroutine(result):
            await result

    async def _receive(self, client: _GenesysClient, stop: asyncio.Event) -> None:
        """Hands events on until `stop` (returns) or the session fails (raises)."""
        others = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._watch(client))]
        receive: asyncio.Future | None = None
        try:
            while not stop.is_set():
                receive = asyncio.ensure_future(client.receive())
                done, _ = await asyncio.wait({receive, *others}, return_when=asyncio.FIRST_COMPLETED)
                if receive not in done:
                    for future in done:
                        future.result()  # the watchdog raises SilentSession
                    return
                self.on_event(receive.result())
        finally:
            for pending in (*others, receive):
                if pending is not None and not pending.done():
                    pending.cancel()
                    await asyncio.gather(pending, return_exceptions=True)

    async def _watch(self, client: _GenesysClient) -> None:
        """The watchdog. Every completed exchange moves `last_exchange`; the request
        timeout catches a poll that hangs, but not a session in which no poll is sent at
        all while the transport says CONNECTED (a library bug, a callback that died).
        A transport waiting for room in our queue is not silent: we hold it, and its
        silence counts from the end of the wait."""
        while True:
            limit = client.silence_limit
            if self.pressure.waiting:
                await asyncio.sleep(limit / 2)
                continue
            silent = time.monotonic() - max(self.last_exchange, self.pressure.ended)
            if silent >= limit:
                self.silences += 1
                raise SilentSession(f"no Bayeux exchange for {silent:.1f} s (limit {limit:.1f} s)")
            await asyncio.sleep(limit - silent + 0.05)

    def _classify(self, failure: object) -> str:
        if isinstance(failure, dict):
            error = str(failure.get("error", ""))
            if error.startswith("402"):
                return "unknown-client"
            if "reconnect none" in error:
                return "advised-none"
            return "refused"
        if isinstance(failure, SilentSession):
            return "silent"
        if isinstance(failure, _HttpStatusError):
            return {401: "unauthorized", 403: "forbidden"}.get(failure.status, "http-error")
        if isinstance(
            failure, (AiocometdException, asyncio.TimeoutError, OSError, TransportError, UpstreamUnavailable)
        ):
            return "network"
        if isinstance(failure, AuthError):
            return "credentials"
        return "error"

    def _record(self, kind: str, failure: object) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1
        detail = failure.get("error") if isinstance(failure, dict) else type(failure).__name__
        log.warning("CometD session ended (%s): %s", kind, detail)
        if kind in ("unauthorized", "forbidden"):
            # An expired token may get 401 or 403 from the CometD endpoint: both mean a
            # new token. Only a refusal that outlives fresh tokens is a wrong API key
            # (403) or account (401).
            self.tokens.invalidate(self.sent_token)
            if self._auth_streak < self.MAX_QUICK_AUTH_RETRIES:
                # Routine (an expired token, or one a restarted upstream forgot): the
                # quick retry fixes it, so do not flash "unauthorized" on every screen.
                self.on_state("connecting", "the access token was refused; getting a new one")
            elif kind == "forbidden":
                self.on_state("unauthorized", "the upstream refuses the API key or the access token (403)")
            else:
                self.on_state("unauthorized", "the upstream keeps refusing the access token")
        elif kind == "credentials":
            self.on_state("unauthorized", str(failure))
        elif kind != "unknown-client":
            self.on_state("connecting", f"notifications link lost ({kind}); reconnecting")

    async def _pause(self, kind: str, stop: asyncio.Event) -> None:
        """402 and the first few 401s retry at once (the handshake spacing still
        applies); everything else waits a jittered, growing delay."""
        if kind == "unknown-client":
            return
        if kind in ("unauthorized", "forbidden"):
            self._auth_streak += 1
            if self._auth_streak <= self.MAX_QUICK_AUTH_RETRIES:
                return
        self._poke.clear()
        poke = asyncio.ensure_future(self._poke.wait())
        backoff = self.network_backoff if kind in self.NETWORK_KINDS else self.backoff
        try:
            await backoff.sleep(stop, also=poke)
        finally:
            poke.cancel()

    async def _goodbye(self, client: _GenesysClient) -> None:
        try:
            await asyncio.wait_for(client.close(), timeout=3)
        except Exception:
            await client.abort()
