"""The alert engine as a service of the process whose bridge runs (the leader's).

`rundashboard` and `runworker statsbridge` pass this service to the bridge as a
watcher (statsbridge/service.py): it is `attached` when a bridge starts here (when
this process takes the leader lease) and `detached` when it stops, so with several
processes exactly one evaluates, and each alert fires once. While attached it:
- feeds the engine every value batch and link state (no I/O on that path);
- ticks the engine once a second, re-reads the rules every RELOAD_S and whenever the
  bridge re-reads the configuration (seeding new rules with the bridge's latest values);
- turns each event into a frame (one ordered outbox, sent through the fan-out), one
  send per channel (dashboard/alerts/delivery.py) and a history row (history.py);
- takes supervisors' acknowledgements from the `alerts` channel (dashboard/realtime/consumer.py);
- prunes history older than ALERT_HISTORY_DAYS every PRUNE_S.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from dashboard.alerts.delivery import DeliveryQueue
from dashboard.alerts.engine import AlertEngine
from dashboard.alerts.history import EventWriter, prune
from dashboard.alerts.rules import load_rules
from dashboard.alerts.senders import ChannelSpec
from dashboard.alerts.spec import Alert
from dashboard.project.bridge_follower import BridgeFollower
from dashboard.project.db_thread import in_db_thread

log = logging.getLogger(__name__)
ACK_CHANNEL = "alerts"  # {"type": "alert.ack", "alert": id, "dashboard": slug, "by": username}
RELOAD_S = 10.0
PRUNE_S = 6 * 3600.0


class AlertService(BridgeFollower):
    name = "alerts"

    def __init__(
        self,
        link_base_url: str,
        *,
        history_days: int = 90,
        bridge_grace_s: float = 60.0,
        tick_s: float = 1.0,
        delivery: dict | None = None,
    ) -> None:
        super().__init__()
        self.link_base_url = link_base_url.rstrip("/")
        self.history_days = history_days
        self.tick_s = tick_s
        self.delivery_options = delivery or {}
        self.bridge_grace_s = bridge_grace_s
        self.engine = AlertEngine(self._emit, bridge_grace_s=bridge_grace_s)
        self.writer = EventWriter()
        self.channels: dict[int, ChannelSpec] = {}
        self.delivery: DeliveryQueue | None = None
        self.outbox: asyncio.Queue[tuple[str, dict, set[str]]] | None = None
        self.reload_now = asyncio.Event()
        self.acks_refused = 0

    # -- bridge watcher (statsbridge/bridge.py Watcher) -----------------------------------

    def attached(self, service: Any) -> None:
        # A fresh engine per term: alerts another leader raised meanwhile are not ours to
        # repeat or clear (a leader change costs at most one new `raised` per open alert).
        self.engine = AlertEngine(self._emit, bridge_grace_s=self.bridge_grace_s)
        self.delivery = DeliveryQueue(self._record, **self.delivery_options)
        self.outbox = asyncio.Queue()
        self.run_tasks(
            service,
            {"alerts": self._run(), "alerts-frames": self._send_frames(), "alerts-acks": self._serve_acks()},
        )

    async def detached(self, service: Any) -> None:
        if not await self.end_tasks(service):
            return
        await self.writer.flush()
        if self.delivery is not None:
            await self.delivery.close()
            self.delivery = None

    def values(self, stats: list[dict]) -> None:
        self.engine.values(stats)

    def status(self, status: Any) -> None:
        self.engine.status(status.state.value, status.detail)

    def reloaded(self) -> None:
        self.reload_now.set()

    def snapshot_extra(self, dashboard: str) -> dict:
        return {"alerts": [self._alert_json(alert) for alert in self.engine.open_alerts(dashboard)]}

    # -- the loop -----------------------------------------------------------------------

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_reload, next_prune = 0.0, loop.time() + 5.0
        while True:
            if self.reload_now.is_set() or loop.time() >= next_reload:
                self.reload_now.clear()
                await self._reload()
                next_reload = loop.time() + RELOAD_S
            if loop.time() >= next_prune:
                await self._prune()
                next_prune = loop.time() + PRUNE_S
            self.engine.set_refused(set(self.bridge_service.bridge.reconciler.invalid))
            self.engine.tick()
            await self.writer.flush()
            try:
                await asyncio.wait_for(self.reload_now.wait(), timeout=self.tick_s)
            except TimeoutError:
                pass

    async def _reload(self) -> None:
        try:
            rules, self.channels = await in_db_thread(load_rules)
        except Exception:
            log.exception("could not read the alert rules; keeping the previous ones")
            return
        self.engine.set_rules(rules)
        unseen = sorted({t.key for t in self.engine.trackers.values() if t.arrived is None})
        if unseen:  # a new rule on a statistic that changes rarely: start from the bridge's value
            self.engine.values(self.bridge_service.bridge.store.snapshot(unseen))

    async def _prune(self) -> None:
        try:
            removed = await in_db_thread(prune, self.history_days)
        except Exception:
            log.exception("could not prune the alert history")
            return
        if removed:
            log.info("alert history: %d events older than %d days removed", removed, self.history_days)

    # -- events -------------------------------------------------------------------------

    def _alert_json(self, alert: Alert) -> dict:
        return alert.as_json()

    def _emit(self, event: str, alert: Alert) -> None:
        """Called by the engine on the bridge's loop: queue only, never wait."""
        body = self._alert_json(alert)
        if self.outbox is not None:
            self.outbox.put_nowait((event, body, {alert.dashboard} if alert.dashboard else self._all_dashboards()))
        self.writer.add(event, alert)
        if self.delivery is None:
            return
        payload = {"event": f"alert.{event}", "alert": body, "url": self._url(alert)}
        for channel_id in self._channels_for(event, alert):
            channel = self.channels.get(channel_id)
            if channel is not None:
                self.delivery.submit(channel, payload)

    def _channels_for(self, event: str, alert: Alert) -> list[int]:
        rule = alert.rule
        if rule is None:  # the link's own alert: every channel some rule uses, once each
            return sorted({c for t in self.engine.trackers.values() for c in t.rule.channels})
        if event == "escalated":
            return list(rule.escalation_channels)
        extra = rule.escalation_channels if alert.escalated else ()
        return list(dict.fromkeys((*rule.channels, *extra)))

    def _all_dashboards(self) -> set[str]:
        routes = self.bridge_service.bridge.desired.routes if self.bridge_service else {}
        return {t.rule.dashboard for t in self.engine.trackers.values()} | {
            slug for slugs in routes.values() for slug in slugs
        }

    def _url(self, alert: Alert) -> str:
        return f"{self.link_base_url}/dashboards/{alert.dashboard}/" if alert.dashboard else f"{self.link_base_url}/"

    async def _send_frames(self) -> None:
        assert self.outbox is not None
        while True:
            event, body, dashboards = await self.outbox.get()
            try:
                await self.bridge_service.fanout.send_alert(event, body, dashboards)
            except Exception:
                log.exception("could not send an alert frame")

    async def _record(self, channel_id: int, error: str | None) -> None:
        await in_db_thread(_record_outcome, channel_id, error)

    # -- acknowledgements ---------------------------------------------------------------

    async def _serve_acks(self) -> None:
        layer = self.bridge_service.layer
        while True:
            try:
                message = await layer.receive(ACK_CHANNEL)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("alerts: could not read acknowledgements", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            self.acknowledge(message)

    def acknowledge(self, message: dict) -> bool:
        if message.get("type") != "alert.ack":
            return False
        found = self.engine.acknowledge(
            str(message.get("alert", "")), str(message.get("by", ""))[:150], str(message.get("dashboard", ""))
        )
        return found is not None


def _record_outcome(channel_id: int, error: str | None) -> None:
    from django.db import close_old_connections

    from dashboard.alerts.models import NotificationChannel

    close_old_connections()
    try:
        now = datetime.now(tz=UTC)
        rows = NotificationChannel.objects.filter(pk=channel_id)
        if error is None:
            rows.update(last_success=now)
        else:
            rows.update(last_error=error[:500], last_error_at=now)
    finally:
        close_old_connections()
