"""What the bridge counts, for /metrics (statsbridge/metrics.py) and tests: each
skipped, replaced or failed thing is counted, never silently lost."""

from __future__ import annotations


class Counters:
    def __init__(self) -> None:
        self.updates_in = 0
        self.malformed = 0
        self.unknown_values = 0
        self.stale_updates = 0
        self.resyncs = 0
        self.upstream_errors = 0
        self.values_too_large = 0
        self.send_failures = 0
