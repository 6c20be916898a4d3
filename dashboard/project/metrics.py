"""`/metrics` in Prometheus text format (the bridge's collector lives in statsbridge).

Who may read it: statsbridge/metrics_access.py (METRICS_TOKEN, else loopback only).
The view is async so that the collectors run on the event loop that owns what they
read (the bridge's and the local fan-out's dicts), never beside it in a thread.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from dashboard.realtime import local_socket, rejections
from dashboard.realtime.local_hub import local_sockets
from statsbridge.metrics import BridgeCollector
from statsbridge.metrics_access import may_read_metrics

SOCKET_COUNTERS = {
    "frames_out": "frames written to this process's dashboard sockets",
    "frames_held": "frames held for a socket awaiting its snapshot or behind its reader",
    "frames_in_snapshot": "update frames not sent after a snapshot because it already held them",
    "values_coalesced": "values replaced by a newer one before a held socket could take them",
    "sockets_fell_behind": "times a socket's reader fell behind (backlog over the high-water mark)",
    "sockets_closed_behind": "sockets closed for staying behind longer than the cap",
    "frames_fenced": "frames dropped: sent under an older leader term than one already seen",
    "snapshots_local": "snapshots a relay served from its own copy, with no request to the bridge",
    "snapshot_copies_built": "relay copies of a snapshot completed from a bridge reply (a base)",
    "snapshot_copies_dropped": "relay copies dropped: a frame they cannot replay, a newer term, the layer blinked",
    "relay_channel_failures": "times the relay hub could not get a channel from the layer (retried)",
    "layer_messages_in": "channel-layer messages the relay hub received (a flush's batch, a snapshot part)",
    "layer_frames_in": "dashboard frames those batches carried (one batch per bridge flush)",
    "layer_batches_merged": "batches that waited in the hub's inbox and were written merged into the one before",
    "layer_values_merged": "values replaced by a newer one of the same statistic when waiting batches merged",
    "layer_messages_failed": "channel-layer messages the relay hub could not write (logged, skipped)",
}


class SocketCollector(Collector):
    """The local fan-out's counters (dashboard/realtime/local_socket.py), read at scrape time."""

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        for name, help_text in SOCKET_COUNTERS.items():
            yield CounterMetricFamily(f"dashboard_socket_{name}", help_text, value=local_socket.COUNTERS[name])
        yield GaugeMetricFamily(
            "dashboard_sockets_open", "dashboard WebSockets open in this process", value=local_sockets()
        )


class AlertAckCollector(Collector):
    """Acknowledgements from this process's sockets (dashboard/alerts/acks.py)."""

    def collect(self) -> Iterator[CounterMetricFamily]:
        from dashboard.alerts.acks import COUNTERS

        for name, value in COUNTERS.items():
            yield CounterMetricFamily(
                f"dashboard_alert_{name}", f"alert {name.replace('_', ' ')} from sockets", value=value
            )


class ConfigNoticeCollector(Collector):
    """`config.changed` notifications this process could not send (dashboard/boards/bridge_config.py)."""

    def collect(self) -> Iterator[CounterMetricFamily]:
        from dashboard.boards.bridge_config import COUNTERS

        yield CounterMetricFamily(
            "dashboard_config_notices_dropped",
            "configuration notifications dropped: the bridge's request channel was full (its revision check finds them)",
            value=COUNTERS["config_notices_dropped"],
        )


class RejectionCollector(Collector):
    """Hostile input refused at the edge, by kind and reason (dashboard/realtime/rejections.py)."""

    def collect(self) -> Iterator[CounterMetricFamily]:
        for kind, reasons in (("ws", rejections.WS_REASONS), ("http", rejections.HTTP_REASONS)):
            family = CounterMetricFamily(
                f"dashboard_{kind}_rejected", f"{kind} requests refused, by reason", labels=["reason"]
            )
            for reason in reasons:
                family.add_metric([reason], rejections.COUNTS[(kind, reason)])
            yield family


class GcCollector(Collector):
    """What CPython's full collections scan and how often they ran (their pauses made a
    connect storm's tail: dashboard/project/gc_freeze.py)."""

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "dashboard_gc_frozen_objects", "objects frozen out of garbage collection", value=gc.get_freeze_count()
        )
        yield CounterMetricFamily(
            "dashboard_gc_full_collections", "full (generation-2) collections", value=gc.get_stats()[2]["collections"]
        )


_registry = CollectorRegistry(auto_describe=False)
_registry.register(AlertAckCollector())
_registry.register(BridgeCollector())
_registry.register(SocketCollector())
_registry.register(RejectionCollector())
_registry.register(ConfigNoticeCollector())
_registry.register(GcCollector())


async def metrics_view(request: HttpRequest) -> HttpResponse:
    headers = {name.lower(): value for name, value in request.headers.items()}
    if not may_read_metrics(
        settings.METRICS_TOKEN, request.headers.get("Authorization"), request.META.get("REMOTE_ADDR"), headers
    ):
        response = HttpResponse(
            "metrics need a bearer token (METRICS_TOKEN) or a loopback client\n",
            status=401 if settings.METRICS_TOKEN else 403,
            content_type="text/plain",
        )
        if settings.METRICS_TOKEN:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry), content_type=CONTENT_TYPE_LATEST)
