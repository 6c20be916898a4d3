"""The bridge of one connection other than `default` (issue 22), as a service.

A BridgeService whose statistics, keys, request channel, link state and frames are
its connection's own: it loads only that connection's statistics (keys salted by
statsbridge/desired.py `statistic_key`), reads its own request channel and is in
CONNECTIONS_GROUP while it runs (statsbridge/connection_requests.py), answers a
snapshot request only for a dashboard showing some of its statistics, publishes its
link state per connection (statsbridge/connection_status.py) and tags every frame with
its name (statsbridge/fanout.py). Its refresh token (authorization-code grant) and its
refused statistics are stored per connection; watchers (alerts) stay with `default`'s bridge.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from statsbridge import connection_status
from statsbridge.config import BridgeConfig
from statsbridge.connection_requests import CONNECTIONS_GROUP, request_channel
from statsbridge.desired import DesiredSet
from statsbridge.fanout import ChannelsFanout
from statsbridge.metrics import register_service, unregister_service
from statsbridge.service import BridgeService
from statsbridge.status import BridgeStatus

log = logging.getLogger(__name__)
GROUP_REFRESH_S = 60.0  # re-join before the layer's group expiry forgets us


class ConnectionBridgeService(BridgeService):
    def __init__(
        self,
        connection: str,
        config: BridgeConfig,
        load_desired: Callable[[], Awaitable[DesiredSet]],
        may_publish: Callable[[], bool] | None = None,
        term: int = 0,
    ) -> None:
        super().__init__(config, may_publish, term)
        self.connection = connection
        self.name = f"statistics bridge of connection {connection}"
        self.request_channel = request_channel(connection)
        self.fanout = ChannelsFanout(self.layer, may_publish, term, connection=connection)
        self.bridge.sink = self.fanout
        self.bridge.load_desired = load_desired
        self.bridge.on_status_change = self._publish
        # The stores keep one row per connection (STATSBRIDGE_REFRESH_TOKEN_STORE, _REFUSALS_STORE).
        self.token_store = _OfConnection(self.token_store, connection) if self.token_store else None
        self.refusals_store = _OfConnection(self.refusals_store, connection) if self.refusals_store else None
        self.also_on_status: Callable[[BridgeStatus], None] | None = None  # shares it in Redis
        self.revision_watch = None  # `default`'s bridge checks the revisions; this one re-reads every 30 s

    def _publish(self, status: BridgeStatus) -> None:
        connection_status.publish(self.connection, status, lambda: self.bridge.store.last_update_ms)
        if self.also_on_status is not None:
            self.also_on_status(status)

    async def start(self) -> None:
        self._stop.clear()
        register_service(self)
        self._publish(self.bridge.status)
        await self.load_authorization()
        self._tasks = [
            asyncio.create_task(self.bridge.run(self._stop), name=f"bridge {self.connection}"),
            asyncio.create_task(self._keep_in_group(), name=f"bridge group {self.connection}"),
            asyncio.create_task(self._serve_requests(), name=f"bridge-requests {self.connection}"),
        ]

    async def stop(self) -> None:
        self._stop.set()
        self._tasks[-1].cancel()
        self._tasks[-2].cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            await self.layer.group_discard(CONNECTIONS_GROUP, self.request_channel)
        except Exception:
            log.warning("could not leave %s; the group expiry will", CONNECTIONS_GROUP)
        connection_status.forget(self.connection)
        unregister_service(self)

    async def _keep_in_group(self) -> None:
        while not self._stop.is_set():
            try:
                await self.layer.group_add(CONNECTIONS_GROUP, self.request_channel)
            except Exception as error:  # Redis restarting: try again soon
                log.warning("bridge of %s could not join its group (%s)", self.connection, type(error).__name__)
                await asyncio.sleep(1.0)
                continue
            await asyncio.sleep(GROUP_REFRESH_S)

    async def handle_request(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "snapshot.request":
            await self._answer_snapshot(message)
        elif kind == "config.changed":
            self.bridge.request_reload()
            mine = {d for slugs in self.bridge.desired.routes.values() for d in slugs}
            named = message.get("dashboards")
            dashboards = mine & {str(d) for d in named} if isinstance(named, list) else mine
            wallboard = message.get("wallboard")
            await self.fanout.send_config_changed(dashboards, wallboard if isinstance(wallboard, str) else None)
        else:
            await super().handle_request(message)

    async def _answer_snapshot(self, message: dict) -> None:
        """Only for a dashboard showing some of this connection's statistics: the others
        get their snapshot from `default`'s bridge (and from the bridges they show)."""
        dashboard, reply = str(message.get("dashboard", "")), message.get("reply_channel")
        if not isinstance(reply, str) or not self.bridge.desired.keys_for(dashboard):
            return
        seen_by = message.get("seen_by")
        seen = seen_by.get(self.connection) if isinstance(seen_by, dict) else None
        await self.fanout.send_snapshot(
            reply, dashboard, self.bridge.status, lambda: self.bridge.snapshot(dashboard), seen
        )


class _OfConnection:
    """A store module's calls with this connection's name added (its rows only)."""

    def __init__(self, store: Any, connection: str) -> None:
        self.store, self.connection = store, connection

    async def load_refresh_token(self) -> str | None:
        return await self.store.load_refresh_token(self.connection)

    async def save_refresh_token(self, token: str) -> None:
        await self.store.save_refresh_token(token, self.connection)

    async def save_refusals(self, refused: dict[str, str]) -> Any:
        return await self.store.save_refusals(refused, self.connection)
