"""`/metrics` in Prometheus text format (the bridge's collector lives in statsbridge)."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from statsbridge.metrics import BridgeCollector

_registry = CollectorRegistry(auto_describe=False)
_registry.register(BridgeCollector())


def metrics_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(generate_latest(_registry), content_type=CONTENT_TYPE_LATEST)
