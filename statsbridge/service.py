"""The bridge as a service of a Django process: builds it from settings, connects
it to the channel layer, and answers requests on the `statsbridge` channel.

Requests (sent by consumers and admin saves, from any process):
- {"type": "snapshot.request", "dashboard": slug, "reply_channel": name, "seen"?: [term, seq], "relay"?: id}
  (`seen`: the newest frame the asking socket's relay has, statsbridge/snapshots.py)
- {"type": "config.changed", "dashboards"?: [slug], "wallboard"?: slug, "drills"?: [slug],
  "revisions"?: {scope: n}}:
  re-read the dashboards' statistics, and tell those dashboards' pages (all, without a
  list) to reload their configuration; with `wallboard`, only that wallboard's screens
  reload; `drills` (a skills change): only these dashboards' drill-down pages reload.
  `revisions`: what the edit bumped; an edit whose request never comes is found
  by its revision (statsbridge/revision_watch.py)
- {"type": "auth.changed"}: re-read the admin's stored Genesys authorization
This is `default`'s bridge; every other connection's bridge reads its own channel and
gets the same requests through a group (statsbridge/connection_requests.py), and
`bridge_service()` runs them all (statsbridge/connection_bridges.py).
This is the only statsbridge module that reads Django settings.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.utils.module_loading import import_string

from statsbridge.backoff import Backoff
from statsbridge.bridge import Bridge
from statsbridge.cometd_transport import check_private_names
from statsbridge.config import BridgeConfig
from statsbridge.desired import DesiredSet
from statsbridge.fanout import ChannelsFanout
from statsbridge.metrics import register_service, unregister_service
from statsbridge.revision_watch import RevisionWatch
from statsbridge.status import publish_status, set_last_update_source

log = logging.getLogger(__name__)
REQUEST_CHANNEL = "statsbridge"


def config_from_settings(base_url: str | None = None) -> BridgeConfig:
    genesys = settings.GENESYS
    return BridgeConfig(
        base_url=(base_url or genesys["API_BASE_URL"] or "").rstrip("/"),
        api_key=genesys["API_KEY"],
        client_id=genesys["CLIENT_ID"],
        client_secret=genesys["CLIENT_SECRET"],
        username=genesys["USERNAME"],
        password=genesys["PASSWORD"],
        chunk_size=getattr(settings, "STATSBRIDGE_CHUNK_SIZE", 200),
        auth_base_url=(genesys.get("AUTH_BASE_URL") or "").rstrip("/"),
    )


async def no_statistics() -> DesiredSet:
    return DesiredSet()


class BridgeService:
    name = "statistics bridge"
    request_channel = REQUEST_CHANNEL  # another connection's bridge reads its own (connection_requests.py)

    def __init__(
        self,
        config: BridgeConfig,
        may_publish: Callable[[], bool] | None = None,
        term: int = 0,
        watchers: Sequence[Any] = (),
    ) -> None:
        loader = import_string(getattr(settings, "STATSBRIDGE_DESIRED_LOADER", "statsbridge.service.no_statistics"))
        self.layer = get_channel_layer()
        self.fanout = ChannelsFanout(self.layer, may_publish, term)
        self.bridge = Bridge(config, load_desired=loader, sink=self.fanout)
        self.bridge.on_status_change = publish_status
        # Watchers (the alert engine) follow this bridge while it runs: `attached(service)`
        # on start, `detached(service)` on stop, and the Bridge.Watcher calls in between.
        self.watchers = list(watchers)
        self.bridge.watchers = self.watchers
        store_path = getattr(settings, "STATSBRIDGE_REFRESH_TOKEN_STORE", None)
        self.token_store = import_module(store_path) if store_path else None
        self.bridge.tokens.on_new_refresh_token = self._persist_refresh_token
        self._latest_token: str | None = None
        self.token_save_failures = 0
        refusals_path = getattr(settings, "STATSBRIDGE_REFUSALS_STORE", None)
        self.refusals_store = import_module(refusals_path) if refusals_path else None
        self.bridge.on_refusals = self._persist_refusals
        history_path = getattr(settings, "STATSBRIDGE_HISTORY_LOADER", None)
        self.bridge.load_history = import_string(history_path) if history_path else None  # trends after a restart
        # The fallback for a lost `config.changed` (statsbridge/revision_watch.py).
        revisions_path = getattr(settings, "STATSBRIDGE_CONFIG_REVISIONS", None)
        self.revision_watch = (
            RevisionWatch(import_module(revisions_path), self._config_changed) if revisions_path else None
        )
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        self._stop.clear()
        register_service(self)
        publish_status(self.bridge.status)
        set_last_update_source(lambda: self.bridge.store.last_update_ms)
        await self.load_authorization()
        self._tasks = [
            asyncio.create_task(self.bridge.run(self._stop), name="bridge"),
            asyncio.create_task(self._serve_requests(), name="bridge-requests"),
        ]
        if self.revision_watch is not None:
            self._tasks.append(asyncio.create_task(self.revision_watch.run(self._stop), name="bridge-revisions"))
        for watcher in self.watchers:
            watcher.attached(self)

    async def stop(self) -> None:
        for watcher in self.watchers:
            await watcher.detached(self)
        self._stop.set()
        for task in self._tasks[1:]:  # requests (and revisions); the bridge itself stops on _stop
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)  # the bridge drains its background tasks
        set_last_update_source(None)
        unregister_service(self)

    async def load_authorization(self) -> None:
        """The admin's stored refresh token (authorization-code flow), if any."""
        if self.token_store is None:
            return
        token = await self.token_store.load_refresh_token()
        if token:
            self.bridge.tokens.use_refresh_token(token)

    def _persist_refresh_token(self, token: str) -> None:
        """The upstream rotated the refresh token: the old one may be dead already, so
        the new one is saved until it is (or a newer one replaces it)."""
        if self.token_store is not None:
            self._latest_token = token
            self.bridge.background.spawn(self._save_refresh_token(token), name="refresh-token-save")

    async def _save_refresh_token(self, token: str) -> None:
        backoff = Backoff(base=0.5, cap=30.0)
        while token == self._latest_token:
            try:
                await self.token_store.save_refresh_token(token)
                return
            except Exception as error:  # the database may be restarting
                self.token_save_failures += 1
                log.warning("could not save the rotated refresh token (%s); retrying", type(error).__name__)
                await backoff.sleep()

    def snapshot_extra(self, dashboard: str) -> dict:
        """What watchers add to a snapshot (the open alerts: `"alerts": [...]`), and the
        configuration revisions this bridge knows (a page behind them reloads)."""
        extra: dict = {}
        for watcher in self.watchers:
            extra.update(watcher.snapshot_extra(dashboard))
        if self.revision_watch is not None and (revisions := self.revision_watch.revisions_for(dashboard)):
            extra["revisions"] = revisions
        return extra

    def _persist_refusals(self, refused: dict[str, str]) -> None:
        """Statistics Genesys refused, for the admin's list (dashboard/boards/refused.py)."""
        if self.refusals_store is not None:
            asyncio.get_event_loop().create_task(self._save_refusals(refused))

    async def _save_refusals(self, refused: dict[str, str]) -> None:
        try:
            await self.refusals_store.save_refusals(refused)  # type: ignore[union-attr]
        except Exception:
            log.exception("could not record the %d refused statistics", len(refused))

    async def _serve_requests(self) -> None:
        while not self._stop.is_set():
            try:
                message = await self.layer.receive(self.request_channel)
                await self.handle_request(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("bridge request failed")
                await asyncio.sleep(0.5)

    async def handle_request(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "snapshot.request":
            dashboard, reply = str(message.get("dashboard", "")), message.get("reply_channel")
            if isinstance(reply, str):
                await self.fanout.send_snapshot(
                    reply,
                    dashboard,
                    self.bridge.status,
                    lambda: self.bridge.snapshot(dashboard),
                    message.get("seen"),
                    self.snapshot_extra(dashboard),
                    relay=message.get("relay"),
                )
        elif kind == "config.changed":
            if self.revision_watch is not None:
                self.revision_watch.noted(message)  # its revisions need no fallback
            await self._config_changed(message)
        elif kind == "auth.changed":
            await self.load_authorization()
            self.bridge.link.retry_now()
        else:
            log.warning("unknown bridge request %r", kind)

    async def _config_changed(self, message: dict) -> None:
        """A notification's work, also done by the revision check when one was lost."""
        self.bridge.request_reload()
        named = message.get("dashboards")
        dashboards = (
            {str(d) for d in named}
            if isinstance(named, list)
            else {d for slugs in self.bridge.desired.routes.values() for d in slugs}
        )
        wallboard = message.get("wallboard")
        await self.fanout.send_config_changed(dashboards, wallboard if isinstance(wallboard, str) else None)
        drills = message.get("drills")
        if isinstance(drills, list):  # pages already told above reload whole anyway
            await self.fanout.send_config_changed({str(d) for d in drills} - dashboards, drill=True)


def bridge_service(base_url: str | None = None, watchers: Sequence[Any] = ()) -> Any:
    """One bridge per connection (statsbridge/connection_bridges.py): all of them here,
    or with Redis (other processes may run bridges too) a fair share, each under its
    lease. Watchers follow `default`'s bridge while it runs here.
    Every bridge starts here: first make sure aiocometd-ng still has what we override."""
    from statsbridge.connection_bridges import ConnectionBridges

    check_private_names()
    redis_url = getattr(settings, "REDIS_URL", None) or None
    return ConnectionBridges(
        _connection_reader(config_from_settings(base_url)),
        _service_maker(watchers),
        redis_url,
        lease_key=getattr(settings, "STATSBRIDGE_LEASE_KEY", "statsbridge:leader"),
        ttl=getattr(settings, "STATSBRIDGE_LEASE_TTL", 3.0),
        tick=getattr(settings, "STATSBRIDGE_SPREAD_TICK", 0.5),
        stall_limit=getattr(settings, "STATSBRIDGE_LOOP_STALL_LIMIT", 30.0),
    )


def _connection_reader(default: BridgeConfig) -> Callable[[], Any]:
    """`default` from settings (as before connections existed), the others from
    STATSBRIDGE_CONNECTIONS (the database); while that fails, the last ones read."""
    from asgiref.sync import sync_to_async

    source = import_string(getattr(settings, "STATSBRIDGE_CONNECTIONS", "statsbridge.service.no_connections"))
    known: dict[str, BridgeConfig] = {}

    async def read() -> dict[str, BridgeConfig]:
        try:
            found = await sync_to_async(source, thread_sensitive=False)()
            known.clear()
            known.update({name: config for name, config in found.items() if name != "default"})
        except Exception as error:
            log.warning("could not read the connections (%s); keeping %d", type(error).__name__, len(known))
        return {"default": default, **known}

    return read


def no_connections() -> dict[str, BridgeConfig]:
    return {}


def no_statistics_of(connection: str) -> Callable[[], Any]:
    return no_statistics


def _service_maker(watchers: Sequence[Any]) -> Callable[..., BridgeService]:
    from statsbridge.connection_service import ConnectionBridgeService

    loader_of = import_string(
        getattr(settings, "STATSBRIDGE_CONNECTION_LOADER", "statsbridge.service.no_statistics_of")
    )

    def make(name: str, config: BridgeConfig, may_publish: Callable[[], bool] | None, term: int) -> BridgeService:
        if name == "default":
            return BridgeService(config, may_publish=may_publish, term=term, watchers=watchers)
        return ConnectionBridgeService(name, config, loader_of(name), may_publish, term)

    return make
