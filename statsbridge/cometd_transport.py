"""The transport under the CometD link (statsbridge/cometd.py): aiocometd-ng's long
polling, made to report a failed exchange instead of retrying by itself, with the
HTTP status checked before the body, a request timeout of advice timeout + grace,
and the replies that would crash the library inside a callback made harmless.

Doing that means overriding and reading aiocometd-ng's private names, all listed in
`PRIVATE_NAMES`; the version is locked and `check_private_names()` (called before any
bridge starts) fails loudly if one is gone. Why we keep the library rather than our own
Bayeux client: docs/architecture.md, "Private names we depend on".
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import orjson
from aiocometd_ng import Client, ConnectionType
from aiocometd_ng.constants import TransportState
from aiocometd_ng.exceptions import TransportError as CometTransportError
from aiocometd_ng.extensions import Extension
from aiocometd_ng.transports.long_polling import LongPollingTransport
from aiocometd_ng.utils import is_event_message

from statsbridge.private_names import Reach, require


class _NoLoop:
    """Handed to the library's constructors as `loop` when we only look at the
    attributes they set: nothing runs, and no event loop gets created on the side."""


def _client(cls: type) -> object:
    return cls("http://127.0.0.1/", loop=_NoLoop())


def _long_polling(cls: type) -> object:
    return cls(url="http://127.0.0.1/", incoming_queue=None, http_session=None, loop=_NoLoop())


# Everything below that is not aiocometd-ng's public API. Overridden methods are listed
# with the parameters we take: if the library renamed one, ours would never be called.
PRIVATE_NAMES = (
    Reach(
        "aiocometd_ng.client:Client",
        (
            "_HTTP_SESSION_CLOSE_TIMEOUT",
            "_http_session",
            "_incoming_queue",
            "_max_pending_count",
            "_json_dumps",
            "_json_loads",
            "_connection_types",
            "_transport",
            "_closed",
            "_get_http_session()",
            "_negotiate_transport()",
            "_verify_response(response)",
            "_close_http_session()",
        ),
        sample=_client,
    ),
    Reach(
        "aiocometd_ng.transports.long_polling:LongPollingTransport",
        (
            "_send_final_payload(payload, headers)",
            "_http_semaphore",
            "_http_session",
            "_url",
            "_consume_payload(payload, headers, find_response_for)",
            "_consume_message(response_message)",
            "incoming_queue",
            "_connect_done(future)",
            "_follow_advice(reconnect_advice, reconnect_timeout)",
            "_state",
            "_stop_connect_task()",
            "reconnect_advice",
            "state",
            "ssl",
        ),
        sample=_long_polling,
    ),
    # LongPollingTransport takes **kwargs and hands them on: these are the ones we pass.
    Reach(
        "aiocometd_ng.transports.base:TransportBase",
        ("__init__(url, incoming_queue, http_session, ssl, extensions, json_dumps, json_loads)",),
    ),
    Reach("aiocometd_ng.constants:TransportState", ("CONNECTED", "SERVER_DISCONNECTED")),
)


def check_private_names() -> None:
    """Fail loudly, naming it, if the installed aiocometd-ng lacks a name we use."""
    require(PRIVATE_NAMES, "statsbridge/cometd_transport.py (aiocometd-ng)")


class _HttpStatusError(CometTransportError):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class SilentSession(CometTransportError):
    """No Bayeux exchange completed for longer than a live session allows."""


class Backpressure:
    """Time the transport spent waiting for room in the bridge's incoming queue.

    The queue is small on purpose (`NotificationLink.PREFETCH`): a bridge that falls
    behind stops polling, and the backlog waits upstream instead of in our memory as
    parsed replies (docs/performance.md, issue 20). While it waits no exchange happens,
    so the watchdog must not read that as a dead session: it asks `waiting`."""

    __slots__ = ("since", "seconds", "waits", "ended")

    def __init__(self) -> None:
        self.since: float | None = None  # monotonic start of the wait in progress
        self.seconds = 0.0  # all waits so far, finished ones
        self.waits = 0
        self.ended = 0.0  # monotonic end of the last wait

    @property
    def waiting(self) -> bool:
        return self.since is not None

    def total(self) -> float:
        """Seconds blocked so far, the wait in progress included."""
        return self.seconds + (time.monotonic() - self.since if self.since is not None else 0.0)


class _GuardedLongPolling(LongPollingTransport):
    """Long polling that reports a failed exchange instead of retrying by itself."""

    grace: float = 10.0
    default_timeout: float = 10.0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failure: object = None
        self.pressure = Backpressure()

    async def _consume_message(self, response_message: Any) -> None:
        """Queue an event; when the queue is full, wait for room and count the wait
        (the next poll is not sent meanwhile: that is the backpressure)."""
        if not is_event_message(response_message):
            return
        queue = self.incoming_queue
        if not queue.full():
            queue.put_nowait(response_message)
            return
        pressure = self.pressure
        pressure.since = started = time.monotonic()
        pressure.waits += 1
        try:
            await queue.put(response_message)
        finally:
            pressure.ended = time.monotonic()
            pressure.seconds += pressure.ended - started
            pressure.since = None

    def _held(self) -> float:
        """How long the server may hold a poll (advice `timeout`, ms), in seconds."""
        advice = self.reconnect_advice.get("timeout") if isinstance(self.reconnect_advice, dict) else None
        return advice / 1000 if isinstance(advice, (int, float)) and advice >= 0 else 0.0

    @property
    def request_timeout(self) -> aiohttp.ClientTimeout:  # type: ignore[override]
        held = self._held()
        return aiohttp.ClientTimeout(total=(held + self.grace) if held else self.default_timeout)

    @property
    def silence_limit(self) -> float:
        """The longest a live session goes without a completed exchange: the interval we
        follow (at most half the grace), then one poll held at most the advised timeout.
        Longer, and no poll is being sent at all."""
        held = self._held()
        return held + self.grace if held else self.default_timeout + self.grace / 2

    async def _send_final_payload(self, payload: Any, *, headers: Any) -> Any:
        try:
            async with self._http_semaphore:
                async with self._http_session.post(
                    self._url,
                    data=orjson.dumps(payload),
                    ssl=self.ssl,
                    timeout=self.request_timeout,
                    headers={**headers, "Content-Type": "application/json"},
                ) as response:
                    status, body, reply_headers = response.status, await response.read(), response.headers
        except (TimeoutError, aiohttp.ClientError) as error:
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

    def _connect_done(self, future: asyncio.Future[Any]) -> None:
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
            # Capped at half the grace, so that waiting it never looks like a dead session
            # to the watchdog (Genesys advises 0).
            interval = reconnect_timeout if isinstance(reconnect_timeout, (int, float)) else 0
            super()._follow_advice(reconnect_advice, min(max(interval, 0) / 1000, self.grace / 2))
        else:
            self._state = TransportState.SERVER_DISCONNECTED


class _GenesysClient(Client):
    def __init__(
        self,
        url: str,
        extension: Extension,
        grace: float,
        timeout: float,
        *,
        prefetch: int = 32,
        pressure: Backpressure | None = None,
    ) -> None:
        super().__init__(
            url,
            connection_types=[ConnectionType.LONG_POLLING],
            connection_timeout=0,
            extensions=[extension],
            max_pending_count=prefetch,
            json_dumps=lambda o: orjson.dumps(o).decode(),
            json_loads=orjson.loads,
        )
        self.grace, self.timeout = grace, timeout
        self.pressure = pressure or Backpressure()

    async def _get_http_session(self) -> aiohttp.ClientSession:
        if self._http_session is None:
            # Cookies live in the shared jar (our extension), never in aiohttp's own.
            self._http_session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        return self._http_session

    async def _negotiate_transport(self) -> Any:
        self._incoming_queue = asyncio.Queue(maxsize=self._max_pending_count)
        transport = _GuardedLongPolling(
            url=self.url,
            incoming_queue=self._incoming_queue,
            ssl=self.ssl,
            extensions=self.extensions,
            json_dumps=self._json_dumps,
            json_loads=self._json_loads,
            http_session=await self._get_http_session(),
        )
        transport.grace, transport.default_timeout = self.grace, self.timeout
        transport.pressure = self.pressure  # one account for the link's whole life
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

    @property
    def silence_limit(self) -> float:
        transport = self._transport
        return transport.silence_limit if isinstance(transport, _GuardedLongPolling) else self.timeout + self.grace

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
