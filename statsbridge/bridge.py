"""The bridge: a small state machine that keeps the upstream subscriptions equal to
what the dashboards need and turns every notification into STATs for the browsers.

    connecting ──handshake──▶ connected ──UNAVAILABLE──▶ upstream-unavailable
        ▲   ▲                    │  ▲                          │
        │   └──401/403───── unauthorized                 AVAILABLE (resync)
        └──────────── link lost / 402 (resync) ◀───────────────┘

Step methods (`handle_message`, `on_session`, `request_reload`) can be called
directly from tests; `run()` drives them until the stop event is set.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, Protocol

import httpx

from statsbridge.backoff import Backoff
from statsbridge.cometd import SERVICE_CHANNEL, UPDATES_CHANNEL, NotificationLink
from statsbridge.config import BridgeConfig
from statsbridge.cookies import SharedCookies
from statsbridge.counters import Counters
from statsbridge.desired import DesiredSet
from statsbridge.exceptions import AuthError, StatsBridgeError, UpstreamUnavailable
from statsbridge.reconciler import Reconciler
from statsbridge.rest import StatisticsClient
from statsbridge.seeding import HistoryLoader, seed_history
from statsbridge.status import BridgeState, BridgeStatus, now_ms
from statsbridge.store import LatestValues
from statsbridge.tasks import TaskSet
from statsbridge.tokens import TokenProvider
from statsbridge.values import normalise, timestamp_ms, too_deep, too_large

log = logging.getLogger(__name__)


class Sink(Protocol):
    """Where STATs and state changes go (statsbridge/fanout.py in production)."""

    async def send_updates(self, stats: list[dict], routes: Mapping[str, AbstractSet[str]]) -> None: ...

    async def send_status(self, status: BridgeStatus, dashboards: set[str]) -> None: ...


class Watcher(Protocol):
    """Something that follows values and link state in the bridge's process (the alert
    engine). Called on the bridge's loop: it must not block (no I/O)."""

    def values(self, stats: list[dict]) -> None: ...

    def status(self, status: BridgeStatus) -> None: ...

    def reloaded(self) -> None: ...


