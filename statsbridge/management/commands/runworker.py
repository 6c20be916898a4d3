"""`runworker statsbridge`: the bridge as its own process (Channels' command, extended).

Channels' runworker only instantiates a consumer when a message arrives; the bridge
must run from the start, so for the `statsbridge` channel this command hosts the
bridge service itself. Any other channel name goes to Channels' runworker.
"""

from __future__ import annotations

import asyncio
import signal

from channels.management.commands.runworker import Command as ChannelsRunworker
from django.conf import settings

from statsbridge.metrics_server import MetricsServer
from statsbridge.service import REQUEST_CHANNEL, bridge_service


class Command(ChannelsRunworker):
    help = "Run a Channels worker; `runworker statsbridge` runs the statistics bridge."

    def handle(self, *args: object, **options: object) -> None:
        channels = list(options.get("channels") or [])
        if channels != [REQUEST_CHANNEL]:
            return super().handle(*args, **options)
        from dashboard.project import heap

        heap.limit_arenas()  # before any worker thread (dashboard/project/heap.py)
        asyncio.run(self._run_bridge())

    async def _run_bridge(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        from dashboard.alerts.hosting import alert_service
        from dashboard.history.hosting import history_service
        from dashboard.project.heap import HeapTrimmer

        alerts = alert_service(settings.ALERT_LINK_BASE_URL or "http://127.0.0.1:8000")
        from dashboard.floor.service import FloorMessageService

        floor = FloorMessageService()
        history = history_service()
        service = bridge_service(watchers=[alerts, floor, history])
        trimmer = HeapTrimmer(settings.HEAP_TRIM_SECONDS)
        await trimmer.start()
        await service.start()
        self.stdout.write(f"statistics bridge running (runworker statsbridge): {service.name}")
        metrics = await self._start_metrics()
        self.stdout.flush()
        await stop.wait()
        if metrics is not None:
            await metrics.stop()
        await service.stop()
        await alerts.stop()
        await floor.stop()
        await history.stop()
        await trimmer.stop()

    async def _start_metrics(self) -> MetricsServer | None:
        """STATSBRIDGE_METRICS_PORT: this worker's /metrics (unset: none)."""
        if not settings.STATSBRIDGE_METRICS_PORT:
            self.stdout.write("metrics: not served (set STATSBRIDGE_METRICS_PORT)")
            return None
        metrics = MetricsServer(
            settings.STATSBRIDGE_METRICS_HOST, settings.STATSBRIDGE_METRICS_PORT, settings.METRICS_TOKEN
        )
        await metrics.start()
        self.stdout.write(f"metrics: {metrics.url}")
        return metrics
