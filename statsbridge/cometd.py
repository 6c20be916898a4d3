"""The CometD link to `/statistics/v3/notifications`, on aiocometd-ng.

aiocometd-ng speaks Bayeux; this module adds what Genesys needs and the library
lacks, and takes over reconnecting so there is exactly one retry loop, ours:
- `x-api-key`, the bearer token and the shared cookies on every Bayeux request;
- a request timeout of advice timeout + grace, so a long poll that is accepted and
  never answered is noticed (aiohttp's default is 300 s);
- HTTP status checked before the body (401 means a new token, 403 a bad API key);
- after any failed exchange the transport stops instead of retrying on its own
  (fixed 1 s, no jitter) and `run()` decides: 402 -> re-handshake at once,
  401 -> new token, anything else -> jittered backoff capped at 60 s;
- at most one handshake per second, never two in flight.
Every successful handshake calls `on_session`: the server has forgotten us (or
never knew us), so the bridge re-creates every statistic subscription.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable

import aiohttp
import orjson
from aiocometd_ng import Client, ConnectionType
from aiocometd_ng.constants import TransportState
from aiocometd_ng.exceptions import AiocometdException
from aiocometd_ng.exceptions import TransportError as CometTransportError
from aiocometd_ng.extensions import Extension
from aiocometd_ng.transports.long_polling import LongPollingTransport

from statsbridge.backoff import Backoff
from statsbridge.config import BridgeConfig
from statsbridge.cookies import SharedCookies
from statsbridge.exceptions import AuthError, TransportError, UpstreamUnavailable
from statsbridge.tokens import TokenProvider

log = logging.getLogger(__name__)

UPDATES_CHANNEL = "/statistics/v3/updates"
SERVICE_CHANNEL = "/statistics/v3/service"
NOTIFICATIONS_PATH = "/statistics/v3/notifications"


class _HttpStatusError(CometTransportError):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class _GenesysHeaders(Extension):
    """Adds the Genesys headers and keeps the shared cookie jar in step."""

    def __init__(self, link: "NotificationLink") -> None:
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


class _GuardedLongPolling(LongPollingTransport):
    """Long polling that reports a failed exchange instead of retrying by itself."""

    grace: float = 10.0
    default_timeout: float = 10.0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failure: object = None

    @property
    def request_timeout(self) -> aiohttp.ClientTimeout:  # type: ignore[override]
        advice = self.reconnect_advice.get("timeout")
        held = advice / 1000 if isinstance(advice, (int, float)) and advice >= 0 else 0.0
        return aiohttp.ClientTimeout(total=(held + self.grace) if held else self.default_timeout)

    async def _send_final_payload(self, payload: Any, *, headers: Any) -> Any:
        try:
            async with self._http_semaphore:
                async with self._http_session.post(
                        self._url, data=orjson.dumps(payload), ssl=self.ssl, timeout=self.request_timeout,
                        headers={**headers, "Content-Type": "application/json"}) as response:
                    status, body, reply_headers = response.status, await response.read(), response.headers
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise CometTransportError(f"{type(error).__name__}: {error}") from None
        if status != 200:
            raise _HttpStatusError(status)
        try:
            messages = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise CometTransportError("Bayeux reply is not JSON") from None
        messages = [_sane(m) for m in (messages if isinstance(messages, list) else [messages]) if isinstance(m, dict)]
        reply = await self._consume_payload(messages, headers=reply_headers, find_response_for=payload[0])
        if reply is None:
            raise CometTransportError("no reply to our Bayeux message")
        return reply

    def _connect_done(self, future: "asyncio.Future[Any]") -> None:
        if future.cancelled():
            return  # we stopped it (abort or close): nothing to follow
        error = future.exception()
        result = None if error else future.result()
        if error is not None:
            self.failure = error
        elif isinstance(result, dict) and not result.get("successful", True):
            self.failure = result
        elif self.reconnect_advice.get("reconnect") == "none":
            self.failure = {"error": "advice reconnect none"}
        super()._connect_done(future)

    def _follow_advice(self, reconnect_advice: str, reconnect_timeout: Any) -> None:
        if self.failure is None and reconnect_advice == "retry" and self.state == TransportState.CONNECTED:
            # Bayeux advises `interval` in milliseconds; aiocometd-ng sleeps it in seconds.
            interval = reconnect_timeout if isinstance(reconnect_timeout, (int, float)) else 0
            super()._follow_advice(reconnect_advice, min(max(interval, 0) / 1000, 60.0))
        else:
            self._state = TransportState.SERVER_DISCONNECTED


class _GenesysClient(Client):
    def __init__(self, url: str, extension: Extension, grace: float, timeout: float) -> None:
        super().__init__(url, connection_types=[ConnectionType.LONG_POLLING], connection_timeout=0,
                         extensions=[extension], max_pending_count=10_000,
                         json_dumps=lambda o: orjson.dumps(o).decode(), json_loads=orjson.loads)
        self.grace, self.timeout = grace, timeout

    async def _get_http_session(self) -> aiohttp.ClientSession:
        if self._http_session is None:
            # Cookies live in the shared jar (our extension), never in aiohttp's own.
            self._http_session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        return self._http_session

    async def _negotiate_transport(self) -> Any:
        self._incoming_queue = asyncio.Queue(maxsize=self._max_pending_count)
        transport = _GuardedLongPolling(
            url=self.url, incoming_queue=self._incoming_queue, ssl=self.ssl, extensions=self.extensions,
            json_dumps=self._json_dumps, json_loads=self._json_loads,
            http_session=await self._get_http_session())
        transport.grace, transport.default_timeout = self.grace, self.timeout
        try:
            self._verify_response(await transport.handshake(self._connection_types))
            return transport
        except Exception:
            await transport.close()
            await self._close_http_session()
            raise

    @property
    def failure(self) -> object:
        return getattr(self._transport, "failure", None)

    async def abort(self) -> None:
        """Drop everything now: no goodbye to a server that may be gone."""
        if self._transport is not None:
            self._transport._state = TransportState.SERVER_DISCONNECTED
            await self._transport._stop_connect_task()
        self._closed = True
        if self._http_session is not None and not self._http_session.closed:
            await self._http_session.close()


def _sane(message: dict) -> dict:
    """Drop an `advice` that is not an object: aiocometd-ng would crash on it inside an
    asyncio callback and silently stop polling."""
    if "advice" in message and not isinstance(message["advice"], dict):
        message = {k: v for k, v in message.items() if k != "advice"}
    return message


EventHandler = Callable[[dict], None]
StateHandler = Callable[[str, str], None]


class NotificationLink:
    """Keeps one CometD session alive and hands every event message to `on_event`."""

    HANDSHAKE_SPACING = 1.0
    MAX_QUICK_AUTH_RETRIES = 3

    def __init__(self, config: BridgeConfig, tokens: TokenProvider, cookies: SharedCookies, *,
                 on_event: EventHandler, on_session: Callable[[], Awaitable[None] | None],
                 on_state: StateHandler) -> None:
        self.config, self.tokens, self.cookies = config, tokens, cookies
        self.url = config.base_url + NOTIFICATIONS_PATH
        self.on_event, self.on_session, self.on_state = on_event, on_session, on_state
        self.backoff = Backoff(base=0.5, cap=config.backoff_cap)
        self.sent_token: str | None = None
        self.last_exchange = 0.0
        self.handshakes = 0
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
            client = _GenesysClient(self.url, _GenesysHeaders(self), self.config.poll_grace,
                                    self.config.request_timeout)
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
        result = self.on_session()
        if asyncio.iscoroutine(result):
            await result

    async def _receive(self, client: _GenesysClient, stop: asyncio.Event) -> None:
        stop_wait = asyncio.ensure_future(stop.wait())
        receive: asyncio.Future | None = None
        try:
            while not stop.is_set():
                receive = asyncio.ensure_future(client.receive())
                done, _ = await asyncio.wait({receive, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
                if receive not in done:
                    return
                self.on_event(receive.result())
        finally:
            for future in (stop_wait, receive):
                if future is not None and not future.done():
                    future.cancel()
                    await asyncio.gather(future, return_exceptions=True)

    def _classify(self, failure: object) -> str:
        if isinstance(failure, dict):
            error = str(failure.get("error", ""))
            if error.startswith("402"):
                return "unknown-client"
            if "reconnect none" in error:
                return "advised-none"
            return "refused"
        if isinstance(failure, _HttpStatusError):
            return {401: "unauthorized", 403: "forbidden"}.get(failure.status, "http-error")
        if isinstance(failure, (AiocometdException, asyncio.TimeoutError, OSError,
                                TransportError, UpstreamUnavailable)):
            return "network"
        if isinstance(failure, AuthError):
            return "credentials"
        return "error"

    def _record(self, kind: str, failure: object) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1
        detail = failure.get("error") if isinstance(failure, dict) else type(failure).__name__
        log.warning("CometD session ended (%s): %s", kind, detail)
        if kind == "unauthorized":
            self.tokens.invalidate(self.sent_token)
            self.on_state("unauthorized", "the upstream refused the access token; getting a new one")
        elif kind == "forbidden":
            self.on_state("unauthorized", "the upstream refused the API key (403)")
        elif kind == "credentials":
            self.on_state("unauthorized", str(failure))
        elif kind != "unknown-client":
            self.on_state("connecting", f"notifications link lost ({kind}); reconnecting")

    async def _pause(self, kind: str, stop: asyncio.Event) -> None:
        """402 and a first 401 retry at once (the handshake spacing still applies);
        everything else waits a jittered, growing delay."""
        if kind == "unknown-client":
            return
        if kind == "unauthorized":
            self._auth_streak += 1
            if self._auth_streak <= self.MAX_QUICK_AUTH_RETRIES:
                return
        self._poke.clear()
        poke = asyncio.ensure_future(self._poke.wait())
        try:
            await self.backoff.sleep(stop, also=poke)
        finally:
            poke.cancel()

    async def _goodbye(self, client: _GenesysClient) -> None:
        try:
            await asyncio.wait_for(client.close(), timeout=3)
        except Exception:
            await client.abort()