class Bridge:
    def __init__(self, config: BridgeConfig, *, load_desired: Callable[[], Awaitable[DesiredSet]], sink: Sink) -> None:
        self.config = config
        self.load_desired = load_desired
        self.sink = sink
        self.cookies = SharedCookies()
        self.http = httpx.AsyncClient(cookies=self.cookies.jar)
        self.tokens = TokenProvider(config, self.http)
        self.rest = StatisticsClient(config, self.http, self.tokens)
        self.store = LatestValues(config.history_points)
        self.reconciler = Reconciler(self.rest, config.chunk_size, self._on_initial_values)
        self.link = NotificationLink(
            config,
            self.tokens,
            self.cookies,
            on_event=self.handle_message,
            on_session=self.on_session,
            on_state=self._link_state,
        )
        self.desired = DesiredSet()
        self.counters = Counters()
        self.status = BridgeStatus(BridgeState.CONNECTING, detail="starting")
        self._session_up = False
        self._available = True
        self._unavailable_since = 0.0
        self._full_resync = False
        self._sync_needed = asyncio.Event()
        self._reload_needed = asyncio.Event()
        self._pending: dict[str, dict] = {}
        self._pending_event = asyncio.Event()
        self._retry_refused = False
        self._refused_shown: dict[str, str] | None = None
        self.on_status_change: Callable[[BridgeStatus], None] | None = None
        self.watchers: list[Watcher] = []
        self.background = TaskSet()
        self.on_refusals: Callable[[dict[str, str]], None] | None = None  # key -> Genesys' message
        self.load_history: HistoryLoader | None = None  # stored trends (statsbridge/seeding.py)

    # -- lifecycle -----------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        # Read the desired statistics now, while the link gets its token and handshake,
        # not after them: the first subscription then goes out as the session comes up
        # (issue 20: `make run`'s first value; the sync returns early until then).
        self._reload_needed.set()
        self._sync_needed.set()
        tasks = [
            asyncio.create_task(coro, name=name)
            for name, coro in (
                ("bridge-link", self.link.run(stop)),
                ("bridge-sync", self._sync_loop(stop)),
                ("bridge-flush", self._flush_loop(stop)),
            )
        ]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.background.drain(timeout=5.0)  # e.g. a rotated refresh token being saved
            await self.http.aclose()
            self._set_state(BridgeState.STOPPED, "stopped")

    def request_reload(self) -> None:
        """The dashboards' configuration changed: diff and apply, no restart; and ask
        again for what Genesys refused (the periodic re-read does not)."""
        self._retry_refused = True
        self._reload_needed.set()
        self._sync_needed.set()

    # -- steps driven by the notification link -------------------------------

    def on_session(self) -> None:
        """A new CometD session: the upstream may have forgotten every subscription, and
        a ServiceStateChange sent while we had no session is lost: assume AVAILABLE and
        let a 503 say otherwise."""
        self._session_up = True
        self._available = True
        self._full_resync = True
        self._sync_needed.set()

    def handle_message(self, message: dict) -> None:
        channel = message.get("channel") if isinstance(message, dict) else None
        payload = _payload(message.get("data")) if isinstance(message, dict) else None
        if payload is None:
            self.counters.malformed += 1
        elif channel == UPDATES_CHANNEL:
            self.handle_updates(payload)
        elif channel == SERVICE_CHANNEL:
            self.handle_service_state(payload.get("serviceState"))
        else:
            self.counters.malformed += 1

    def handle_updates(self, payload: dict) -> None:
        records = payload.get("statistics")
        if not isinstance(records, list):
            self.counters.malformed += 1
            return
        for record in records:
            if not isinstance(record, dict):
                self.counters.malformed += 1
                continue
            key = record.get("statisticId")
            if not self.reconciler.accepts(record.get("subscriptionId"), key):
                self.counters.stale_updates += 1
                continue
            self._record_value(key, record)  # type: ignore[arg-type]
        self._pending_event.set()

    def handle_service_state(self, state: object) -> None:
        # Compared without case, as Genesys' Java client does (ServiceState.fromString).
        state = state.upper() if isinstance(state, str) else state
        if state == "UNAVAILABLE":
            self._available = False
            self._unavailable_since = time.monotonic()
            self.reconciler.forget_open()
            self._set_state(BridgeState.UPSTREAM_UNAVAILABLE, "Genesys reports the statistics service unavailable")
        elif state == "AVAILABLE":
            self._available = True
            self._full_resync = True
            self._set_state(BridgeState.CONNECTED, "")
            self._sync_needed.set()
        else:
            self.counters.malformed += 1

    # -- values ----------------------------------------------------------------

    def _record_value(self, key: str, record: dict) -> None:
        raw = record.get("value")
        if isinstance(raw, (dict, list)) and too_deep(raw):
            raw = {"error": "value nested too deep to show"}
        size = too_large(raw)
        if size is not None:
            self.counters.values_too_large += 1
            log.warning("value of %s is %d bytes: replaced by a marker", key, size)
            raw = {"error": "value too large to show", "bytes": size}
        normalised = normalise(raw)
        if not normalised.known:
            self.counters.unknown_values += 1
        stamp = timestamp_ms(record.get("timestamp"))
        if not self.store.is_newer(key, stamp):
            return
        self.counters.updates_in += 1
        self._pending[key] = self.store.update(key, normalised, raw, stamp)

    def _on_initial_values(self, subscription_id: str, records: list[dict]) -> None:
        for record in records:
            if isinstance(record, dict) and self.reconciler.accepts(subscription_id, record.get("statisticId")):
                self._record_value(record["statisticId"], record)
        self._pending_event.set()

    def snapshot(self, dashboard: str) -> list[dict]:
        return self.store.snapshot(self.desired.keys_for(dashboard))

    async def _flush_loop(self, stop: asyncio.Event) -> None:
        """Sends what arrived since the last send, coalesced to the latest per key.
        No timer: a CometD batch is flushed as soon as the loop is free. A failed send
        keeps its batch: it goes again with the next one (newer values win), or else
        its tiles would stay stale until each of their values changed again."""
        backoff = Backoff(base=0.2, cap=5.0)
        while not stop.is_set():
            await self._pending_event.wait()
            self._pending_event.clear()
            if not self._pending:
                continue
            pending, self._pending = self._pending, {}
            stats = list(pending.values())
            self._tell_watchers("values", stats)
            try:
                await self.sink.send_updates(stats, self.desired.routes)
                backoff.reset()
            except Exception as error:
                self.counters.send_failures += 1
                self._pending = {**pending, **self._pending}
                log.warning(
                    "fan-out failed (%s); %d values kept for the next try", type(error).__name__, len(self._pending)
                )
                await backoff.sleep(stop)
                self._pending_event.set()

    # -- reconciling -------------------------------------------------------------

    async def _sync_loop(self, stop: asyncio.Event) -> None:
        backoff = Backoff(base=0.5, cap=self.config.backoff_cap)
        while not stop.is_set():
            try:
                await asyncio.wait_for(self._sync_needed.wait(), timeout=self.config.reload_every)
            except TimeoutError:
                self._reload_needed.set()  # periodic re-read: a diff, cheap when nothing changed
            self._sync_needed.clear()
            try:
                await self._sync_once()
                backoff.reset()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self._sync_failed(error)
                await self._sync_pause(backoff, stop)
                self._sync_needed.set()

    async def _sync_pause(self, backoff: Backoff, stop: asyncio.Event) -> None:
        """A jittered, growing wait after a failed sync, cut short by anything that asks
        for one (a new CometD session, AVAILABLE, a reload): the upstream that failed us
        is back, and its statistics must be open again within seconds, not after a
        backoff that grew while it was down (issue #7 rows 1 and 2)."""
        wake = asyncio.ensure_future(self._sync_needed.wait())
        try:
            await backoff.sleep(stop, also=wake)
        finally:
            wake.cancel()

    async def _sync_once(self) -> None:
        if self._reload_needed.is_set():
            self._reload_needed.clear()
            self.desired = await self.load_desired()
            self.reconciler.set_desired(self.desired.statistics)
            self.store.forget(set(self.store.keys()) - set(self.desired.statistics))
            self.store.keep_history_for(self.desired.history)
            self.background.spawn(seed_history(self.store, self.desired.history, self.load_history), name="seed")
            if self._retry_refused:
                self._retry_refused = False
                self.reconciler.retry_refused()
            self._tell_watchers("reloaded")
        if not self._session_up:
            return
        if not self._available and time.monotonic() - self._unavailable_since < self.config.reload_every:
            return  # wait for AVAILABLE; after a while, probe (the message may have been lost)
        started = time.monotonic()
        if self._full_resync:
            self._full_resync = False
            self.counters.resyncs += 1
            await self.reconciler.resync()
        else:
            await self.reconciler.reconcile()
        if self._unavailable_since < started:
            self._available = True  # the upstream answered: whatever we missed, it is up
        if self._available and self.status.state != BridgeState.CONNECTED:
            self._set_state(BridgeState.CONNECTED, "")  # (an UNAVAILABLE during this sync stands)
        self._publish_refusals()
        self._publish_counts()

    def _publish_refusals(self) -> None:
        """Statistics Genesys refused: on their tiles (a STAT with `refused`) and, through
        `on_refusals`, for the admin. Only when the set changed."""
        refused = dict(self.reconciler.invalid)
        if refused == self._refused_shown:
            return
        for key, message in refused.items():
            if key in self.desired.statistics and (self._refused_shown or {}).get(key) != message:
                self._pending[key] = self.store.refuse(key, message)
        self._refused_shown = refused
        self._pending_event.set()
        if self.on_refusals:
            self.on_refusals(refused)

    def _sync_failed(self, error: Exception) -> None:
        self.counters.upstream_errors += 1
        if isinstance(error, UpstreamUnavailable):
            self._set_state(BridgeState.UPSTREAM_UNAVAILABLE, str(error))
        elif isinstance(error, AuthError):
            self._set_state(BridgeState.UNAUTHORIZED, str(error))
        elif isinstance(error, StatsBridgeError):
            self._set_state(BridgeState.ERROR, str(error))
        else:
            log.exception("reconcile failed", exc_info=error)
            self._set_state(BridgeState.ERROR, f"internal error: {type(error).__name__}")

    # -- state -----------------------------------------------------------------

    def _link_state(self, state: str, detail: str) -> None:
        if state != "connected":
            self._session_up = False
        target = BridgeState(state) if state != "connected" or self._available else BridgeState.UPSTREAM_UNAVAILABLE
        self._set_state(target, detail)

    def _set_state(self, state: BridgeState, detail: str) -> None:
        if state == self.status.state and detail == self.status.detail:
            return
        self.status = BridgeStatus(state, now_ms(), detail, *self._counts())
        log.info("bridge state: %s%s", state.value, f" ({detail})" if detail else "")
        if self.on_status_change:
            self.on_status_change(self.status)
        self._tell_watchers("status", self.status)
        self.background.spawn(self._send_status(), name="bridge-status-broadcast")

    def _publish_counts(self) -> None:
        self.status = self.status.with_counts(
            subscriptions=len(self.reconciler.open),
            statistics=len(self.reconciler.open_keys),
            last_update_ms=self.store.last_update_ms,
        )
        if self.on_status_change:
            self.on_status_change(self.status)

    def _counts(self) -> tuple[int, int, int | None]:
        return len(self.reconciler.open), len(self.reconciler.open_keys), self.store.last_update_ms

    def _tell_watchers(self, what: str, *args: Any) -> None:
        for watcher in self.watchers:
            try:
                getattr(watcher, what)(*args)
            except Exception:  # a watcher's bug must not stop values or states
                log.exception("bridge watcher failed on %s", what)

    async def _send_status(self) -> None:
        try:
            await self.sink.send_status(self.status, set().union(*self.desired.routes.values()))
        except Exception:
            log.exception("could not broadcast the bridge state")


def _payload(notification: Any) -> dict | None:
    """The notification's payload, nested under `data` or flat (Genesys' Java client
    accepts both: its `extractData`)."""
    if not isinstance(notification, dict):
        return None
    inner = notification.get("data")
    return inner if isinstance(inner, dict) else notification
