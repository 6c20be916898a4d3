from __future__ import annotations

from django.apps import AppConfig


class StatsbridgeConfig(AppConfig):
    """The bridge to Genesys. Starting it is explicit (rundashboard, runworker):
    ready() starts nothing, so tests and management commands stay quiet."""

    name = "statsbridge"
    verbose_name = "Statistics bridge"
