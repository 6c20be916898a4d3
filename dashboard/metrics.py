"""`/metrics` in Prometheus text format (the bridge's collector lives in statsbridge)."""
from __future__ import annotations

from typing import Iterator

from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from dashboard import local_fanout, rejections
from statsbridge.metrics import BridgeCollector

SOCKET_COUNTERS = {
    "frames_out": "frames written to this process's dashboard sockets",
    "frames_held": "frames held for a socket awaiting its snapshot or behind its reader",
    "values_coalesced": "values replaced by a newer one before a held socket could take them",
    "sockets_fell_behind": "times a socket's reader fell behind (backlog over the high-water mark)",
    "sockets_closed_behind": "sockets closed for staying behind longer than the cap",
}


class SocketCollector(Collector):
    """The local fan-out's counters (dashboard/local_fanout.py), read at scrape time."""

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        for name, help_text in SOCKET_COUNTERS.items():
            yield CounterMetricFamily(f"dashboard_socket_{name}", help_text,
                                      value=local_fanout.COUNTERS[name])
        yield GaugeMetricFamily("dashboard_sockets_open", "dashboard WebSockets open in this process",
                                value=local_fanout.local_sockets())


class RejectionCollector(Collector):
    """Hostile input refused at the edge, by kind and reason (dashboard/rejections.py)."""

    def collect(self) -> Iterator[CounterMetricFamily]:
        for kind, reasons in (("ws", rejections.WS_REASONS), ("http", rejections.HTTP_REASONS)):
            family = CounterMetricFamily(f"dashboard_{kind}_rejected", f"{kind} requests refused, by reason",
                                         labels=["reason"])
            for reason in reasons:
                family.add_metric([reason], rejections.COUNTS[(kind, reason)])
            yield family


_registry = CollectorRegistry(auto_describe=False)
_registry.register(BridgeCollector())
_registry.register(SocketCollector())
_registry.register(RejectionCollector())


def metrics_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(generate_latest(_registry), content_type=CONTENT_TYPE_LATEST)
